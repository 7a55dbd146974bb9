/**
 * The record index of a dataset file too large to open as an editor document. Indexing streams the
 * file with the record scanner (constant memory apart from ~32 bytes a record): records become
 * usable as soon as they are indexed, so the first window is served long before the end of the
 * file is reached. A window is read back from the file by byte range; search streams the file
 * again. A second pass runs the validation pipeline; its problems are mapped to their records when
 * it ends (filters on problems wait for it).
 */
import { promises as fsp } from 'node:fs';
import { AbortedError } from '../base/cancellation';
import { scanFile } from '../jsonl/readRecords';
import { ParquetRowSource } from '../jsonl/parquetRecords';
import { isParquetFileName } from '../jsonl/sourceRecord';
import { validateFile } from '../validate/pipeline';
import { cardContent, sortedRules, type DatasetIndex, type IndexSummary, type QueryOptions } from './datasetIndex';
import { problemBrief, type ProblemBrief, type RecordCard } from './recordCard';
import { recordChars, recordRoles, RoleTable, searchText } from './recordFacts';
import { columnFilter, compileSearch, candidates, hasSearch, isEmptyQuery, type QueryResult, type RecordQuery } from './recordQuery';
import { RecordTable } from './recordTable';
import { searchInWorker } from './regexSearch';
import * as l10n from '@vscode/l10n';
import { openInputFile } from '../jsonl/openInput';

/** Records of a window closer than this are read together, */
const GAP_BYTES = 64 * 1024;
/** in reads of at most this (a single larger record is read alone). */
const RUN_BYTES = 8 * 1024 * 1024;

export interface FileIndexOptions {
  /** Problems listed per record at most this many in the whole file (counts stay complete). Default 100 000. */
  maxProblems?: number;
  /** Called after each chunk indexed. */
  onProgress?: (bytes: number, totalBytes: number) => void;
}

export class FileRecordIndex implements DatasetIndex {
  private readonly table = new RecordTable();
  private readonly roles = new RoleTable();
  private format?: string;
  private evidence = '';
  private fileProblems: ProblemBrief[] = [];
  private errors = 0;
  private warnings = 0;
  private omitted = 0;
  private bytes = 0;
  private totalBytes = 0;
  private error?: string;
  private done = false;
  /** Every record's place is known (the first pass is over). */
  private indexed = false;
  private phase: 'indexing' | 'checking' = 'indexing';
  private readonly abort = new AbortController();
  private waiters: { n: number; resolve: () => void }[] = [];
  private handle?: Promise<fsp.FileHandle>;
  /** A Parquet file's rows, read by row group (its records have no byte ranges). */
  private parquet?: Promise<ParquetRowSource>;
  private readonly maxProblems: number;
  /** Settles when the whole file is indexed (or indexing failed: see summary().indexing.error). */
  readonly completed: Promise<void>;

  private constructor(
    readonly path: string,
    opts: FileIndexOptions,
  ) {
    this.maxProblems = opts.maxProblems ?? 100_000;
    // Opened now, in parallel with the first chunk of the index, so the first window needs one read.
    if (isParquetFileName(path)) {
      this.parquet = ParquetRowSource.open(path);
      this.parquet.catch(() => undefined);
    } else {
      this.handle = openInputFile(path);
      this.handle.catch(() => undefined);
    }
    this.completed = this.run(opts);
  }

  /** Starts indexing in the background; records are served as soon as they are indexed. */
  static open(path: string, opts: FileIndexOptions = {}): FileRecordIndex {
    return new FileRecordIndex(path, opts);
  }

  get isComplete(): boolean {
    return this.done;
  }

  get records(): number {
    return this.table.count;
  }

