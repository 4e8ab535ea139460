"""Reads a TFRecord file of tf.train.Example with real TensorFlow and prints what TensorFlow sees, as JSON.

Usage: read_tfrecord_examples.py FILE.tfrecord SCHEMA.json

Used by test/e2e/tf-example-decode.test.ts to check the caches view's encoders against TensorFlow itself.
Prints one JSON object on stdout:
  records:      per record, {feature name: [kind, values]} from tf.train.Example.FromString, where kind is
                bytes_list / float_list / int64_list and values are hex (bytes), float32 bit patterns as 8 hex
                digits ("nan" for any NaN), or decimal strings (int64)
  reserialized: per record, true when protobuf's serialization of the parsed Example (see canonical_bytes) gives
                back the exact bytes of the record, else the hex of what protobuf serializes
  parsed:       {feature name: per record, list of values or null when absent}, from tf.data.TFRecordDataset
                + tf.io.parse_example with the feature spec schema.json suggests (features with no spec skipped)
  f64:          {feature name: per record, float64 bit patterns (16 hex digits) or null}, decoding every ':f64'
                feature with tf.io.decode_raw(..., tf.float64)
"""

import json
import math
import os
import struct
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from google.protobuf.internal.encoder import _VarintBytes  # noqa: E402
from tensorflow.core.example import feature_pb2  # noqa: E402


def f32_bits(x):
    if math.isnan(x):
        return "nan"
    return struct.pack("<f", x)[::-1].hex()


def f64_bits(x):
    if math.isnan(x):
        return "nan"
    return struct.pack("<d", x)[::-1].hex()


def canonical_bytes(ex):
    """The Example as protobuf serializes each feature, entries in bytewise name order (C++ protobuf's
    deterministic map order; Python upb's deterministic mode puts a longer key before its own prefix, so its
    whole-message output is not used). A map field is a repeated field, so one-entry Features concatenate."""
    names = sorted(ex.features.feature.keys(), key=lambda n: n.encode("utf-8"))
    features = b"".join(
        feature_pb2.Features(feature={n: ex.features.feature[n]}).SerializeToString() for n in names
    )
    return b"\x0a" + _VarintBytes(len(features)) + features


def feature_values(kind, values):
    if kind == "bytes_list":
        return [bytes(v).hex() for v in values]
    if kind == "float_list":
        return [f32_bits(float(v)) for v in values]
    return [str(int(v)) for v in values]


def tensor_values(t):
    a = t.numpy()
    if a.dtype == np.float32:
        return [f32_bits(float(v)) for v in a.reshape(-1)]
    if a.dtype == np.int64:
        return [str(int(v)) for v in a.reshape(-1)]
    return [bytes(v).hex() for v in a.reshape(-1)]


def main():
    path, schema_path = sys.argv[1], sys.argv[2]
    with open(schema_path, "rb") as f:
        schema = json.load(f)

    raw_records = [r.numpy() for r in tf.data.TFRecordDataset([path])]
    records, reserialized = [], []
    for raw in raw_records:
        ex = tf.train.Example.FromString(raw)
        out = {}
        for name, feat in ex.features.feature.items():
            kind = feat.WhichOneof("kind")
            out[name] = [kind, feature_values(kind, getattr(feat, kind).value)]
        records.append(out)
        again = canonical_bytes(ex)
        reserialized.append(True if again == raw else again.hex())

    dtypes = {"int64": tf.int64, "float32": tf.float32, "string": tf.string}
    spec = {}
    for f in schema["features"]:
        if f["spec"] is None:
            continue
        dtype = dtypes[f["dtype"]]
        if f["spec"].startswith("tf.io.FixedLenFeature"):
            shape = [] if f["minLength"] == 1 else [f["minLength"]]
            spec[f["name"]] = tf.io.FixedLenFeature(shape, dtype)
        else:
            spec[f["name"]] = tf.io.VarLenFeature(dtype)

    n = len(raw_records)
    batch = next(iter(tf.data.TFRecordDataset([path]).batch(max(n, 1))))
    parsed_tensors = tf.io.parse_example(batch, spec)
    parsed = {}
    for name, t in parsed_tensors.items():
        rows = [None] * n
        if isinstance(t, tf.SparseTensor):
            idx = t.indices.numpy()
            vals = tensor_values(t.values)
            for (row, _col), v in zip(idx, vals):
                rows[row] = (rows[row] or []) + [v]
        else:
            for row in range(n):
                rows[row] = tensor_values(t[row])
        parsed[name] = rows

    f64 = {}
    for f in schema["features"]:
        name = f["name"]
        if not name.endswith(":f64"):
            continue
        rows = []
        for raw in raw_records:
            ex = tf.train.Example.FromString(raw)
            if name not in ex.features.feature:
                rows.append(None)
                continue
            data = ex.features.feature[name].bytes_list.value[0]
            decoded = tf.io.decode_raw(tf.constant(data), tf.float64)
            rows.append([f64_bits(float(v)) for v in decoded.numpy()])
        f64[name] = rows

    json.dump({"records": records, "reserialized": reserialized, "parsed": parsed, "f64": f64}, sys.stdout)


if __name__ == "__main__":
    main()
