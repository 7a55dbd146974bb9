/**
 * A tokenizer's BPE ranks as one packed table of bytes with a hash index, and the byte-pair merge
 * that counts a pre-tokenizer piece's tokens with it.
 *
 * Why not the library's own tables: gpt-tokenizer ships its ranks as JavaScript literals. Loading
 * o200k_base parsed a 3 MB literal into 200,000 strings and a Map: 110-134 ms and 56-75 MB of RSS in
 * each thread that counts (every statistics worker, after its scan), and the bundles that held the
 * literal compiled it at every start. The same ranks packed as bytes, with their hash index, are
 * written at build time (packBpeTable, called by scripts/bpe-tables.js; beside the bundles and
 * beside this module in out/) and load as views of the file in about 1 ms (11 ms when the index was
 * built at load, 15-19 ms in a statistics worker on a busy core).
 *
 * The merge is the library's (and tiktoken's): start from single bytes, merge the adjacent pair of
 * lowest rank (the leftmost on a tie) until no pair is a token. Tests hold every rank's bytes and
 * the counts on generated and real text to the library's.
 *
 * The layout (numbers little-endian): 'PWBPE002'; u32 N, the number of ranks; u32 the length of the
 * token bytes; u32 S, the index's slots (a power of two, at least 2N); u32 0; u32 offsets[N + 1]
 * (rank r's bytes are bytes[offsets[r], offsets[r + 1])); i32 slots[S] (open addressing by
 * hashBytes: rank + 1, 0 for an empty slot); the token bytes in rank order. A rank the library
 * leaves out has no bytes and no slot.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAGIC = 'PWBPE002';
const HEADER_BYTES = 24;
/** A pair that is not a token (ranks are below 2^31). */
const NONE = 0x7fffffff;

/** The index's size for n ranks: a power of two at least twice n (probes stay short). */
function indexSize(n: number): number {
  let size = 1;
  while (size < n * 2) size <<= 1;
  return size;
}

/**
 * The table file of a tokenizer's ranks: each a token's text when its bytes are UTF-8, else its
 * byte values (as gpt-tokenizer stores them), undefined for a rank left out.
 */
export function packBpeTable(ranks: readonly (string | readonly number[] | undefined)[]): Buffer {
  const encoder = new TextEncoder();
  const tokens = ranks.map((t) => (t === undefined ? new Uint8Array(0) : typeof t === 'string' ? encoder.encode(t) : Uint8Array.from(t)));
  const n = tokens.length;
  const total = tokens.reduce((sum, t) => sum + t.length, 0);
  const size = indexSize(n);
  const offsetsAt = HEADER_BYTES;
  const slotsAt = offsetsAt + 4 * (n + 1);
  const bytesAt = slotsAt + 4 * size;
  const out = Buffer.alloc(bytesAt + total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(n, 8);
  out.writeUInt32LE(total, 12);
  out.writeUInt32LE(size, 16);
  let at = 0;
  for (let r = 0; r < n; r++) {
    out.writeUInt32LE(at, offsetsAt + 4 * r);
    out.set(tokens[r], bytesAt + at);
    at += tokens[r].length;
  }
  out.writeUInt32LE(at, offsetsAt + 4 * n);
  const bytes = out.subarray(bytesAt);
  const slots = new Int32Array(size);
  at = 0;
  for (let r = 0; r < n; r++) {
    const end = at + tokens[r].length;
    if (end > at) {
      let s = hashBytes(bytes, at, end) & (size - 1);
      while (slots[s] !== 0) s = (s + 1) & (size - 1);
      slots[s] = r + 1;
    }
    at = end;
  }
  for (let s = 0; s < size; s++) out.writeInt32LE(slots[s], slotsAt + 4 * s);
  return out;
}

/** `count` 32-bit numbers of `data` from `at`: a view when the platform and the offset allow, else a copy. */
function words<T extends Uint32Array | Int32Array>(data: Uint8Array, at: number, count: number, make: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (length: number): T }, signed: boolean): T {
  const offset = data.byteOffset + at;
  if (os.endianness() === 'LE' && offset % 4 === 0) return new make(data.buffer, offset, count);
  const copy = new make(count);
  const view = new DataView(data.buffer, offset, 4 * count);
  for (let i = 0; i < count; i++) copy[i] = signed ? view.getInt32(4 * i, true) : view.getUint32(4 * i, true);
  return copy;
}

