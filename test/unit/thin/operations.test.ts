import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteReader } from '../../../src/thin/protocol/byte-reader.js';
import { decodeGetBinaryType, encodeGetBinaryType } from '../../../src/thin/protocol/binary-type.js';
import { encodeCacheGet } from '../../../src/thin/protocol/cache-get.js';
import { decodeCacheGetSize, encodeCacheGetSize, PeekMode } from '../../../src/thin/protocol/cache-get-size.js';
import { decodeCacheGetConfiguration, encodeCacheGetConfiguration } from '../../../src/thin/protocol/cache-configuration.js';
import { decodeCacheGetNames, encodeCacheGetNames } from '../../../src/thin/protocol/cache-names.js';
import { decodeCachePartitions, encodeCachePartitions, partitionCountOf } from '../../../src/thin/protocol/cache-partitions.js';
import { DecodeError } from '../../../src/thin/protocol/errors.js';
import { binaryNameId, cacheId, javaHashCode, schemaId } from '../../../src/thin/protocol/java-hash.js';
import { decodeQueryScanCursorId, decodeScanPage, encodeQueryScan, encodeQueryScanGetPage } from '../../../src/thin/protocol/query-scan.js';
import { encodeResourceClose } from '../../../src/thin/protocol/resource-close.js';
import { encodePlainValue } from '../../../src/thin/protocol/value-encoder.js';
import { uuidPayload } from '../../../src/thin/protocol/uuid.js';
import { b, i16, i32, i64, T } from './golden.js';

const hex = (x: Buffer): string => x.toString('hex');
const header = (op: number, id: bigint, bodyLength: number): Buffer => b(i32(10 + bodyLength), i16(op), i64(id));

describe('ids', () => {
  it('Java hash codes, type/field ids and schema ids match the reference values', () => {
    // Reference values computed with pyignite 0.6.1 (pyignite.utils.hashcode / entity_id / schema_id).
    assert.equal(javaHashCode('Hello, World'), -505841268);
    assert.equal(cacheId('smoke-part'), -1274656367);
    assert.equal(binaryNameId('Person'), -991716523);
    assert.equal(binaryNameId('firstName'), 133788987);
    assert.equal(schemaId([binaryNameId('firstName'), binaryNameId('age')]), 1072521327);
    assert.equal(schemaId([binaryNameId('a')]), -169749532);
    assert.equal(schemaId([]), 0);
  });
});

describe('cache operations', () => {
  it('OP_CACHE_GET_NAMES', () => {
    assert.equal(hex(encodeCacheGetNames(3n)), hex(header(1050, 3n, 0)));
    assert.deepEqual(decodeCacheGetNames(new ByteReader(b(i32(2), T.string('a'), T.string('bé')))), ['a', 'bé']);
  });

  it('OP_CACHE_GET_CONFIGURATION reads the leading fields', () => {
    assert.equal(hex(encodeCacheGetConfiguration(4n, 77)), hex(b(header(1055, 4n, 5), i32(77), [0])));
    const body = b(i32(999), i32(1), i32(2), i32(2), [1], T.string('region'), [1], [0], T.null(), i64(0n), i32(500));
    assert.deepEqual(decodeCacheGetConfiguration(new ByteReader(body)), {
      atomicityMode: 1, backups: 2, cacheMode: 2, dataRegionName: 'region', groupName: null,
    });
  });

  it('OP_CACHE_PARTITIONS: applicable and non-applicable groups, partition count', () => {
    assert.equal(hex(encodeCachePartitions(5n, [10, 11])), hex(b(header(1101, 5n, 12), i32(2), i32(10), i32(11))));
    const body = b(
      i64(3n), i32(0), i32(2),
      // applicable group with one cache (one key config) and two nodes
      [1], i32(1), i32(10), i32(1), i32(100), i32(200),
      i32(2), T.uuid(1n, 1n), i32(2), i32(0), i32(2), T.uuid(2n, 2n), i32(2), i32(1), i32(3),
      // non-applicable group: ids only
      [0], i32(1), i32(11),
    );
    const r = decodeCachePartitions(new ByteReader(body));
    assert.equal(r.topologyVersion.major, 3n);
    assert.equal(r.mappings.length, 2);
    assert.equal(partitionCountOf(r, 10), 4);
    assert.equal(partitionCountOf(r, 11), undefined);
    assert.equal(partitionCountOf(r, 12), undefined);
  });

  it('OP_CACHE_GET_SIZE with peek modes', () => {
    assert.equal(hex(encodeCacheGetSize(6n, 9, [PeekMode.PRIMARY, PeekMode.BACKUP])), hex(b(header(1020, 6n, 11), i32(9), [0], i32(2), [2, 3])));
    assert.equal(decodeCacheGetSize(new ByteReader(i64(123n))), 123n);
  });

  it('OP_CACHE_GET sends key bytes as they are', () => {
    const key = T.string('k');
    assert.equal(hex(encodeCacheGet(7n, 9, key)), hex(b(header(1000, 7n, 5 + key.length), i32(9), [0], key)));
  });

  it('OP_RESOURCE_CLOSE', () => {
    assert.equal(hex(encodeResourceClose(8n, 0x55n)), hex(b(header(0, 8n, 8), i64(0x55n))));
  });

  it('OP_GET_BINARY_TYPE: fields, enum values, schemas; absent type', () => {
    assert.equal(hex(encodeGetBinaryType(9n, -3)), hex(b(header(3002, 9n, 4), i32(-3))));
    const body = b(
      [1], i32(55), T.string('Color'), T.null(),
      i32(1), T.string('f'), i32(3), i32(101),
      [1], i32(2), T.string('RED'), i32(0), T.string('GREEN'), i32(1),
      i32(1), i32(900), i32(1), i32(101),
    );
    const t = decodeGetBinaryType(new ByteReader(body))!;
    assert.equal(t.typeName, 'Color');
    assert.equal(t.affinityKeyField, null);
    assert.deepEqual(t.fields.get(101), { name: 'f', typeId: 3, fieldId: 101 });
    assert.deepEqual([...t.enumValues], [[0, 'RED'], [1, 'GREEN']]);
    assert.deepEqual([...t.schemas], [[900, [101]]]);
    assert.equal(decodeGetBinaryType(new ByteReader(b([0]))), null);
  });
});

