#!/usr/bin/env python3
"""Independent loader of rows for ignite-fuse's caches-view tests (pyignite 0.6.1, not our code).

Usage: load_view_data.py [--host H] [--port P] [--username U --password P] load PREFIX
       load_view_data.py [--host H] [--port P] destroy CACHE...
       load_view_data.py [--host H] [--port P] many CACHE COUNT
       load_view_data.py [--host H] [--port P] put CACHE INT_KEY STRING_VALUE

`load` creates caches PREFIX-bytes, PREFIX-strings, PREFIX-objects, PREFIX-mixed, PREFIX-keys, PREFIX-broken and a
SQL table (cache PREFIX_sql) and prints one JSON manifest: for each cache, every row's expected file name under
rows/ and its expected content, written from the documented mapping (docs/CACHES-VIEW.md) by this script:
  {"kind": "raw", "b64": ...}   byte[] values: the raw bytes
  {"kind": "text", "text": ...} String values: the UTF-8 text
  {"kind": "json", "value": ...} everything else: the JSON value the file must parse to
  {"kind": "eio", "typeCode": n} a value the decoder cannot understand (the file reads EIO)
`many` loads COUNT small rows (int key -> short String) with put_all batches; `put` puts one String value.
"""
import argparse
import base64
import datetime as dt
import decimal
import json
import random
import uuid

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import (
    BinaryObject, BoolObject, ByteArrayObject, CollectionObject, DateObject, DecimalObject, DoubleObject,
    FloatObject, IntArrayObject, IntObject, LongObject, MapObject, ShortObject, String, UUIDObject,
)
from pyignite.datatypes.base import IgniteDataType
from pyignite.stream import BinaryStream

UTC = dt.timezone.utc


class Address(metaclass=GenericObjectMeta, type_name='CvAddress', schema={
    'city': String,
    'zip': IntObject,
}):
    pass


class Person(metaclass=GenericObjectMeta, type_name='CvPerson', schema={
    'name': String,
    'age': IntObject,
    'id': LongObject,
    'height': DoubleObject,
    'ratio': FloatObject,
    'active': BoolObject,
    'token': UUIDObject,
    'born': DateObject,
    'balance': DecimalObject,
    'tags': CollectionObject,
    'attrs': MapObject,
    'scores': IntArrayObject,
    'address': BinaryObject,
    'level': ShortObject,
}):
    pass


class Point(metaclass=GenericObjectMeta, type_name='CvPoint', schema={
    'x': DoubleObject,
    'y': DoubleObject,
}):
    pass


class Broken(metaclass=GenericObjectMeta, type_name='CvBroken', schema={
    'n': IntObject,
}):
    pass


class RawValue(IgniteDataType):
    """Writes the given bytes as they are: a value pyignite itself would never produce."""

    @classmethod
    def from_python(cls, stream, value, **kwargs):
        stream.write(value)


def escape_name(text, starts_name=True):
    """The documented escaping of a name payload: %XX for % / ~, controls, DEL, C1 controls, a leading dot."""
    out = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if ch in '%/~' or cp < 0x20 or cp == 0x7f or 0x80 <= cp <= 0x9f or (ch == '.' and i == 0 and starts_name):
            out.append(''.join('%%%02X' % b for b in ch.encode('utf-8')))
        else:
            out.append(ch)
    return ''.join(out)


def raw(b):
    return {'kind': 'raw', 'b64': base64.b64encode(b).decode('ascii')}


def text(s):
    return {'kind': 'text', 'text': s}


def as_json(v):
    return {'kind': 'json', 'value': v}


