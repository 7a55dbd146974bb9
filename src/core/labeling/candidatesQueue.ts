/**
 * A pair queue over a candidates file of any size. A background pass reads the file in chunks and
 * keeps, per line, only its byte offset and length and, per pair, a 32-bit fingerprint of its id;
 * a pair's text is read back with one positioned read when it is shown. The first pair is ready
 * as soon as the first chunk is indexed, and memory stays proportional to the number of pairs,
 * not to the file size.
 */
import { promises as fsp } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fingerprint32 } from './hashing';
import { pairsOfRecord, toCandidatesRecord, type PairingOptions } from './candidateRecord';
import type { LabelPair } from './pair';
import { GrowableFloat64, GrowableUint32 } from './growableArrays';
import { passes, type InputProblem, type PairFilterSets, type PairQueue } from './pairQueue';
import * as l10n from '@vscode/l10n';
import { openInputFile } from '../jsonl/openInput';

/** Longest stretch of indexing work between two turns of the event loop. */
const SLICE_MS = 4;

export interface CandidatesQueueOptions extends PairingOptions {
  /** Bytes read per step of the index pass. */
  chunkBytes?: number;
  /** A longer line is reported and skipped (a binary or corrupt file must not exhaust memory). */
  maxLineBytes?: number;
  /** Problems kept in detail; the rest are only counted. */
  maxProblems?: number;
}

export class CandidatesPairQueue implements PairQueue {
  private readonly lineOffset = new GrowableFloat64();
  private readonly lineLength = new GrowableUint32();
  private readonly lineNumber = new GrowableUint32();
  /** Index of the first pair of each indexed line (only lines that yield pairs are kept). */
  private readonly firstPair = new GrowableFloat64();
  private readonly pairFp = new GrowableUint32();
  private readonly inputProblems: InputProblem[] = [];
  private problemCount = 0;
  private done = false;
  private failure: Error | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  private cache: { line: number; pairs: LabelPair[] } | undefined;
  private readonly indexing: Promise<void>;

  private constructor(
    readonly path: string,
    private readonly handle: fsp.FileHandle,
    private readonly options: CandidatesQueueOptions,
  ) {
    this.indexing = this.indexAll().catch((e: Error) => {
      this.failure = e;
    }).finally(() => {
      this.done = true;
      this.wake();
    });
  }

  static async open(path: string, options: CandidatesQueueOptions = {}): Promise<CandidatesPairQueue> {
    const handle = await openInputFile(path);
    return new CandidatesPairQueue(path, handle, options);
  }

  get known(): number {
    return this.pairFp.length;
  }

  get complete(): boolean {
    return this.done;
  }

  /** Bytes of the file indexed so far, for a progress bar while the index is built. */
  indexedBytes = 0;

  problems(): InputProblem[] {
    const more = this.problemCount - this.inputProblems.length;
    return more > 0 ? [...this.inputProblems, { line: 0, message: l10n.t('{0} more problems not listed', more) }] : this.inputProblems;
  }

  async whenComplete(): Promise<number> {
    await this.indexing;
    if (this.failure) throw this.failure;
    return this.known;
  }

  async get(index: number): Promise<LabelPair | undefined> {
    if (!(index >= 0) || !Number.isInteger(index)) return undefined;
    await this.waitFor(index);
    if (index >= this.known) return undefined;
    const rec = this.recordOfPair(index);
    const pairs = await this.pairsOfLine(rec);
    return pairs[index - this.firstPair.data[rec]];
  }

  async findNext(from: number, step: 1 | -1, filter: PairFilterSets): Promise<number> {
    // Fingerprints decide most pairs without reading them; a fingerprint hit is confirmed on the real id.
    const inc = filter.include ? new Set([...filter.include].map(fingerprint32)) : undefined;
    const exc = filter.exclude ? new Set([...filter.exclude].map(fingerprint32)) : undefined;
    for (let i = from; i >= 0; i += step) {
      if (i >= this.known) {
        if (step < 0) {
          i = this.known;
          continue;
        }
        await this.waitFor(i);
        if (i >= this.known) return -1;
      }
      const fp = this.pairFp.data[i];
      if (inc && !inc.has(fp)) continue;
      if (!inc && !(exc && exc.has(fp))) return i;
      const pair = await this.get(i);
      if (pair && passes(pair.id, filter)) return i;
    }
    return -1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.indexing;
    await this.handle.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async waitFor(index: number): Promise<void> {
    while (index >= this.known && !this.done) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure && index >= this.known) throw this.failure;
  }