describe('scan query', () => {
  it('OP_QUERY_SCAN and OP_QUERY_SCAN_CURSOR_GET_PAGE requests', () => {
    const want = b(header(2000, 1n, 15), i32(42), [0], [101], i32(100), i32(7), [0]);
    assert.equal(hex(encodeQueryScan(1n, { cacheId: 42, pageSize: 100, partition: 7 })), hex(want));
    assert.equal(hex(encodeQueryScanGetPage(2n, 99n)), hex(b(header(2001, 2n, 8), i64(99n))));
  });

  it('splits a page into rows whose bytes are slices of the message', () => {
    const body = b(i64(77n), i32(2), T.int(1), T.bytes([1, 2, 3]), T.string('k'), T.null(), [1]);
    const r = new ByteReader(body);
    assert.equal(decodeQueryScanCursorId(r), 77n);
    const page = decodeScanPage(r);
    assert.equal(page.hasMore, true);
    assert.equal(page.rowCount, 2);
    const rows = page.entries.map((e) => ('key' in e ? [hex(e.key), hex(e.value)] : 'error'));
    assert.deepEqual(rows, [[hex(T.int(1)), hex(T.bytes([1, 2, 3]))], [hex(T.string('k')), hex(T.null())]]);
    const first = page.entries[0]!;
    assert.ok('value' in first && first.value.buffer === body.buffer);
  });

  it('a row with an unknown top-level type code is reported, the page flag still read', () => {
    const body = b(i32(3), T.int(1), T.int(2), T.int(3), [99, 0, 0, 0], T.int(5), T.int(6), [0]);
    const page = decodeScanPage(new ByteReader(body));
    assert.equal(page.hasMore, false);
    assert.equal(page.entries.length, 2);
    const bad = page.entries[1]!;
    assert.ok('error' in bad && bad.error instanceof DecodeError && bad.error.typeCode === 99);
    assert.ok('error' in bad && bad.lostRows === 2);
  });

  it('bytes left after the rows are reported too', () => {
    const page = decodeScanPage(new ByteReader(b(i32(1), T.int(1), T.int(2), [0xee, 1])));
    assert.equal(page.entries.length, 2);
    assert.ok('error' in page.entries[1]!);
  });
});

describe('plain key encoding', () => {
  it('matches the wire format', () => {
    assert.equal(hex(encodePlainValue({ type: 'string', value: 'é' })), hex(T.string('é')));
    assert.equal(hex(encodePlainValue({ type: 'int', value: -1 })), hex(T.int(-1)));
    assert.equal(hex(encodePlainValue({ type: 'long', value: 1n << 60n })), hex(T.long(1n << 60n)));
    assert.equal(hex(encodePlainValue({ type: 'double', value: 0.5 })), hex(T.double(0.5)));
    assert.equal(hex(encodePlainValue({ type: 'bool', value: true })), hex(T.bool(true)));
    assert.equal(hex(encodePlainValue({ type: 'bytes', value: Buffer.from([255, 0]) })), hex(T.bytes([255, 0])));
    assert.equal(hex(encodePlainValue({ type: 'uuid', value: '01234567-89ab-cdef-f123-456789abcdef' })), hex(T.uuid(0x0123456789abcdefn, -0x0edcba9876543211n)));
    assert.throws(() => uuidPayload('nope'), RangeError);
  });
});