export class BpeTable {
  /** Token bytes of rank r: bytes[offsets[r], offsets[r + 1]). */
  private readonly offsets: Uint32Array;
  private readonly bytes: Uint8Array;
  /** Open addressing over the tokens' bytes: rank + 1, 0 for an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  // Scratch of the merge: part boundaries and the rank of each part with the next.
  private starts = new Int32Array(1024);
  private ranks = new Int32Array(1024);

  constructor(data: Uint8Array, readonly source = 'table') {
    const fail = (why: string) => new Error(`${source} is not a BPE table of this version (${why})`);
    if (data.length < HEADER_BYTES || Buffer.from(data.buffer, data.byteOffset, 8).toString('latin1') !== MAGIC) throw fail('no header');
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    const n = view.getUint32(8, true);
    const total = view.getUint32(12, true);
    const size = view.getUint32(16, true);
    // Bounds first: a damaged count must not size a loop or an array.
    if (n >= 1 << 26 || size !== indexSize(n)) throw fail('wrong index size');
    const slotsAt = HEADER_BYTES + 4 * (n + 1);
    const bytesAt = slotsAt + 4 * size;
    if (data.length !== bytesAt + total) throw fail('wrong length');
    this.offsets = words(data, HEADER_BYTES, n + 1, Uint32Array, false);
    this.slots = words(data, slotsAt, size, Int32Array, true);
    this.bytes = data.subarray(bytesAt);
    this.mask = size - 1;
    // What a lookup needs to end: an empty slot (a probe stops there). The rest is not walked at
    // load (5 ms for o200k): a slot or an offset out of range reads as no token (typed arrays read
    // undefined past their end), so a damaged table counts wrong but never hangs or throws; the
    // build writes the files and a test holds the installed ones to it.
    if (this.offsets[0] !== 0 || this.offsets[n] !== total) throw fail('wrong offsets');
    if (this.slots.indexOf(0) < 0) throw fail('wrong index');
  }

  /** How many ranks the table holds (including any left without bytes). */
  get size(): number {
    return this.offsets.length - 1;
  }

  /** The bytes of a rank (a view into the table). */
  tokenBytes(rank: number): Uint8Array {
    return this.bytes.subarray(this.offsets[rank], this.offsets[rank + 1]);
  }

  /** The rank of buf[start, end), or -1 when those bytes are not a token. */
  rank(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const bytes = this.bytes;
    let s = hashBytes(buf, start, end) & this.mask;
    for (;;) {
      const r = this.slots[s] - 1;
      if (r < 0) return -1;
      const at = this.offsets[r];
      if (this.offsets[r + 1] - at === len) {
        let i = 0;
        while (i < len && bytes[at + i] === buf[start + i]) i++;
        if (i === len) return r;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** The number of tokens the byte-pair merge makes of buf[0, len). */
  mergeCount(buf: Uint8Array, len: number): number {
    if (len <= 1) return len;
    if (this.starts.length <= len) {
      this.starts = new Int32Array(len + 1);
      this.ranks = new Int32Array(len + 1);
    }
    const starts = this.starts;
    const ranks = this.ranks;
    // b boundaries make b - 1 parts; ranks[i] is the rank of parts i and i + 1 merged.
    let b = len + 1;
    for (let i = 0; i < b; i++) {
      starts[i] = i;
      ranks[i] = i + 2 < b ? this.pairRank(buf, i, i + 2) : NONE;
    }
    while (b > 1) {
      let lowest = NONE;
      let at = -1;
      for (let i = 0; i < b - 1; i++) {
        if (ranks[i] < lowest) {
          lowest = ranks[i];
          at = i;
        }
      }
      if (at < 0) break;
      // Merge parts at and at + 1: drop boundary at + 1 and the pair rank at.
      starts.copyWithin(at + 1, at + 2, b);
      ranks.copyWithin(at, at + 1, b);
      b--;
      ranks[at] = at + 2 < b ? this.pairRank(buf, starts[at], starts[at + 2]) : NONE;
      if (at > 0) ranks[at - 1] = at + 1 < b ? this.pairRank(buf, starts[at - 1], starts[at + 1]) : NONE;
    }
    return b - 1;
  }

  private pairRank(buf: Uint8Array, start: number, end: number): number {
    const r = this.rank(buf, start, end);
    return r < 0 ? NONE : r;
  }
}

/** FNV-1a over bytes with a murmur finalizer (the index's hash). */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Where a table is: beside the running bundle (dist/, out/bench-bundles/), or beside this module in out/. */
export function bpeTableFile(name: string): string {
  return path.join(__dirname, `tokenizer-${name}.bin`);
}

const loaded = new Map<string, BpeTable>();

/** The table of a tokenizer, read on first use; a clear error when the file is missing or damaged. */
export function loadBpeTable(name: string): BpeTable {
  let t = loaded.get(name);
  if (!t) {
    const file = bpeTableFile(name);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      throw new Error(`The ${name} tokenizer's table is missing (${file}): reinstall Pairwise, or run the build. ${(e as Error).message}`);
    }
    t = new BpeTable(data, file);
    loaded.set(name, t);
  }
  return t;
}
