#!/usr/bin/env python3
"""Loads scikit-learn's bundled 8x8 digits (1,797 images, no download) into an Ignite cache with pyignite 0.6.1.

Usage: load_digits.py [--host H] [--port P] [--cache NAME] [--count N] [--if-missing] [--destroy]

Each entry: key int (the sample's index), value a binary object of type `Digit` with fields
  label  int        the digit 0..9
  pixels float[64]  the 8x8 image row by row, values 0..16
Prints one JSON line: {"cache": ..., "rows": n}. --if-missing loads nothing when the cache already holds the
rows; --destroy removes the cache instead.
"""
import argparse
import json

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import FloatArrayObject, IntObject
from sklearn.datasets import load_digits


class Digit(metaclass=GenericObjectMeta, type_name='Digit', schema={
    'label': IntObject,
    'pixels': FloatArrayObject,
}):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=10800)
    ap.add_argument('--cache', default='digits')
    ap.add_argument('--count', type=int, default=None)
    ap.add_argument('--if-missing', action='store_true')
    ap.add_argument('--destroy', action='store_true')
    args = ap.parse_args()
    client = Client()
    with client.connect(args.host, args.port):
        if args.destroy:
            client.get_or_create_cache(args.cache).destroy()
            print(json.dumps({'cache': args.cache, 'destroyed': True}))
            return
        digits = load_digits()
        n = len(digits.target) if args.count is None else min(args.count, len(digits.target))
        cache = client.get_or_create_cache(args.cache)
        if args.if_missing and cache.get_size() >= n:
            print(json.dumps({'cache': args.cache, 'rows': n, 'loaded': False}))
            return
        batch = {}
        for i in range(n):
            value = Digit(label=int(digits.target[i]), pixels=[float(x) for x in digits.data[i]])
            batch[(i, IntObject)] = value
            if len(batch) == 200:
                cache.put_all(batch)
                batch = {}
        if batch:
            cache.put_all(batch)
        print(json.dumps({'cache': args.cache, 'rows': n}))


if __name__ == '__main__':
    main()
