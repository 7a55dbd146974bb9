/** Growable typed-array columns, for per-record results that workers transfer. */

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedCtor<T extends Typed> = new (n: number) => T;

const CHUNK = 16384;
/** A column's first chunk and values: a range of a few MB may hold a few hundred records. */
const FIRST_CHUNK = 1024;

/**
 * Pushes go to a Float64Array chunk whatever the column's type, flushed into the typed values
 * 16K at a time: one element kind at the push site keeps the store monomorphic (a Column storing
 * into five typed-array kinds directly was a third of a worker's time), and the values still take
 * their type's width in memory. The chunk starts at 1K and doubles up to 16K: a range's dozen
 * columns each took 200 KB of fresh memory at 16K, whatever the range held.
 */
export class Column<T extends Typed> {
  private chunk = new Float64Array(FIRST_CHUNK);
  private inChunk = 0;
  private data: T;
  private flushed = 0;

  constructor(private readonly ctor: TypedCtor<T>) {
    this.data = new ctor(FIRST_CHUNK);
  }

  get length(): number {
    return this.flushed + this.inChunk;
  }

  push(v: number): void {
    if (this.inChunk === this.chunk.length) this.flush();
    this.chunk[this.inChunk++] = v;
  }

  /** Replaces the value pushed last (there must be one). */
  setLast(v: number): void {
    if (this.inChunk > 0) this.chunk[this.inChunk - 1] = v;
    else this.data[this.flushed - 1] = v;
  }

  private flush(): void {
    if (this.flushed + this.inChunk > this.data.length) {
      const g = new this.ctor(Math.max(this.data.length * 2, this.flushed + this.inChunk));
      g.set(this.data.subarray(0, this.flushed));
      this.data = g;
    }
    this.data.set(this.chunk.subarray(0, this.inChunk), this.flushed);
    this.flushed += this.inChunk;
    this.inChunk = 0;
    if (this.chunk.length < CHUNK) this.chunk = new Float64Array(this.chunk.length * 2);
  }

  /** The values, in a buffer of their own (transferable). */
  done(): T {
    this.flush();
    return this.data.slice(0, this.flushed) as T;
  }
}

export class F64Column extends Column<Float64Array> {
  constructor() {
    super(Float64Array);
  }
}

/** ASCII whitespace at the start of a record's text: where its trimmed bytes start. */
export function leadingWhitespace(s: string): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
  }
  return i;
}
