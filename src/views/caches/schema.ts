// Schema inference for DIR/<cache>/schema.json: fed every row of a cache (in scan order), it counts which types
// the key and the value had, which fields objects had and with which types, and which tf.train.Example features
// the rows produced with which dtype and list lengths, so a user can write the feature spec for
// tf.io.parse_example (FixedLenFeature for features present in every row with one length, else VarLenFeature).
// Ignite caches are schemaless per row (binary objects of one type may have different fields, a cache may mix key
// types), so everything is a count, never an assumption. Output order is deterministic: fields in first-seen
// order (the binary type's schema order for the first object), features sorted by name.

import { rowFeatures, type Feature, type FeatureKind } from './example.js';
import type { CacheRow, IgniteValue } from './value-model.js';

/** Statistics of the values seen at one position (the key, the value, a field, the items of a collection...). */
class ValueStats {
  seen = 0;
  nulls = 0;
  readonly types = new Map<string, number>();
  readonly typeNames = new Map<string, number>();
  objects = 0;
  readonly fields = new Map<string, ValueStats>();
  items: ValueStats | null = null;
  mapKeys: ValueStats | null = null;
  mapValues: ValueStats | null = null;

  add(v: IgniteValue): void {
    this.seen++;
    if (v === null) {
      this.nulls++;
      return;
    }
    const label = v.type === 'array' ? `${v.elementType}Array` : v.type;
    bump(this.types, label);
    switch (v.type) {
      case 'object':
        bump(this.typeNames, v.typeName);
        this.objects++;
        for (const [name, fv] of v.fields) {
          let f = this.fields.get(name);
          if (f === undefined) this.fields.set(name, (f = new ValueStats()));
          f.add(fv);
        }
        break;
      case 'enum':
        if (v.typeName !== undefined) bump(this.typeNames, v.typeName);
        break;
      case 'array':
      case 'collection':
      case 'objectArray':
        this.items ??= new ValueStats();
        for (const x of v.items) this.items.add(x);
        break;
      case 'map':
        this.mapKeys ??= new ValueStats();
        this.mapValues ??= new ValueStats();
        for (const [k, x] of v.entries) {
          this.mapKeys.add(k);
          this.mapValues.add(x);
        }
        break;
      default:
        break;
    }
  }

  toJson(): ValueSchema {
    const out: ValueSchema = { types: Object.fromEntries(this.types), nulls: this.nulls };
    if (this.typeNames.size > 0) out.typeNames = Object.fromEntries(this.typeNames);
    if (this.fields.size > 0) {
      out.fields = [...this.fields].map(([name, f]) => {
        const missing = this.objects - f.seen;
        return { name, ...f.toJson(), missing, nullable: missing > 0 || f.nulls > 0 };
      });
    }
    if (this.items !== null) out.items = this.items.toJson();
    if (this.mapKeys !== null) out.mapKeys = this.mapKeys.toJson();
    if (this.mapValues !== null) out.mapValues = this.mapValues.toJson();
    return out;
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export interface ValueSchema {
  /** Type tag (value-model `type`, `<element>Array` for reference arrays) -> number of values of that type. */
  types: Record<string, number>;
  nulls: number;
  /** Binary type names of objects (and enums) -> count. */
  typeNames?: Record<string, number>;
  fields?: FieldSchema[];
  /** Elements of arrays, collections and object arrays, all merged. */
  items?: ValueSchema;
  mapKeys?: ValueSchema;
  mapValues?: ValueSchema;
}

export interface FieldSchema extends ValueSchema {
  name: string;
  /** Objects of the parent position that lacked the field. */
  missing: number;
  nullable: boolean;
}

/** TensorFlow dtype names of the three Example list kinds. */
const TF_DTYPE: Record<FeatureKind, string> = { int64: 'int64', float: 'float32', bytes: 'string' };

export interface FeatureSchema {
  name: string;
  /** tf dtype when every row had the same list kind, else null (see dtypes). */
  dtype: string | null;
  /** List kind -> rows (when more than one kind occurred, no single spec fits). */
  dtypes: Record<string, number>;
  /** Rows in which the feature was present. */
  rows: number;
  minLength: number;
  maxLength: number;
  /** What the bytes hold, when not UTF-8 text or raw bytes: "float64-le" (decode_raw) or "json". */
  encoding?: string;
  /** A tf.io feature spec that parses this feature for every row seen, or null when none does (dtype conflict). */
  spec: string | null;
}

export interface CacheSchema {
  format: 'ignite-fuse-cache-schema/1';
  cache: string;
  rows: number;
  key: ValueSchema;
  value: ValueSchema;
  features: FeatureSchema[];
}

interface FeatureStats {
  kinds: Map<FeatureKind, number>;
  rows: number;
  minLength: number;
  maxLength: number;
}

/** Accumulates the schema of a cache row by row. */
export class SchemaBuilder {
  private rows = 0;
  private readonly key = new ValueStats();
  private readonly value = new ValueStats();
  private readonly features = new Map<string, FeatureStats>();

  constructor(private readonly cacheName: string) {}

  /** Adds one row; pass `features` when the caller already flattened the row (saves doing it twice). */
  add(row: CacheRow, features: Map<string, Feature> = rowFeatures(row)): void {
    this.rows++;
    this.key.add(row.key);
    this.value.add(row.value);
    for (const [name, f] of features) {
      let s = this.features.get(name);
      if (s === undefined) {
        s = { kinds: new Map(), rows: 0, minLength: Infinity, maxLength: 0 };
        this.features.set(name, s);
      }
      s.rows++;
      s.kinds.set(f.kind, (s.kinds.get(f.kind) ?? 0) + 1);
      const n = f.values.length;
      if (n < s.minLength) s.minLength = n;
      if (n > s.maxLength) s.maxLength = n;
    }
  }

  toJson(): CacheSchema {
    const names = [...this.features.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return {
      format: 'ignite-fuse-cache-schema/1',
      cache: this.cacheName,
      rows: this.rows,
      key: this.key.toJson(),
      value: this.value.toJson(),
      features: names.map((name) => this.featureJson(name, this.features.get(name) as FeatureStats)),
    };
  }

  /** The text of schema.json: indented JSON, newline-terminated. */
  render(): string {
    return JSON.stringify(this.toJson(), null, 2) + '\n';
  }

  private featureJson(name: string, s: FeatureStats): FeatureSchema {
    const kinds = [...s.kinds.keys()];
    const dtype = kinds.length === 1 ? TF_DTYPE[kinds[0]] : null;
    let spec: string | null = null;
    if (dtype !== null) {
      if (s.rows === this.rows && s.minLength === s.maxLength) {
        const shape = s.minLength === 1 ? '[]' : `[${s.minLength}]`;
        spec = `tf.io.FixedLenFeature(${shape}, tf.${dtype})`;
      } else {
        spec = `tf.io.VarLenFeature(tf.${dtype})`;
      }
    }
    const out: FeatureSchema = {
      name,
      dtype,
      dtypes: Object.fromEntries([...s.kinds].map(([k, n]) => [TF_DTYPE[k], n])),
      rows: s.rows,
      minLength: s.minLength,
      maxLength: s.maxLength,
      spec,
    };
    if (name.endsWith(':f64')) out.encoding = 'float64-le';
    else if (name.endsWith(':json')) out.encoding = 'json';
    return out;
  }
}
