/**
 * Removes duplicate records, keeping the first occurrence: exact duplicates (the canonical text of
 * prompt and responses, after optional whitespace and case normalisation, so the same content in two
 * formats matches) and, optionally, near duplicates (MinHash + LSH, see minhash.ts). Kept records are
 * written byte for byte as they were; a JSONL report lists each removed record, the record it
 * duplicates and the (estimated) similarity.
 *
 * One pass. Memory: exact — a typed-array hash table (53-bit hash → record, about 48 bytes per
 * distinct text) and 4 bytes per record for line numbers; near — one signature (numPerm × 2 bytes) and `bands` Map entries per kept
 * record. Exact matches compare hashes, not texts (collision odds about n²/2^54).
 * Records that are not JSON objects or have no canonical form are compared by their source text.
 */
import type { SourceRecord } from '../jsonl/sourceRecord';
import { canonicalOf } from '../formats/formatModule';
import { detectFileFormat, formatModuleOf, scanRecords, type CurateRunOptions, type FormatChoice } from './datasetScan';
import { HASH_INDEX_RESERVE_LIMIT, HashIndex } from './hashIndex';
import { LshIndex, lshParams, MinHasher, NEAR_NUM_PERM } from './minhash';
import { promises as fsp } from 'node:fs';
import { modeForFileName } from '../jsonl/sourceRecord';
import { exactRecordHash } from './exactHash';
import type { DedupeResult, RemovedRecord } from './dedupeTypes';
import { dedupeExactParallel } from './parallelDedupe';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { abortAll, commitRecordOutputs, RecordOutput, siblingPath } from './recordOutput';
import { fullTextParts } from './recordText';
import { NON_ASCII, type Normalization } from './textHash';
import { dedupeWorkerCount } from './workerPool';
import * as l10n from '@vscode/l10n';

/** Records read on one thread before the index makes room for the whole file at their density. */
const RESERVE_AFTER = 200;

/** `lines`, or a copy of it with room for `n` values when it has less. */
function withRoom(lines: Uint32Array<ArrayBuffer>, n: number): Uint32Array<ArrayBuffer> {
  if (n <= lines.length) return lines;
  const g = new Uint32Array(n);
  g.set(lines);
  return g;
}

function lowerNonAscii(s: string): string {
  return NON_ASCII.test(s) ? s.toLowerCase() : s;
}

export interface DedupeOptions extends CurateRunOptions, FormatChoice {
  /** Kept records; default `<input>.dedup.<ext>` beside the input. */
  out?: string;
  /** Report of removed records (JSONL); default `<input>.dedup-report.jsonl`. */
  report?: string;
  normalize?: Normalization;
  /** Also remove near duplicates. */
  near?: boolean;
  /** Jaccard similarity at or above which two records are near duplicates. Default 0.8. */
  threshold?: number;
  /** Words per shingle. Default 3. */
  shingle?: number;
  /** MinHash functions. Default NEAR_NUM_PERM (256). */
  numPerm?: number;
  /** Seed of the hash family. Default 1. */
  seed?: number;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
  /** Removed records listed in the result (the report file lists all). Default 1000. */
  maxListed?: number;
  /**
   * Threads for exact deduplication of JSON Lines (near duplicates and JSON arrays always use one).
   * Default: dedupeWorkerCount (workerPool.ts): one below 64 MB where this thread takes ranges, else
   * min(available parallelism, 4). Same output for any count.
   */
  workers?: number;
  /** The smallest byte range the threads take in turn (parallelDedupe.ts); tests ask for small ones. */
  chunkBytes?: number;
}

