/**
 * A tokenizer's BPE ranks as one packed table of bytes with a hash index, and the byte-pair merge
 * that counts a pre-tokenizer piece's tokens with it.
 *
 * Why not the library's own tables: gpt-tokenizer ships its ranks as JavaScript literals. Loading
 * o200k_base parsed a 3 MB literal into 200,000 strings and a Map: 110-134 ms and 56-75 MB of RSS in
 * each thread that counts (every statistics worker, after its scan), and the bundles that held the
 * literal compiled it at every start. The same ranks packed as bytes (scripts/bpe-tables.js writes
 * them at build time, beside the bundles and beside this module in out/) load into typed arrays in
 * about 20 ms (most of it building the index).
 *
 * The merge is the library's (and tiktoken's): start from single bytes, merge the adjacent pair of
 * lowest rank (the leftmost on a tie) until no pair is a token. Tests hold every rank's bytes and
 * the counts on generated and real text to the library's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAGIC = 'PWBPE001';
/** A pair that is not a token (ranks are below 2^31). */
const NONE = 0x7fffffff;

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
    if (data.length < 16 || Buffer.from(data.buffer, data.byteOffset, 8).toString('latin1') !== MAGIC) throw fail('no header');
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    const n = view.getUint32(8, true);
    const total = view.getUint32(12, true);
    const head = 16 + 4 * (n + 1);
    if (data.length !== head + total) throw fail('wrong length');
    this.offsets = new Uint32Array(n + 1);
    for (let r = 0; r <= n; r++) this.offsets[r] = view.getUint32(16 + 4 * r, true);
    if (this.offsets[n] !== total) throw fail('wrong offsets');
    this.bytes = data.subarray(head);
    let size = 1;
    while (size < n * 2) size <<= 1;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let r = 0; r < n; r++) {
      const start = this.offsets[r];
      const end = this.offsets[r + 1];
      if (end < start || end > total) throw fail('wrong offsets');
      if (end === start) continue;
      let s = hashBytes(this.bytes, start, end) & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = r + 1;
    }
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
