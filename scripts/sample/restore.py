"""Restores the newest checkpoint written by train.py and prints the weights' checksum (JSON), so a test can check
that a fresh process reads back exactly what another one saved.

    python restore.py OUT_DIR
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import build_model, weights_digest  # noqa: E402


def main() -> None:
    out_dir = sys.argv[1]
    model = build_model()
    ckpt = tf.train.Checkpoint(model=model)
    latest = tf.train.latest_checkpoint(os.path.join(out_dir, "ckpt"))
    if latest is None:
        raise SystemExit(f"no checkpoint under {out_dir}/ckpt")
    status = ckpt.restore(latest)
    status.assert_existing_objects_matched()
    status.expect_partial()  # the optimizer slots are not part of this model-only restore
    keras_models = sorted(tf.io.gfile.glob(os.path.join(out_dir, "keras", "model-*.keras")))
    keras_digest = weights_digest(tf.keras.models.load_model(keras_models[-1])) if keras_models else None
    print(json.dumps({"latest": latest, "weights_sha256": weights_digest(model), "keras_sha256": keras_digest}), flush=True)


if __name__ == "__main__":
    main()