def iso_ms(d):
    return d.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (d.microsecond // 1000)


def load_bytes(client, name, rnd):
    cache = client.get_or_create_cache(name)
    rows = {}
    sizes = [0, 1, 7, 1000, 65536, 300000]
    for i, n in enumerate(sizes):
        data = bytes(rnd.getrandbits(8) for _ in range(n)) if n < 70000 else rnd.randbytes(n)
        cache.put(i, data, key_hint=IntObject, value_hint=ByteArrayObject)
        rows[str(i)] = raw(data)
    return rows


def load_strings(client, name):
    cache = client.get_or_create_cache(name)
    keys = ['plain', 'a/b', '50%', '.hidden', '..', 'tilde~x', 'tab\there', 'ünïcødé 東京', '', 'x' * 300]
    rows = {}
    for i, k in enumerate(keys):
        value = 'value of %r: %s' % (k, 'é' * i)
        cache.put(k, value, key_hint=String, value_hint=String)
        nm = '~' if k == '' else escape_name(k)
        if len(nm.encode('utf-8')) > 255:
            nm = None  # shortened with a hash: checked through the listing, not by name
        rows[nm if nm is not None else 'LONG:' + k] = text(value)
    return rows


def person(i):
    born = dt.datetime(1980 + i, 1 + i % 12, 1 + i, 12, 30, 15, 123000, tzinfo=UTC)
    token = uuid.UUID(int=(0x123e4567e89b12d3a456426614174000 + i))
    bal = decimal.Decimal('%d.%02d' % (1000 + i, i))
    p = Person(
        name='person %d' % i, age=20 + i, id=9007199254740000 + i, height=1.5 + i / 4, ratio=0.25 * i,
        active=i % 2 == 0, token=token, born=born, balance=bal,
        tags=(CollectionObject.ARR_LIST, ['t%d' % j for j in range(i % 3 + 1)]),
        attrs=(MapObject.LINKED_HASH_MAP, {'k%d' % j: 'v%d' % j for j in range(2)}),
        scores=[i, -i, 2 ** 31 - 1], address=Address(city='city %d' % i, zip=10000 + i), level=-i,
    )
    expected = {
        'name': 'person %d' % i, 'age': 20 + i, 'id': 9007199254740000 + i, 'height': 1.5 + i / 4,
        'ratio': 0.25 * i, 'active': i % 2 == 0, 'token': str(token), 'born': iso_ms(born), 'balance': format(bal.normalize(), 'f'),  # pyignite sends Decimal.normalize()d values
        'tags': ['t%d' % j for j in range(i % 3 + 1)], 'attrs': {'k%d' % j: 'v%d' % j for j in range(2)},
        'scores': [i, -i, 2 ** 31 - 1], 'address': {'city': 'city %d' % i, 'zip': 10000 + i}, 'level': -i,
    }
    return p, expected


def load_objects(client, name):
    cache = client.get_or_create_cache(name)
    rows = {}
    for i in range(8):
        p, expected = person(i)
        cache.put(i, p, key_hint=IntObject)
        rows[str(i)] = as_json(expected)
    for i in range(8, 12):
        cache.put(i, Point(x=i + 0.5, y=-i - 0.25), key_hint=IntObject)
        rows[str(i)] = as_json({'x': i + 0.5, 'y': -i - 0.25})
    return rows


def load_mixed(client, name):
    """Values of several shapes in one cache (all keys long, so names stay bare)."""
    cache = client.get_or_create_cache(name)
    rows = {}
    cache.put(1, 'a string', key_hint=LongObject, value_hint=String)
    rows['1'] = text('a string')
    cache.put(2, 42, key_hint=LongObject, value_hint=IntObject)
    rows['2'] = as_json(42)
    cache.put(3, b'\x00\x01raw', key_hint=LongObject, value_hint=ByteArrayObject)
    rows['3'] = raw(b'\x00\x01raw')
    cache.put(4, Point(x=1.0, y=2.0), key_hint=LongObject)
    rows['4'] = as_json({'x': 1.0, 'y': 2.0})
    cache.put(5, 2.5, key_hint=LongObject, value_hint=DoubleObject)
    rows['5'] = as_json(2.5)
    cache.put(6, True, key_hint=LongObject, value_hint=BoolObject)
    rows['6'] = as_json(True)
    cache.put(7, (CollectionObject.ARR_LIST, ['x', 'y']), key_hint=LongObject, value_hint=CollectionObject)
    rows['7'] = as_json(['x', 'y'])
    return rows


def load_keys(client, name):
    """Keys of several types in one cache: typed names."""
    cache = client.get_or_create_cache(name)
    rows = {}
    cache.put(1, 'int one', key_hint=IntObject, value_hint=String)
    rows['i~1'] = text('int one')
    cache.put(1, 'long one', key_hint=LongObject, value_hint=String)
    rows['l~1'] = text('long one')
    cache.put('1', 'string one', key_hint=String, value_hint=String)
    rows['s~1'] = text('string one')
    cache.put('a/b', 'slash', key_hint=String, value_hint=String)
    rows['s~a%2Fb'] = text('slash')
    return rows


def load_broken(client, name):
    """One value with a field whose type code (99) no Ignite type has, beside good rows."""
    cache = client.get_or_create_cache(name)
    cache.put(1, Broken(n=7), key_hint=IntObject)  # registers the type and its schema
    stream = BinaryStream(client)
    BinaryObject.from_python(stream, Broken(n=8))
    data = bytearray(stream.getvalue())
    header = 24  # the object header; the only field's data follows it
    assert data[0] == 103 and data[header] == 3, data[:32]
    data[header] = 99
    cache.put(2, bytes(data), key_hint=IntObject, value_hint=RawValue)
    cache.put(3, 'fine', key_hint=IntObject, value_hint=String)
    return {'1': as_json({'n': 7}), '2': {'kind': 'eio', 'typeCode': 99}, '3': text('fine')}


def run_sql(client, q, args=None):
    with client.sql(q, query_args=args) as cur:
        return list(cur)


def load_sql(client, name):
    run_sql(client, 'CREATE TABLE %s (id INT PRIMARY KEY, name VARCHAR, pop BIGINT, area DOUBLE) '
                    'WITH "CACHE_NAME=%s,VALUE_TYPE=%s_row"' % (name, name, name))
    rows = {}
    cities = [(1, 'Paris', 2148000, 105.4), (2, 'Zürich', 421878, 87.88), (3, 'Tokyo', 13960000, 2194.07)]
    for cid, cname, pop, area in cities:
        run_sql(client, 'INSERT INTO %s (id, name, pop, area) VALUES (?, ?, ?, ?)' % name, [cid, cname, pop, area])
        rows[str(cid)] = as_json({'NAME': cname, 'POP': pop, 'AREA': area})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=10800)
    ap.add_argument('--username')
    ap.add_argument('--password')
    ap.add_argument('command', choices=['load', 'destroy', 'many', 'put'])
    ap.add_argument('args', nargs='*')
    a = ap.parse_args()
    client = Client(username=a.username, password=a.password) if a.username else Client()
    with client.connect(a.host, a.port):
        if a.command == 'destroy':
            for name in a.args:
                if name.endswith('_sql'):
                    run_sql(client, 'DROP TABLE IF EXISTS %s' % name)
                if name in client.get_cache_names():
                    client.get_cache(name).destroy()
            print(json.dumps({'destroyed': a.args}))
            return
        if a.command == 'put':
            client.get_or_create_cache(a.args[0]).put(int(a.args[1]), a.args[2], key_hint=IntObject, value_hint=String)
            print(json.dumps({'put': a.args}))
            return
        if a.command == 'many':
            name, count = a.args[0], int(a.args[1])
            cache = client.get_or_create_cache(name)
            batch = {}
            for i in range(count):
                batch[(i, IntObject)] = 'row %d' % i
                if len(batch) == 1000:
                    cache.put_all(batch)
                    batch = {}
            if batch:
                cache.put_all(batch)
            print(json.dumps({'cache': name, 'rows': count}))
            return
        prefix = a.args[0]
        rnd = random.Random(7)
        manifest = {
            prefix + '-bytes': load_bytes(client, prefix + '-bytes', rnd),
            prefix + '-strings': load_strings(client, prefix + '-strings'),
            prefix + '-objects': load_objects(client, prefix + '-objects'),
            prefix + '-mixed': load_mixed(client, prefix + '-mixed'),
            prefix + '-keys': load_keys(client, prefix + '-keys'),
            prefix + '-broken': load_broken(client, prefix + '-broken'),
            prefix + '_sql': load_sql(client, prefix + '_sql'),
        }
        print(json.dumps(manifest))


if __name__ == '__main__':
    main()
