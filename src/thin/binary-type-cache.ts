// Binary type metadata fetched on demand (OP_GET_BINARY_TYPE) and kept for the life of the client; the decoder
// reads it synchronously, and `decode` fetches what a value turns out to need, then decodes again.
import { decodeValue } from './protocol/binary-decoder.js';
import type { BinaryType, BinaryTypeLookup } from './protocol/binary-type.js';
import { DecodeError, MissingBinaryTypeError } from './protocol/errors.js';

export type BinaryTypeFetcher = (typeId: number) => Promise<BinaryType | null>;

export class BinaryTypeCache implements BinaryTypeLookup {
  private readonly types = new Map<number, BinaryType | null>();
  private readonly inFlight = new Map<number, Promise<BinaryType | null>>();

  constructor(private readonly fetcher: BinaryTypeFetcher) {}

  get(typeId: number): BinaryType | null | undefined {
    return this.types.get(typeId);
  }

  /** Fetches (again) from the server; concurrent calls for one type share one request. */
  refresh(typeId: number): Promise<BinaryType | null> {
    let p = this.inFlight.get(typeId);
    if (!p) {
      p = this.fetcher(typeId).then(
        (t) => {
          this.types.set(typeId, t);
          this.inFlight.delete(typeId);
          return t;
        },
        (err: unknown) => {
          this.inFlight.delete(typeId);
          throw err;
        },
      );
      this.inFlight.set(typeId, p);
    }
    return p;
  }

  /**
   * Decodes a value (bytes starting with its type code), fetching metadata as it turns out to be needed. A type
   * still missing after a fresh fetch is a DecodeError of this value.
   */
  async decode(bytes: Buffer): Promise<unknown> {
    const refreshed = new Set<number>();
    for (;;) {
      try {
        return decodeValue(bytes, this);
      } catch (err) {
        if (!(err instanceof MissingBinaryTypeError)) throw err;
        if (refreshed.has(err.typeId)) {
          throw new DecodeError(`binary type ${err.typeId} lacks the schema or fields this value uses`, undefined, 0, { cause: err });
        }
        refreshed.add(err.typeId);
        await this.refresh(err.typeId);
      }
    }
  }
}