  private recordOfPair(index: number): number {
    const fp = this.firstPair.data;
    let lo = 0;
    let hi = this.firstPair.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fp[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private async pairsOfLine(rec: number): Promise<LabelPair[]> {
    if (this.cache && this.cache.line === rec) return this.cache.pairs;
    const len = this.lineLength.data[rec];
    const buf = Buffer.alloc(len);
    const at = this.lineOffset.data[rec];
    // A file shortened since it was indexed ends early: say so rather than parse a line of zeros.
    for (let got = 0; got < len; ) {
      const { bytesRead } = await this.handle.read(buf, got, len - got, at + got);
      if (bytesRead === 0) throw new Error(l10n.t('The file changed while it was read: {0} bytes expected at byte {1}.', len, at));
      got += bytesRead;
    }
    const line = this.lineNumber.data[rec];
    const pairs = pairsOfRecord(toCandidatesRecord(JSON.parse(buf.toString('utf8'))), this.options, line);
    this.cache = { line: rec, pairs };
    return pairs;
  }

  private report(line: number, message: string): void {
    this.problemCount++;
    if (this.inputProblems.length < (this.options.maxProblems ?? 100)) this.inputProblems.push({ line, message });
  }

  private addLine(text: string, offset: number, length: number, line: number): void {
    if (text.trim() === '') return;
    let pairs: LabelPair[];
    try {
      pairs = pairsOfRecord(toCandidatesRecord(JSON.parse(text)), this.options, line);
    } catch (e) {
      this.report(line, e instanceof SyntaxError ? `not valid JSON: ${e.message}` : (e as Error).message);
      return;
    }
    if (pairs.length === 0) {
      this.report(line, l10n.t('fewer than two distinct responses: no pair to compare'));
      return;
    }
    this.lineOffset.push(offset);
    this.lineLength.push(length);
    this.lineNumber.push(line);
    this.firstPair.push(this.pairFp.length);
    for (const p of pairs) this.pairFp.push(fingerprint32(p.id));
  }

  private async indexAll(): Promise<void> {
    const chunk = this.options.chunkBytes ?? 1 << 20;
    const maxLine = this.options.maxLineBytes ?? 64 << 20;
    const { size } = await this.handle.stat();
    let pos = 0;
    let line = 1;
    // A small first read puts the first pair on screen before the first full chunk is parsed.
    let want = Math.min(chunk, 64 * 1024);
    let skipping = false; // inside a line that was too long
    let buf = Buffer.alloc(chunk);
    while (pos < size && !this.closed) {
      if (buf.length < want) buf = Buffer.alloc(want);
      const { bytesRead } = await this.handle.read(buf, 0, Math.min(want, size - pos), pos);
      if (bytesRead === 0) break;
      const atEof = pos + bytesRead >= size;
      let start = 0;
      let nl = buf.indexOf(0x0a, 0);
      if (skipping) {
        if (nl < 0 || nl >= bytesRead) {
          pos += bytesRead;
          continue;
        }
        skipping = false;
        line++;
        start = nl + 1;
        nl = buf.indexOf(0x0a, start);
      }
      let sliceStart = performance.now();
      while (nl >= 0 && nl < bytesRead) {
        this.takeLine(buf, start, nl, pos, line);
        line++;
        start = nl + 1;
        nl = buf.indexOf(0x0a, start);
        // Time-sliced: the annotator's reads and writes wait at most a few ms behind the index.
        if (performance.now() - sliceStart > SLICE_MS) {
          this.wake();
          await new Promise<void>((r) => setImmediate(r));
          if (this.closed) return;
          sliceStart = performance.now();
        }
      }
      if (atEof && start < bytesRead) {
        this.takeLine(buf, start, bytesRead, pos, line);
        start = bytesRead;
      }
      if (start === 0 && !atEof) {
        // No newline in the whole window: the line is longer than a chunk.
        if (want >= maxLine) {
          this.report(line, maxLine >= 1 << 20 ? l10n.t('line longer than {0} MB; skipped', Math.round(maxLine / (1 << 20))) : l10n.t('line longer than {0} bytes; skipped', maxLine));
          skipping = true;
          pos += bytesRead;
          want = chunk;
        } else {
          want = Math.min(want * 2, maxLine);
        }
        continue;
      }
      pos += start;
      want = chunk;
      this.indexedBytes = pos;
      this.wake();
      // Let the annotator's requests run between chunks.
      await new Promise<void>((r) => setImmediate(r));
    }
    this.indexedBytes = size;
  }

  private takeLine(buf: Buffer, start: number, end: number, base: number, line: number): void {
    let s = start;
    // A UTF-8 byte order mark at the start of the file is not part of the JSON.
    if (base + s === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
    let e = end;
    if (e > s && buf[e - 1] === 0x0d) e--;
    this.addLine(buf.toString('utf8', s, e), base + s, e - s, line);
  }
}