  /**
   * Two streaming passes: the record index first (offsets, roles, lengths: cheap, so windows are
   * served at once), then the validation pipeline for problems, which filters need.
   */
  private async run(opts: FileIndexOptions): Promise<void> {
    const t = this.table;
    const fillTo = (index: number, line: number) => {
      // A record skipped as too large has no text: give it an empty slot after the previous one.
      for (let gap = t.count; gap < index; gap++) t.set(gap, gap > 0 ? t.start[gap - 1] + t.length[gap - 1] : 0, 0, line, 1, 0, 0);
    };
    const progress = (b: number, total: number) => {
      this.bytes = b;
      this.totalBytes = total;
      opts.onProgress?.(b, total);
    };
    try {
      await scanFile(
        this.path,
        {
          record: (rec) => {
            fillTo(rec.index, rec.line);
            const v = rec.value;
            t.set(rec.index, rec.byteOffset, rec.byteLength, rec.line, rec.column, v ? recordChars(v) : rec.text.length, v ? this.roles.mask(recordRoles(v)) : 0);
            this.wake();
          },
          problem: (p) => {
            if (p.record !== undefined) fillTo(p.record + 1, p.line);
          },
        },
        { signal: this.abort.signal, onProgress: progress },
      );
      this.indexed = true;
      this.phase = 'checking';
      this.wake();
      const res = await validateFile(this.path, {
        signal: this.abort.signal,
        maxProblems: this.maxProblems,
        onProgress: progress,
        onRecord: (_rec, _valid, format) => {
          if (format && !this.format) this.format = format.id;
        },
      });
      for (const p of res.problems) {
        if (p.record !== undefined && p.record < t.count) t.addProblem(p.record, problemBrief(p));
        else this.fileProblems.push(problemBrief(p));
      }
      this.format = res.format;
      this.evidence = res.detection.evidence;
      this.errors = res.bySeverity.error;
      this.warnings = res.bySeverity.warning;
      this.omitted = res.omitted;
    } catch (e) {
      if (!(e instanceof AbortedError)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.indexed = true;
      this.done = true;
      this.wake();
    }
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.indexed || this.table.count >= w.n) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves once `n` records are indexed, or the file has fewer. */
  whenIndexed(n: number): Promise<void> {
    if (this.indexed || this.table.count >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  lineOf(i: number): number | undefined {
    return i >= 0 && i < this.table.count ? this.table.line[i] : undefined;
  }

  summary(): IndexSummary {
    const counts = this.table.ruleCounts();
    for (const p of this.fileProblems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
    return {
      format: this.format,
      evidence: this.done ? this.evidence : `${this.phase} (${percent(this.bytes, this.totalBytes)})`,
      records: this.table.count,
      errors: this.errors,
      warnings: this.warnings,
      rules: sortedRules(counts),
      roles: this.roles.names(),
      fileProblems: this.fileProblems,
      problemsNote: !this.done
        ? l10n.t('Problems are shown once the whole file is checked.')
        : this.omitted > 0
          ? l10n.t('Problems are listed for the first {0} only ({1} more); the counts are complete.', this.maxProblems, this.omitted)
          : undefined,
      indexing: { done: this.done, phase: this.phase, bytes: this.bytes, totalBytes: this.totalBytes, error: this.error },
    };
  }

  private fileHandle(): Promise<fsp.FileHandle> {
    return (this.handle ??= openInputFile(this.path));
  }

  async cards(indexes: readonly number[]): Promise<RecordCard[]> {
    const wanted = indexes.filter((i) => Number.isInteger(i) && i >= 0);
    if (wanted.length === 0) return [];
    await this.whenIndexed(Math.max(...wanted) + 1);
    const t = this.table;
    const present = wanted.filter((i) => i < t.count);
    if (present.length === 0) return [];
    if (this.parquet) {
      const texts = await (await this.parquet).texts(present);
      return present.map((i) => ({ index: i, line: t.line[i], ...cardContent(texts.get(i) ?? ''), problems: t.problems.get(i) ?? [], chars: t.chars[i] }));
    }
    const h = await this.fileHandle();
    // One read per run of nearby records: a window is usually contiguous, and each read waits for
    // the event loop, which the background index keeps busy between chunks.
    const order = [...new Set(present)].sort((a, b) => a - b);
    const texts = new Map<number, string>();
    for (let k = 0; k < order.length; ) {
      const from = t.start[order[k]];
      let to = from + t.length[order[k]];
      let j = k + 1;
      while (j < order.length && t.start[order[j]] - to <= GAP_BYTES && t.start[order[j]] + t.length[order[j]] - from <= RUN_BYTES) {
        to = Math.max(to, t.start[order[j]] + t.length[order[j]]);
        j++;
      }
      const buf = Buffer.allocUnsafe(to - from);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await h.read(buf, got, buf.length - got, from + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      for (; k < j; k++) {
        const i = order[k];
        const a = t.start[i] - from;
        texts.set(i, buf.toString('utf8', Math.min(a, got), Math.min(a + t.length[i], got)));
      }
    }
    const out: RecordCard[] = [];
    for (const i of present) {
      const text = texts.get(i)!;
      out.push({ index: i, line: t.line[i], ...(t.length[i] === 0 ? { text: '' } : cardContent(text)), problems: t.problems.get(i) ?? [], chars: t.chars[i] });
    }
    return out;
  }

  /**
   * Filters need the whole index (problems are known at its end), so a query waits for it; a
   * search then streams the file once more.
   */
  async query(q: RecordQuery, opts: QueryOptions = {}): Promise<QueryResult> {
    const search = compileSearch(q);
    if (search.error) return { matches: [], total: 0, error: search.error };
    if (isEmptyQuery(q)) return { matches: null, total: this.table.count };
    await this.completed;
    if (opts.signal?.aborted) throw new AbortedError();
    const filter = columnFilter(q, this.table, this.roles);
    if (typeof filter !== 'function') return { matches: [], total: 0, error: filter.error };
    const t = this.table;
    if (!hasSearch(q)) {
      const matches: number[] = [];
      for (const i of candidates(q, t.count)) if (filter(i)) matches.push(i);
      return { matches, total: matches.length };
    }
    const matches: number[] = [];
    if (search.regex) {
      // A backtracking pattern must not stall this thread: the worker scans the file (regexSearch.ts).
      for (const i of await searchInWorker({ ...search.regex, path: this.path }, this.totalBytes, opts)) if (filter(i)) matches.push(i);
      return { matches, total: matches.length };
    }
    const match = search.match!;
    await scanFile(
      this.path,
      {
        record: (rec) => {
          if (!filter(rec.index)) return;
          if (match(rec.value ? searchText(rec.value) : rec.text)) matches.push(rec.index);
        },
        problem: () => undefined,
      },
      { signal: opts.signal, onProgress: opts.onProgress },
    );
    return { matches, total: matches.length };
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.completed;
    const h = this.handle;
    this.handle = undefined;
    if (h) await h.then((fh) => fh.close()).catch(() => undefined);
    const pq = this.parquet;
    this.parquet = undefined;
    if (pq) await pq.then((s) => s.close()).catch(() => undefined);
  }
}

function percent(a: number, b: number): string {
  return b > 0 ? `${Math.floor((a / b) * 100)}%` : '0%';
}
