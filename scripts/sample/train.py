"""Sample training run for the demo and the end-to-end tests: unmodified TensorFlow/Keras writing checkpoints and
TensorBoard logs to a directory (the IGFS mount).

    python train.py OUT_DIR [--epochs N]

Writes OUT_DIR/logs (TensorBoard event files from tf.keras.callbacks.TensorBoard), OUT_DIR/keras/model-{epoch}.keras
(ModelCheckpoint) and OUT_DIR/ckpt (tf.train.CheckpointManager, max_to_keep=2: renames over `checkpoint` and
deletes old checkpoints). Prints one JSON line with the final weights' checksum so another process can verify a
restore. Data: scikit-learn's bundled 8x8 digits (ships with the package, no download).
"""
import argparse
import hashlib
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402


def build_model() -> tf.keras.Model:
    return tf.keras.Sequential([
        tf.keras.Input(shape=(64,)),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])


def weights_digest(model: tf.keras.Model) -> str:
    h = hashlib.sha256()
    for w in model.get_weights():
        h.update(np.ascontiguousarray(w).tobytes())
    return h.hexdigest()


def wait_for_go(pace_file: str, epoch: int, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with open(pace_file) as f:
                if int(f.read().strip() or 0) >= epoch:
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"no go for epoch {epoch} in {pace_file} within {timeout_s}s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--pace-file", default=None,
                        help="after epoch N, wait until this (local) file holds a number >= N: lets a test watch "
                             "TensorBoard read the event file while training is still writing it")
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(7)
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = digits.target.astype("int64")

    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    logs = os.path.join(args.out_dir, "logs")
    keras_dir = os.path.join(args.out_dir, "keras")
    tf.io.gfile.makedirs(keras_dir)
    callbacks = [
        tf.keras.callbacks.TensorBoard(log_dir=logs, update_freq="epoch"),
        tf.keras.callbacks.ModelCheckpoint(os.path.join(keras_dir, "model-{epoch:02d}.keras")),
    ]
    if args.pace_file:
        callbacks.append(tf.keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, _logs: wait_for_go(args.pace_file, epoch + 1)))
    history = model.fit(x, y, epochs=args.epochs, batch_size=64, validation_split=0.2, callbacks=callbacks, verbose=0)

    ckpt = tf.train.Checkpoint(model=model)
    manager = tf.train.CheckpointManager(ckpt, os.path.join(args.out_dir, "ckpt"), max_to_keep=2)
    saved = [manager.save() for _ in range(3)]

    print(json.dumps({
        "accuracy": float(history.history["accuracy"][-1]),
        "weights_sha256": weights_digest(model),
        "checkpoints": saved,
        "latest": manager.latest_checkpoint,
    }), flush=True)


if __name__ == "__main__":
    main()
