"""TensorFlow checkpoint save and restore timings for the `mount` benchmark suite.

Usage: checkpoint_bench.py --mb SIZE_MB --repeat N NAME=DIR [NAME=DIR ...]

Builds one model of about SIZE_MB of float32 variables (several tensors, like a real network's layers),
then for each repetition and each directory (interleaved, so a busy machine hurts them alike): saves a
tf.train.Checkpoint into the directory (timed until save() returns: TensorFlow writes the shards and index
to temporary names, renames them into place and rewrites `checkpoint`), drops the variables' values, restores
them (timed until the restored values are read back), and checks the values. Prints one JSON line per
measurement: {"name", "op": "save"|"restore", "bytes", "seconds"}.
"""

import argparse
import json
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# A layer as large as a big dense kernel: TensorFlow writes each tensor as one contiguous slice of the data shard.
TENSOR_MB = 16


def build_variables(total_mb):
    count = max(1, total_mb // TENSOR_MB)
    per_tensor = total_mb * 1024 * 1024 // 4 // count
    rng = np.random.default_rng(7)
    return [
        tf.Variable(rng.standard_normal(per_tensor, dtype=np.float32), name=f"layer_{i}")
        for i in range(count)
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("targets", nargs="+", help="NAME=DIR")
    args = parser.parse_args()
    targets = [t.split("=", 1) for t in args.targets]

    variables = build_variables(args.mb)
    expected = [v.numpy().copy() for v in variables]
    nbytes = sum(e.nbytes for e in expected)
    ckpt = tf.train.Checkpoint(**{f"v{i}": v for i, v in enumerate(variables)})

    for rep in range(args.repeat):
        for name, directory in targets:
            run_dir = os.path.join(directory, f"ckpt-{rep}")
            os.makedirs(run_dir, exist_ok=True)
            t0 = time.perf_counter()
            path = ckpt.save(os.path.join(run_dir, "model"))
            save_s = time.perf_counter() - t0
            print(json.dumps({"name": name, "op": "save", "bytes": nbytes, "seconds": save_s}), flush=True)

            for v in variables:
                v.assign(tf.zeros_like(v))
            t0 = time.perf_counter()
            ckpt.restore(path).assert_consumed()
            restored = [v.numpy() for v in variables]
            restore_s = time.perf_counter() - t0
            for got, want in zip(restored, expected):
                if not np.array_equal(got, want):
                    print(f"checkpoint_bench: restored values differ in {name}", file=sys.stderr)
                    return 1
            print(json.dumps({"name": name, "op": "restore", "bytes": nbytes, "seconds": restore_s}), flush=True)
            shutil.rmtree(run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
