"""Reads every partitions/*.tfrecord of one cache of the caches view with unmodified TensorFlow.

    .venv/bin/python bench/python/caches_tfrecord_bench.py CACHE_DIR [--parallel 8]

tf.data.TFRecordDataset over the partition files (num_parallel_reads readers), each record's bytes counted;
the clock starts after TensorFlow is imported and stops when the last record is read. Prints one JSON line.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cache_dir")
    ap.add_argument("--parallel", type=int, default=8)
    a = ap.parse_args()
    part_dir = os.path.join(a.cache_dir, "partitions")
    t0 = time.perf_counter()
    files = sorted(os.path.join(part_dir, n) for n in os.listdir(part_dir) if n.endswith(".tfrecord"))
    ds = tf.data.TFRecordDataset(files, num_parallel_reads=a.parallel, buffer_size=1 << 20)
    records = 0
    payload = 0
    for rec in ds:
        records += 1
        payload += len(rec.numpy())
    seconds = time.perf_counter() - t0
    print(json.dumps({"files": len(files), "records": records, "recordBytes": payload, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
