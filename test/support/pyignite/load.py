#!/usr/bin/env python3
"""Independent loader of test rows for ignite-fuse's thin-client tests (pyignite 0.6.1, not our code).

Usage: load.py [--host H] [--port P] [--ssl-dir DIR] [--username U --password P] [--full-footer]
               [--cache-mode partitioned|replicated] SCENARIO CACHE [--count N] [--seed S] [--size BYTES]

Scenarios: bytes, strings, objects, sql, many, big, destroy. Prints one JSON document on stdout: what was
loaded, in the canonical value mapping below, so a reader under test can be compared row by row.

Canonical value mapping (the Node tests build the same form from what they decode):
  null -> null; bool -> true/false; String -> JSON string
  byte/short/int/long -> {"i": "<decimal>"}   (string: 64-bit exact; the wire type code is checked separately)
  float/double -> {"f": <number>}  (values are chosen exactly representable in float32)
  char -> {"c": "<char>"}; UUID -> {"uuid": "<canonical text>"}
  Date -> {"date_ms": n}; Timestamp -> {"ts_ms": n, "ns": n}; Time -> {"time_ms": n}
  Decimal -> {"dec": "<plain notation, no trailing fractional zeros>"}
  Enum / binary enum -> {"enum": <type id>, "ord": n}
  byte[] -> {"bytes": "<sha256 hex>", "len": n}; char[] -> {"chars": "<string>"}
  other arrays, object arrays, collections -> {"arr": [...]}; map -> {"map": [[k, v], ...]}
  complex object -> {"obj": "<type name>", "fields": {name: value}, "codes": {name: <wire type code>}}
Each row: {"key": ..., "value": ..., "key_code": n, "value_code": n}.
"""
import argparse
import datetime as dt
import decimal
import hashlib
import json
import random
import ssl
import sys
import uuid
from collections import OrderedDict

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import (
    BinaryEnumObject, BinaryObject, BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharArrayObject,
    CharObject, CollectionObject, DateArrayObject, DateObject, DecimalArrayObject, DecimalObject, DoubleArrayObject,
    DoubleObject, EnumArrayObject, EnumObject, FloatArrayObject, FloatObject, IntArrayObject, IntObject,
    LongArrayObject, LongObject, MapObject, ObjectArrayObject, ShortArrayObject, ShortObject, String,
    StringArrayObject, TimeArrayObject, TimeObject, TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_CACHE_MODE, PROP_NAME

UTC = dt.timezone.utc


def code(hint):
    return int.from_bytes(hint.type_code, 'little')


class V:
    """A value to load: the Python value, its pyignite type hint, and its canonical JSON form."""

    def __init__(self, value, hint, canon):
        self.value, self.hint, self.canon = value, hint, canon

    @property
    def code(self):
        return 101 if self.value is None else code(self.hint)


def v_int(n, hint=IntObject):
    return V(n, hint, {'i': str(n)})


def v_float(x, hint=DoubleObject):
    return V(x, hint, {'f': x})


def v_str(s):
    return V(s, String, s)


def v_bytes(b):
    return V(b, ByteArrayObject, {'bytes': hashlib.sha256(b).hexdigest(), 'len': len(b)})


def v_uuid(u):
    return V(u, UUIDObject, {'uuid': str(u)})


def v_date(d):
    return V(d, DateObject, {'date_ms': int(d.timestamp() * 1000)})  # the expression pyignite writes


def v_ts(d, ns):
    return V((d, ns), TimestampObject, {'ts_ms': int(d.timestamp() * 1000), 'ns': ns})


def v_time(td):
    return V(td, TimeObject, {'time_ms': int(td.total_seconds() * 1000)})


def canon_decimal(d):
    s = format(d.normalize(), 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


def v_dec(s):
    d = decimal.Decimal(s)
    return V(d, DecimalObject, {'dec': canon_decimal(d)})


def v_obj(cls, type_name, fields):
    """fields: OrderedDict name -> V. Builds an instance of a GenericObjectMeta class."""
    obj = cls()
    for name, v in fields.items():
        setattr(obj, name, v.value)
    return V(obj, BinaryObject, {
        'obj': type_name,
        'fields': {n: v.canon for n, v in fields.items()},
        'codes': {n: (103 if v.hint is BinaryObject and v.value is not None else v.code) for n, v in fields.items()},
    })


def make_class(type_name, fields):
    schema = OrderedDict((n, v.hint) for n, v in fields.items())
    return GenericObjectMeta(type_name, (), {}, type_name=type_name, schema=schema)


def every_type_fields(rnd, i):
    """One field per type code pyignite can write, with values that vary by row."""
    when = dt.datetime(2024, 1, 2, 3, 4, 5, (123 + i) * 1000, tzinfo=UTC)
    u = uuid.UUID(int=rnd.getrandbits(128))
    f = OrderedDict()
    f['f_byte'] = v_int(-100 + i % 50, ByteObject)
    f['f_short'] = v_int(-30000 + i, ShortObject)
    f['f_int'] = v_int(2_000_000_000 - i, IntObject)
    f['f_long'] = v_int(9_007_199_254_740_993 + i, LongObject)  # beyond 2^53
    f['f_float'] = v_float(1.5 + i, FloatObject)
    f['f_double'] = v_float(0.1 * (i + 1), DoubleObject)
    f['f_char'] = V('é', CharObject, {'c': 'é'})
    f['f_bool'] = V(i % 2 == 0, BoolObject, i % 2 == 0)
    f['f_string'] = v_str(f'héllo ✓ 😀 {i}')
    f['f_uuid'] = v_uuid(u)
    f['f_date'] = v_date(when)
    f['f_timestamp'] = v_ts(when, 456_789)
    f['f_time'] = v_time(dt.timedelta(hours=1, minutes=2, seconds=3, milliseconds=4 + i))
    f['f_decimal'] = v_dec(f'-{i}12345678901234567890.0450')
    f['f_enum'] = V((12345, i % 3), EnumObject, {'enum': 12345, 'ord': i % 3})
    f['f_benum'] = V((12346, 1), BinaryEnumObject, {'enum': 12346, 'ord': 1})
    blob = rnd.randbytes(rnd.randint(0, 300))
    f['f_bytes'] = v_bytes(blob)
    f['f_shorts'] = V([1, -2, 300], ShortArrayObject, {'arr': [{'i': '1'}, {'i': '-2'}, {'i': '300'}]})
    f['f_ints'] = V([i, -i, 7], IntArrayObject, {'arr': [{'i': str(i)}, {'i': str(-i)}, {'i': '7'}]})
    f['f_longs'] = V([1 << 60, -5], LongArrayObject, {'arr': [{'i': str(1 << 60)}, {'i': '-5'}]})
    f['f_floats'] = V([0.5, -2.25], FloatArrayObject, {'arr': [{'f': 0.5}, {'f': -2.25}]})
    f['f_doubles'] = V([0.1, 1e300], DoubleArrayObject, {'arr': [{'f': 0.1}, {'f': 1e300}]})
    f['f_chars'] = V(['a', 'é'], CharArrayObject, {'chars': 'aé'})
    f['f_bools'] = V([True, False], BoolArrayObject, {'arr': [True, False]})
    f['f_strings'] = V(['a', None, 'ü'], StringArrayObject, {'arr': ['a', None, 'ü']})
    f['f_uuids'] = V([u, None], UUIDArrayObject, {'arr': [{'uuid': str(u)}, None]})
    f['f_dates'] = V([when], DateArrayObject, {'arr': [v_date(when).canon]})
    f['f_timestamps'] = V([(when, 1)], TimestampArrayObject, {'arr': [v_ts(when, 1).canon]})
    f['f_times'] = V([dt.timedelta(seconds=1)], TimeArrayObject, {'arr': [{'time_ms': 1000}]})
    f['f_decimals'] = V([decimal.Decimal('1.5'), None], DecimalArrayObject, {'arr': [{'dec': '1.5'}, None]})
    f['f_enums'] = V((12345, [(12345, 0), (12345, 2)]), EnumArrayObject,
                     {'arr': [{'enum': 12345, 'ord': 0}, {'enum': 12345, 'ord': 2}]})
    f['f_objects'] = V((-1, [1, 'two', None, 2.5]), ObjectArrayObject,
                       {'arr': [{'i': '1'}, 'two', None, {'f': 2.5}]})
    f['f_collection'] = V((1, [1, 'x', [2, 3]]), CollectionObject,
                          {'arr': [{'i': '1'}, 'x', {'arr': [{'i': '2'}, {'i': '3'}]}]})
    f['f_map'] = V((1, OrderedDict([('a', 1), ('b', 'two')])), MapObject,
                   {'map': [['a', {'i': '1'}], ['b', 'two']]})
    f['f_null'] = V(None, String, None)
    return f


def row(key, value):
    return {'key': key.canon, 'value': value.canon, 'key_code': key.code, 'value_code': value.code}


def connect(args, compact_footer=None):
    kwargs = {}
    if args.ssl_dir:
        kwargs.update(use_ssl=True, ssl_version=ssl.PROTOCOL_TLSv1_2,
                      ssl_ca_certfile=f'{args.ssl_dir}/ca.pem', ssl_certfile=f'{args.ssl_dir}/client.pem',
                      ssl_keyfile=f'{args.ssl_dir}/client-key.pem',
                      ssl_keyfile_password=open(f'{args.ssl_dir}/client-key.pass').read().strip())
    if args.username:
        kwargs.update(username=args.username, password=args.password)
    client = Client(compact_footer=compact_footer, **kwargs)
    client.connect(args.host, args.port)
    return client


def get_cache(client, args):
    settings = {PROP_NAME: args.cache}
    if args.cache_mode:
        settings[PROP_CACHE_MODE] = {'partitioned': CacheMode.PARTITIONED, 'replicated': CacheMode.REPLICATED}[args.cache_mode]
    return client.get_or_create_cache(settings)


def scenario_bytes(client, args, rnd):
    cache = get_cache(client, args)
    rows = []
    sizes = [0, 1, 127, 128, 65536, 4 * 1024 * 1024] + [rnd.randint(0, 4 * 1024 * 1024) for _ in range(args.count)]
    for i, n in enumerate(sizes):
        k, v = v_int(i), v_bytes(rnd.randbytes(n))
        cache.put(k.value, v.value, key_hint=k.hint, value_hint=v.hint)
        rows.append(row(k, v))
    return rows


def scenario_strings(client, args, rnd):
    cache = get_cache(client, args)
    rows = []
    samples = ['', 'plain', 'ünïcödé', '日本語テキスト', 'emoji 😀🎉', 'x' * 100_000, 'line\nbreak\ttab']
    for i in range(args.count):
        samples.append(''.join(chr(rnd.choice([rnd.randint(0x20, 0x7e), rnd.randint(0xa0, 0x2fff)])) for _ in range(rnd.randint(0, 50))))
    for i, s in enumerate(samples):
        k, v = v_str(f'key-{i:04d}-ключ'), v_str(s)
        cache.put(k.value, v.value, key_hint=k.hint, value_hint=v.hint)
        rows.append(row(k, v))
    return rows


def scenario_objects(client, args, rnd):
    """Rows of different shapes, keys of several types, every value type (compact or full footers)."""
    cache = get_cache(client, args)
    suffix = args.cache.replace('-', '_')
    rows = []
    sample = every_type_fields(rnd, 0)
    every_cls = make_class(f'EveryType_{suffix}', sample)
    inner_fields = OrderedDict([('name', v_str('inner')), ('n', v_int(1))])
    inner_cls = make_class(f'Inner_{suffix}', inner_fields)
    outer_proto = OrderedDict([('label', v_str('x')), ('child', v_obj(inner_cls, f'Inner_{suffix}', inner_fields))])
    outer_cls = make_class(f'Outer_{suffix}', outer_proto)
    key_fields = OrderedDict([('region', v_str('eu')), ('id', v_int(1, LongObject))])
    key_cls = make_class(f'Key_{suffix}', key_fields)
    # pyignite 0.6.1 registers the binary type of values it writes but not of keys: without this the server has
    # no metadata for the key type (and a compact-footer key cannot be read by anyone but its writer).
    if not args.unregistered_keys:
        client.register_binary_type(key_cls)
    for i in range(args.count):
        shape = i % 5
        if shape == 0:
            k = v_int(i)
            v = v_obj(every_cls, f'EveryType_{suffix}', every_type_fields(rnd, i))
        elif shape == 1:
            k = v_int(10_000_000_000 + i, LongObject)
            inner = OrderedDict([('name', v_str(f'in{i}')), ('n', v_int(i))])
            v = v_obj(outer_cls, f'Outer_{suffix}', OrderedDict([
                ('label', v_str(f'outer {i}')), ('child', v_obj(inner_cls, f'Inner_{suffix}', inner))]))
        elif shape == 2:
            k = v_str(f'string key {i}')
            v = v_str(f'plain string value {i}')
        elif shape == 3:
            k = v_uuid(uuid.UUID(int=rnd.getrandbits(128)))
            v = v_int(i, LongObject)
        else:
            k = v_obj(key_cls, f'Key_{suffix}', OrderedDict([('region', v_str(f'r{i % 3}')), ('id', v_int(i, LongObject))]))
            v = v_bytes(rnd.randbytes(rnd.randint(0, 1000)))
        cache.put(k.value, v.value, key_hint=k.hint, value_hint=v.hint)
        rows.append(row(k, v))
    return rows


def scenario_sql(client, args, rnd):
    table = args.cache.upper().replace('-', '_')
    type_name = f'SqlRow_{table}'
    client.sql(f'CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR, score DOUBLE, big BIGINT, '
               f'amount DECIMAL, flag BOOLEAN) WITH "CACHE_NAME={args.cache},VALUE_TYPE={type_name}"')
    rows = []
    for i in range(args.count):
        name = None if i % 7 == 3 else f'name {i} ✓'
        score, big, amount, flag = i * 0.5, (1 << 40) + i, decimal.Decimal(f'{i}.25'), i % 2 == 1
        client.sql(f'INSERT INTO {table} (id, name, score, big, amount, flag) VALUES (?, ?, ?, ?, ?, ?)',
                   query_args=[i, name, score, big, amount, flag])
        fields = OrderedDict([
            ('NAME', name), ('SCORE', {'f': score}), ('BIG', {'i': str(big)}),
            ('AMOUNT', {'dec': canon_decimal(amount)}), ('FLAG', flag)])
        codes = {'NAME': 101 if name is None else 9, 'SCORE': 6, 'BIG': 4, 'AMOUNT': 30, 'FLAG': 8}
        rows.append({'key': {'i': str(i)}, 'key_code': 3, 'value_code': 103,
                     'value': {'obj': type_name, 'fields': fields, 'codes': codes}})
    return rows


def scenario_many(client, args, rnd):
    cache = get_cache(client, args)
    """`count` rows int i -> String 'v<i>:' padded with '.' to `size` bytes (when size > that)."""
    batch = {}
    for i in range(args.count):
        head = f'v{i}:'
        batch[(i, IntObject)] = (head + '.' * max(0, args.size - len(head)), String)
        if len(batch) == 5000:
            cache.put_all(batch)
            batch = {}
    if batch:
        cache.put_all(batch)
    return {'count': args.count, 'size': args.size}


def scenario_big(client, args, rnd):
    cache = get_cache(client, args)
    blob = rnd.randbytes(args.size)
    for i in range(args.count):
        cache.put(i, blob, key_hint=IntObject, value_hint=ByteArrayObject)
    return {'count': args.count, 'size': args.size, 'sha256': hashlib.sha256(blob).hexdigest()}


def scenario_destroy(client, args, rnd):
    client.get_cache(args.cache).destroy()
    return {'destroyed': args.cache}


SCENARIOS = {
    'bytes': scenario_bytes, 'strings': scenario_strings, 'objects': scenario_objects, 'sql': scenario_sql,
    'many': scenario_many, 'big': scenario_big, 'destroy': scenario_destroy,
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=10800)
    p.add_argument('--ssl-dir')
    p.add_argument('--username')
    p.add_argument('--password')
    p.add_argument('--unregistered-keys', action='store_true',
                   help='objects: leave the complex key type unregistered (pyignite\'s default for keys)')
    p.add_argument('--cache-mode', choices=['partitioned', 'replicated'])
    p.add_argument('--full-footer', action='store_true', help='write complex objects with full (non-compact) footers')
    p.add_argument('scenario', choices=sorted(SCENARIOS))
    p.add_argument('cache')
    p.add_argument('--count', type=int, default=20)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--size', type=int, default=1024 * 1024)
    args = p.parse_args()
    client = connect(args, compact_footer=False if args.full_footer else None)
    try:
        result = SCENARIOS[args.scenario](client, args, random.Random(args.seed))
    finally:
        client.close()
    json.dump({'cache': args.cache, 'rows' if isinstance(result, list) else 'summary': result}, sys.stdout,
              ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
