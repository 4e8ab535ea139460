"""tf.io.gfile operations against a directory (the mount); prints one JSON object of observations.

    python gfile_ops.py DIR
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

base = sys.argv[1]
g = tf.io.gfile
out = {}
nested = os.path.join(base, "a", "b", "c")
g.makedirs(nested)
out["isdir_nested"] = g.isdir(nested)
with g.GFile(os.path.join(nested, "one.txt"), "w") as f:
    f.write("first version\n")
with g.GFile(os.path.join(nested, "two.txt"), "w") as f:
    f.write("second version\n")
with g.GFile(os.path.join(nested, "one.txt"), "a") as f:
    f.write("appended\n")
with g.GFile(os.path.join(nested, "one.txt")) as f:
    out["one_after_append"] = f.read()
g.rename(os.path.join(nested, "two.txt"), os.path.join(nested, "one.txt"), overwrite=True)
with g.GFile(os.path.join(nested, "one.txt")) as f:
    out["one_after_rename_over"] = f.read()
out["two_exists_after_rename"] = g.exists(os.path.join(nested, "two.txt"))
try:
    g.rename(os.path.join(nested, "one.txt"), os.path.join(nested, "one.txt.bak"), overwrite=False)
    with g.GFile(os.path.join(nested, "three.txt"), "w") as f:
        f.write("3")
    g.rename(os.path.join(nested, "three.txt"), os.path.join(nested, "one.txt.bak"), overwrite=False)
    out["rename_no_overwrite_error"] = None
except tf.errors.AlreadyExistsError as e:
    out["rename_no_overwrite_error"] = "AlreadyExistsError"
out["glob"] = sorted(os.path.relpath(p, base) for p in g.glob(os.path.join(base, "a", "b", "c", "*")))
out["stat_length"] = g.stat(os.path.join(nested, "one.txt.bak")).length
g.remove(os.path.join(nested, "three.txt"))
out["exists_after_remove"] = g.exists(os.path.join(nested, "three.txt"))
g.rmtree(os.path.join(base, "a"))
out["exists_after_rmtree"] = g.exists(os.path.join(base, "a"))
print(json.dumps(out), flush=True)
