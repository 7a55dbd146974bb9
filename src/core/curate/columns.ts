/** Growable typed-array columns, for per-record results that workers transfer. */

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedCtor<T extends Typed> = new (n: number) => T;

/** Values per block, and the largest chunk: 16K. */
const BLOCK_SHIFT = 14;
const BLOCK = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK - 1;
/** A column's first chunk when no spare one is at hand: a range of a few MB may hold a few hundred records. */
const FIRST_CHUNK = 1024;
/** The most bytes of spare blocks and chunks a thread keeps for its next columns. */
const SPARE_BYTES = 8 * 1024 * 1024;

/**
 * Blocks of finished columns, per element type, and their full-size chunks: the next range's
 * columns on this thread fill these instead of fresh memory. Memory the process has not touched
 * yet costs a page fault per 4 KB, some 11 µs each on the virtual machines these benchmarks run
 * on (2.7 ms per MB: more than reading and parsing that MB). Only threads that scan ranges keep
 * them: the workers, which end with their run, and the `pairwise` process (the extension host
 * keeps its ranges on workers, CurateRunOptions.rangesOnThisThread).
 */
const spareBlocks = new Map<TypedCtor<Typed>, Typed[]>();
const spareChunks: Float64Array[] = [];
let spareBytes = 0;

/** The chunk of a spent column: a push or done() after done() throws instead of losing values. */
const SPENT = new Float64Array(0);

/** A spare buffer from `list`, if any. */
function takeSpare<B extends Typed>(list: B[] | undefined): B | undefined {
  const b = list?.pop();
  if (b) spareBytes -= b.byteLength;
  return b;
}

/** Keeps `b` in `list` for a later column, within SPARE_BYTES. */
function keepSpare<B extends Typed>(list: B[], b: B): void {
  if (spareBytes + b.byteLength > SPARE_BYTES) return;
  list.push(b);
  spareBytes += b.byteLength;
}

function blocksOf<T extends Typed>(ctor: TypedCtor<T>): T[] {
  let list = spareBlocks.get(ctor);
  if (!list) spareBlocks.set(ctor, (list = []));
  return list as T[];
}

/**
 * Pushes go to a Float64Array chunk whatever the column's type, flushed into blocks of the
 * column's type: one element kind at the push site keeps the store monomorphic (a Column storing
 * into five typed-array kinds directly was a third of a worker's time), and the values still take
 * their type's width in memory. A new chunk starts at 1K and doubles up to 16K (a range's dozen
 * columns each took 200 KB of fresh memory at 16K, whatever the range held); a spare one is 16K.
 * The values stay in blocks of 16K until done() copies them into one buffer: growing one buffer
 * by doubling copied and zeroed about three times the values, in fresh memory each time.
 */
export class Column<T extends Typed> {
  private chunk: Float64Array;
  private inChunk = 0;
  private readonly blocks: T[] = [];
  private flushed = 0;

  constructor(private readonly ctor: TypedCtor<T>) {
    this.chunk = takeSpare(spareChunks) ?? new Float64Array(FIRST_CHUNK);
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
    else this.blocks[(this.flushed - 1) >>> BLOCK_SHIFT][(this.flushed - 1) & BLOCK_MASK] = v;
  }

  private flush(): void {
    if (this.chunk === SPENT) throw new Error('Column used after done()');
    for (let from = 0; from < this.inChunk; ) {
      const at = this.flushed & BLOCK_MASK;
      if (at === 0) this.blocks.push(takeSpare(blocksOf(this.ctor)) ?? new this.ctor(BLOCK));
      const n = Math.min(BLOCK - at, this.inChunk - from);
      this.blocks[this.blocks.length - 1].set(this.chunk.subarray(from, from + n), at);
      from += n;
      this.flushed += n;
    }
    this.inChunk = 0;
    if (this.chunk.length < BLOCK) this.chunk = new Float64Array(this.chunk.length * 2);
  }

  /**
   * The values, in a buffer of their own (transferable). The column is spent: its blocks and
   * chunk go to the next columns of this thread, and using it again throws.
   */
  done(): T {
    this.flush();
    const out = new this.ctor(this.flushed);
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      const n = Math.min(BLOCK, this.flushed - b * BLOCK);
      out.set(n === BLOCK ? block : block.subarray(0, n), b * BLOCK);
      keepSpare(blocksOf(this.ctor), block);
    }
    this.blocks.length = 0;
    this.flushed = 0;
    if (this.chunk.length === BLOCK) keepSpare(spareChunks, this.chunk);
    this.chunk = SPENT;
    return out;
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
