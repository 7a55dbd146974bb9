/** Growable typed-array columns, for per-record results that workers transfer. */

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedCtor<T extends Typed> = new (n: number) => T;

/** Values per block, and the largest chunk: 16K. */
const BLOCK_SHIFT = 14;
const BLOCK = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK - 1;
/**
 * A column's first chunk when no spare one is at hand. Small, so that the first flush comes within
 * a thread's first records: V8 optimizes push (inlined where it is called) before a chunk of 1K
 * fills, with no feedback yet for the flush, and the first flush then threw the optimized code of
 * push and of its callers away (the validation worker compiled them again). Chunks double from
 * here up to 16K.
 */
const FIRST_CHUNK = 32;
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
 *
 * A column that knows about how many values will come (reserve) flushes them straight into one
 * buffer of that size instead, which done() hands over as it is: no blocks, and no copy into
 * fresh memory (see reserve). Values past the reserved room go to blocks as before.
 */
export class Column<T extends Typed> {
  private chunk: Float64Array;
  private inChunk = 0;
  private readonly blocks: T[] = [];
  private flushed = 0;
  /** The reserved buffer (reserve); values [0, base) are in it, the rest in blocks. */
  private target: T | undefined;
  private base = 0;

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
    else if (this.flushed <= this.base) (this.target as T)[this.flushed - 1] = v;
    else this.blocks[(this.flushed - 1 - this.base) >>> BLOCK_SHIFT][(this.flushed - 1 - this.base) & BLOCK_MASK] = v;
  }

  /**
   * Room for `n` values in all, in one buffer: the values so far move into it, and later ones go
   * there until it is full. For the columns of a range, once its first part shows how many values
   * a byte brings (RangeReservation). Each block a column fills, and the buffer done() then copies
   * the blocks into, is memory the thread touches for the first time, a page fault per 4 KB: for
   * statistics of 200 MB on two threads, 30,900 page faults against 36,400 and a peak of 159
   * against 181 MB, in about the same time (1,676 against 1,700 ms, medians of 10). Pages of the
   * buffer that no value reaches are not touched. Once per column; ignored when `n` does not
   * exceed what it holds.
   */
  reserve(n: number): void {
    if (this.target || this.chunk === SPENT || n <= this.length) return;
    let t: T;
    try {
      t = new this.ctor(n);
    } catch {
      // No room for it at once (a process with a memory limit): the values go to blocks as before.
      return;
    }
    this.moveBlocksInto(t, 0);
    this.target = t;
    this.base = this.flushed;
    this.flushIntoTarget(0);
  }

  private flush(): void {
    if (this.chunk === SPENT) throw new Error('Column used after done()');
    let from = this.flushIntoTarget(0);
    while (from < this.inChunk) {
      const at = (this.flushed - this.base) & BLOCK_MASK;
      if (at === 0) this.blocks.push(takeSpare(blocksOf(this.ctor)) ?? new this.ctor(BLOCK));
      const n = Math.min(BLOCK - at, this.inChunk - from);
      this.blocks[this.blocks.length - 1].set(this.chunk.subarray(from, from + n), at);
      from += n;
      this.flushed += n;
    }
    this.inChunk = 0;
    if (this.chunk.length < BLOCK) this.chunk = new Float64Array(this.chunk.length * 2);
  }

  /** Copies the values in blocks into `out` from index `at`, and gives the blocks to the next columns. */
  private moveBlocksInto(out: T, at: number): void {
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      const n = Math.min(BLOCK, this.flushed - this.base - b * BLOCK);
      out.set(n === BLOCK ? block : block.subarray(0, n), at + b * BLOCK);
      keepSpare(blocksOf(this.ctor), block);
    }
    this.blocks.length = 0;
  }

  /**
   * Moves chunk values from `from` into the reserved buffer while it has room and no value went
   * to a block yet; returns the chunk index it stopped at (the chunk keeps its values until the
   * caller resets it).
   */
  private flushIntoTarget(from: number): number {
    const t = this.target;
    // Values past `base` are in blocks: the buffer is full.
    if (!t || this.flushed !== this.base) return from;
    const n = Math.min(t.length - this.flushed, this.inChunk - from);
    if (n <= 0) return from;
    t.set(this.chunk.subarray(from, from + n), this.flushed);
    this.flushed += n;
    this.base = this.flushed;
    if (n === this.inChunk - from) this.inChunk = from;
    return from + n;
  }

  /**
   * The values, in a buffer of their own (transferable). The column is spent: its blocks and
   * chunk go to the next columns of this thread, and using it again throws. A reserved buffer
   * that held every value is handed over as it is (a view of its first `length` values).
   */
  done(): T {
    this.flush();
    let out: T;
    if (this.target && this.blocks.length === 0) out = (this.flushed === this.target.length ? this.target : this.target.subarray(0, this.flushed)) as T;
    else {
      out = new this.ctor(this.flushed);
      if (this.target) out.set(this.target.subarray(0, this.base));
      this.moveBlocksInto(out, this.base);
    }
    this.flushed = 0;
    this.target = undefined;
    this.base = 0;
    if (this.chunk.length === BLOCK) keepSpare(spareChunks, this.chunk);
    this.chunk = SPENT;
    return out;
  }
}

/** What reserveByScale reserves beyond the estimate: records of a range vary in size. */
const RESERVE_MARGIN = 1.15;
/** The most values reserveByScale reserves in one column (512 MB of Float64). */
const RESERVE_MOST = 1 << 26;
/**
 * How much of a range is read before its columns reserve room for the whole of it (RangeReservation):
 * enough records to tell how many a byte brings, early enough that few values went to blocks.
 */
const RESERVE_AFTER_BYTES = 1024 * 1024;

/** What reserveByScale needs of a column. */
export interface ReservableColumn {
  readonly length: number;
  reserve(n: number): void;
}

/**
 * Reserves room in each column for the values the whole of a range will bring, from what its
 * first part brought: its length × `scale` (the range's bytes over the bytes read so far), with a
 * margin. A range whose later records are smaller than its first part's spills the rest into
 * blocks, as a column without reservation does; one whose later records are larger leaves part of
 * the reservation untouched.
 */
export function reserveByScale(columns: readonly ReservableColumn[], scale: number): void {
  for (const c of columns) c.reserve(Math.min(RESERVE_MOST, Math.ceil(c.length * scale * RESERVE_MARGIN) + FIRST_CHUNK));
}

/**
 * For a range's scan: told each record's byte offset, reserves the range's columns
 * (reserveByScale) once the first RESERVE_AFTER_BYTES are read, in a range of at least four times
 * that; smaller ranges keep to blocks. An object, not a closure per range: a thread's ranges then
 * call one function (a new closure is a new call target for the optimized caller, which V8 threw
 * away at the next range).
 */
export class RangeReservation {
  private readonly bytes: number;
  private at: number;

  constructor(
    private readonly range: { start: number; end: number },
    private readonly columns: readonly ReservableColumn[],
  ) {
    this.bytes = range.end - range.start;
    this.at = this.bytes >= 4 * RESERVE_AFTER_BYTES ? range.start + RESERVE_AFTER_BYTES : Infinity;
  }

  /** A record starts at `byteOffset`. */
  note(byteOffset: number): void {
    if (byteOffset < this.at) return;
    reserveByScale(this.columns, this.bytes / (byteOffset - this.range.start));
    this.at = Infinity;
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
