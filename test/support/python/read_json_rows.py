"""Parses JSON Lines (the row files of the caches view, concatenated) with Python's json module and prints, as
JSON, a typed dump of every row, so a test can check what a Python user gets: numbers that json parsed as int
(exact decimal digits) or float (the IEEE-754 double, as 16 hex digits big-endian), strings, lists, objects in
file order.

Usage: read_json_rows.py FILE.jsonl
"""

import json
import struct
import sys


def typed(v):
    if v is None:
        return ["null"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", struct.pack(">d", v).hex()]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, list):
        return ["list", [typed(x) for x in v]]
    return ["dict", [[k, typed(x)] for k, x in v.items()]]


def main():
    with open(sys.argv[1], "rb") as f:
        rows = [typed(json.loads(line)) for line in f.read().decode("utf-8").split("\n") if line]
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