export async function dedupeFile(input: string, opts: DedupeOptions = {}): Promise<DedupeResult> {
  const detection = await detectFileFormat(input, opts);
  const format = formatModuleOf(detection);
  const norm = opts.normalize ?? {};
  const threshold = opts.threshold ?? 0.8;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(l10n.t('threshold must be in (0, 1], not {0}', threshold));
  const numPerm = opts.numPerm ?? NEAR_NUM_PERM;
  const shingle = opts.shingle ?? 3;
  const seed = opts.seed ?? 1;
  const params = opts.near ? lshParams(threshold, numPerm) : { bands: 0, rows: 0, accept: threshold };
  const hasher = opts.near ? new MinHasher(numPerm, shingle, seed) : undefined;
  const lsh = opts.near ? new LshIndex(numPerm, params) : undefined;
  const slotRecord: number[] = [];
  const sig = new Int32Array(numPerm);
  const firstByHash = new HashIndex();
  let lines = new Uint32Array(1024);
  const maxListed = opts.maxListed ?? 1000;

  const result: DedupeResult = { format: detection.format, detection, records: 0, kept: 0, exactDuplicates: 0, nearDuplicates: 0, comparedAsText: 0, removed: [] };
  if (opts.near) result.near = { threshold, shingle, numPerm, seed, ...params };

  // Exact-only JSON Lines dedupe can hash ranges of the file on several threads (parallelDedupe.ts).
  const mode = opts.mode ?? modeForFileName(input);
  const { size } = await fsp.stat(input);
  const workers = !opts.near && mode === 'jsonl' ? dedupeWorkerCount(size, opts.workers, opts.rangesOnThisThread) : 1;
  const outPath = opts.out ?? siblingPath(input, 'dedup');
  const reportPath = opts.report ?? siblingPath(input, 'dedup-report').replace(/\.(json|parquet)$/i, '.jsonl');
  if (!opts.dryRun) refuseUnsafeOutputs([input], [outPath, reportPath]);
  let kept: RecordOutput | undefined;
  let report: RecordOutput | undefined;

  const remove = (r: RemovedRecord) => {
    if (r.kind === 'exact') result.exactDuplicates++;
    else result.nearDuplicates++;
    if (result.removed.length < maxListed) result.removed.push(r);
    report?.add(JSON.stringify(r));
  };

  const onRecord = (rec: SourceRecord, bytes: Uint8Array) => {
    result.records++;
    // JSON Lines: once RESERVE_AFTER records are in, room for the whole file at their density, as
    // parallel dedupe makes from its first range (the index rehashed at each doubling was 13% of
    // the page faults of 100 MB on one thread, and the line table grows the same way).
    if (result.records === RESERVE_AFTER && mode === 'jsonl') {
      const records = Math.min(HASH_INDEX_RESERVE_LIMIT, Math.ceil((result.records * size) / Math.max(1, rec.byteOffset + rec.byteLength)));
      firstByHash.reserve(records);
      lines = withRoom(lines, records);
    }
    if (rec.index >= lines.length) lines = withRoom(lines, lines.length * 2);
    lines[rec.index] = rec.line;
    const canonical = canonicalOf(format, rec, opts.formatOptions);
    const h = exactRecordHash(canonical, rec, norm);
    let text = '';
    if (canonical) {
      // The joined text only where it is needed: MinHash of a record that is not an exact duplicate.
      if (hasher) {
        const parts = fullTextParts(canonical);
        text = parts.length === 1 ? parts[0] : parts.join('\n');
      }
    } else {
      result.comparedAsText++;
      text = rec.text;
    }
    const first = firstByHash.setIfAbsent(h, rec.index);
    if (first !== rec.index) {
      remove({ record: rec.index, line: rec.line, kind: 'exact', duplicateOf: first, duplicateOfLine: lines[first], similarity: 1 });
      return;
    }
    if (hasher && lsh && canonical) {
      // The hasher folds ASCII case itself; other scripts are lower-cased here when case is ignored.
      hasher.signature((norm.case ?? true) ? lowerNonAscii(text) : text, sig);
      const hit = lsh.query(sig);
      if (hit) {
        const j = slotRecord[hit.slot];
        remove({ record: rec.index, line: rec.line, kind: 'near', duplicateOf: j, duplicateOfLine: lines[j], similarity: hit.similarity });
        return;
      }
      lsh.insert(sig);
      slotRecord.push(rec.index);
    }
    result.kept++;
    kept?.addBytes(bytes);
  };

  try {
    // Opened inside the try: a report path that cannot be opened must not leave the kept file's temp behind.
    if (!opts.dryRun) {
      kept = await RecordOutput.open(outPath, /\.json$/i.test(outPath));
      report = await RecordOutput.open(reportPath, false);
    }
    if (workers > 1) await dedupeExactParallel(input, result, kept, report, { ...opts, norm, workers, maxListed });
    else
      await scanRecords(
      input,
      {
        record: onRecord,
        afterChunk: async () => {
          if (kept?.needsFlush) await kept.flush();
          if (report?.needsFlush) await report.flush();
        },
      },
      opts,
    );
    if (kept && report) {
      await commitRecordOutputs([kept, report]);
      result.out = outPath;
      result.report = reportPath;
    }
  } catch (e) {
    await abortAll([kept, report]);
    throw e;
  }
  return result;
}
