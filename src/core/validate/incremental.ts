/**
 * Validation of a document that is being edited: the full pipeline once, then per edit only the
 * records the edit touched (plus the cheap file-level parts: exact duplicates, contradicting
 * preferences, format detection when the sample changed). Keeps per-record state (where each record
 * is, its text, its problems) so that an edit costs the touched records, not the file.
 *
 * Problems are stored in the coordinates they were found in and shifted when read. Records are held
 * in blocks of about BLOCK consecutive records, each with its own array and an anchor their line and
 * offset are relative to: an edit that inserts a line above 90 000 records splices one block's
 * array and moves that block's later records and the later anchors, not every record (splicing one
 * array of 100 000 objects alone costs about a millisecond). Each block lists its records that have
 * problems, so listing the problems visits those, not every record.
 */
import { recordValueOf } from '../jsonl/bareMessageList';
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { scanText } from '../jsonl/readRecords';
import type { ReaderMode, RecordSink, SourceRecord } from '../jsonl/sourceRecord';
import { isJsonSpace } from '../jsonl/textPosition';
import { fileLimitFinding } from '../trainers';
import { bestFit, detectFormat, forcedDetection, type Detection } from './detect';
import { contradictingPreference, contradictionKey, duplicateRecord, unknownFormatProblem } from './fileLevelRules';
import { validateText } from './pipeline';
import { RecordLocator } from './positions';
import type { Problem, Severity } from './problem';
import { checkRecordText } from './recordChecks';

/** The document as the editor holds it after the edit (0-based lines, no line terminators). */
export interface DocumentLines {
  readonly lineCount: number;
  lineText(line: number): string;
  /** Length of the document's line terminator (1 for LF, 2 for CRLF). */
  readonly eolLength: number;
  textBetween(startOffset: number, endOffset: number): string;
  fullText(): string;
}

/** One edit, as VS Code reports it (0-based positions in the text before this change). */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface IncrementalOptions {
  fileName: string;
  format?: FormatId;
  formatOptions?: FormatOptions;
  /** Records per position block (default 256); tests use tiny blocks so that edits cross many. */
  blockSize?: number;
}

/** A record as the editor features need it (hover, quick fixes). */
export interface RecordView {
  index: number;
  text: string;
  /** 1-based line and column (UTF-16) of the first character, and UTF-16 offset in the document. */
  line: number;
  column: number;
  offset: number;
  /** Offset just past the record's text. */
  endOffset: number;
}

export interface EditResult {
  /** True when the edit could not be mapped onto records and the whole text was validated again. */
  full: boolean;
  /** Records validated again. */
  revalidated: number;
}

interface Origin {
  line: number;
  column: number;
  offset: number;
}

/**
 * A run of consecutive records sharing one anchor: a record's line and offset are its own plus its
 * block's. Counts are of the records' problems, for skipping blocks without problems of a severity.
 */
interface Block {
  line: number;
  offset: number;
  /** Index of the block's first record. */
  start: number;
  slots: Slot[];
  /** Its records with problems (own or file-level), in no particular order. */
  marked: Slot[];
  errors: number;
  warnings: number;
  infos: number;
  /** Records with file-level problems (duplicates, contradictions). */
  fileLevel: number;
}

interface Slot {
  text: string;
  /** Line (1-based) and UTF-16 offset relative to `block`; the column is absolute. */
  rLine: number;
  column: number;
  rOffset: number;
  block: Block;
  /** Where the record was (absolute) when `problems` were computed. */
  base: Origin;
  problems: Problem[];
  errors: number;
  warnings: number;
  infos: number;
  isObject: boolean;
  /** Sampled hash of the trimmed text (objects only; -1 otherwise). */
  hash: number;
  /** Contradiction keys (valid preference/unpaired records): this record's and the opposite one. */
  fwd?: string;
  rev?: string;
  label?: boolean;
  /** JSON mode: new length after edits not yet re-read. */
  pendingLength?: number;
  /** The format this record votes for in detection (null: none), once computed. */
  vote?: FormatId | null;
  /** Counted in its block's `fileLevel`. */
  fl: boolean;
  /** In its block's `marked`. */
  marked: boolean;
}

interface StaticProblem {
  p: Problem;
  line: number;
  column: number;
  offset: number;
  base: Origin;
}

interface FileLevel {
  kind: 'dup' | 'contra';
  other: Slot;
}

interface DirtyLines {
  start: number; // 0-based first line
  end: number; // 0-based last line
  startOffset: number;
}

const SAMPLE_SIZE = 200;
const SAMPLE_BYTES = 16 * 1024 * 1024;
const PREFERENCE_KINDS = new Set(['preference', 'unpaired']);
/** File-level problems the editor computes from its own state after every edit (the pipeline's are dropped). */
const RECOMPUTED_RULES = new Set(['common/duplicate-record', 'common/contradicting-preference', 'format/unknown-format', 'openai/too-few-examples']);
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const NO_PROBLEMS: Problem[] = [];
/** Records per block when blocks are built; a block grown past 4 times this is split. */
const BLOCK = 256;

function newBlock(start: number, slots: Slot[] = [], line = 0, offset = 0): Block {
  return { line, offset, start, slots, marked: [], errors: 0, warnings: 0, infos: 0, fileLevel: 0 };
}

/** The block of records not yet placed in the list: their positions are absolute. */
const DETACHED: Block = newBlock(0);

function lineOf(s: Slot): number {
  return s.rLine + s.block.line;
}

function offsetOf(s: Slot): number {
  return s.rOffset + s.block.offset;
}

function originOf(s: Slot): Origin {
  return { line: s.rLine + s.block.line, column: s.column, offset: s.rOffset + s.block.offset };
}

function mark(s: Slot): void {
  if (s.marked) return;
  s.marked = true;
  if (s.block !== DETACHED) s.block.marked.push(s);
}

function unmark(s: Slot): void {
  if (!s.marked) return;
  s.marked = false;
  const list = s.block.marked;
  const i = list.indexOf(s);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
}

/** Position of a record in its block's array (by its relative offset: one anchor for all of them), or -1. */
function localIndex(s: Slot): number {
  const slots = s.block.slots;
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = slots[mid].rOffset;
    if (o === s.rOffset) return slots[mid] === s ? mid : -1;
    if (o < s.rOffset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function trimJson(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isJsonSpace(s.charCodeAt(a))) a++;
  while (b > a && isJsonSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isJsonSpace(s.charCodeAt(i))) return false;
  return true;
}

/** A hash of the length, the first and last 64 characters and 32 spread over the middle (as duplicates.ts, over UTF-16). */
function sampledTextHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  const mix = (c: number) => {
    h = Math.imul(h ^ c, 0x01000193);
  };
  if (n <= 160) {
    for (let i = 0; i < n; i++) mix(s.charCodeAt(i));
  } else {
    for (let i = 0; i < 64; i++) mix(s.charCodeAt(i));
    const stride = Math.floor((n - 128) / 32);
    for (let k = 0, i = 64; k < 32; k++, i += stride) mix(s.charCodeAt(i));
    for (let i = n - 64; i < n; i++) mix(s.charCodeAt(i));
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** How a `.json` file is read: a JSON array, or JSON Lines when its first line is a whole value (as RecordScanner decides). */
export function readerModeOf(fileName: string, text: string): ReaderMode {
  if (!/\.json$/i.test(fileName)) return 'jsonl';
  let k = 0;
  if (text.charCodeAt(0) === 0xfeff) k = 1;
  while (k < text.length && isJsonSpace(text.charCodeAt(k))) k++;
  if (text[k] !== '{') return 'json';
  const nl = text.indexOf('\n', k);
  try {
    JSON.parse(text.slice(k, nl < 0 ? text.length : nl));
    return 'jsonl';
  } catch {
    return 'json';
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Length of the text after its last line break (the column shift an insertion causes). */
function lastLineLength(s: string): number {
  const i = s.lastIndexOf('\n');
  return i < 0 ? s.length : s.length - i - 1;
}

export class IncrementalValidator {
  /** Records in file order: concatenation of the blocks' arrays. */
  private size = 0;
  private statics: StaticProblem[] = [];
  private mode: ReaderMode = 'jsonl';
  /** True for a `.json` file read as JSON Lines: an edit of its first record may change that. */
  private sniffedLines = false;
  private module: FormatModule | undefined;
  private detectionValue: Detection = { confidence: 0, evidence: '' };
  /** Records in the detection sample: an edit among them re-runs detection. */
  private sampleSlots = 0;
  private readonly groups = new Map<number, Slot | Slot[]>();
  private readonly multi = new Set<number>();
  private readonly byKey = new Map<string, Slot[]>();
  private readonly conflicts = new Set<string>();
  /** The records, as consecutive runs in file order; never empty. */
  private blocks: Block[] = [newBlock(0)];
  /** JSON array mode: records with edits not yet re-read. */
  private readonly pending = new Set<Slot>();
  private fileLevel = new Map<Slot, FileLevel[]>();
  private fileLevelWarnings = 0;
  private fileLevelDirty = true;
  private ownCounts = { error: 0, warning: 0, info: 0 };

  /** Records per block (BLOCK unless a test asks for others). */
  private readonly blockSize: number;

  constructor(private opts: IncrementalOptions) {
    this.blockSize = Math.max(1, Math.floor(opts.blockSize ?? BLOCK));
  }

  get format(): FormatId | undefined {
    return this.detectionValue.format;
  }

  get detection(): Detection {
    return this.detectionValue;
  }

  get recordCount(): number {
    return this.size;
  }

  get readerMode(): ReaderMode {
    return this.mode;
  }

  /** Changes the forced format or its options; validates everything again. */
  configure(opts: Partial<IncrementalOptions>, text: string): void {
    this.opts = { ...this.opts, ...opts };
    this.reset(text);
  }

  /** Validates the whole text (the full pipeline) and rebuilds the per-record state. */
  reset(text: string): void {
    const all: Slot[] = [];
    this.statics = [];
    this.groups.clear();
    this.multi.clear();
    this.byKey.clear();
    this.conflicts.clear();
    this.pending.clear();
    this.fileLevel = new Map();
    this.fileLevelDirty = true;
    this.ownCounts = { error: 0, warning: 0, info: 0 };
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.mode = readerModeOf(this.opts.fileName, body);
    this.sniffedLines = this.mode === 'jsonl' && /\.json$/i.test(this.opts.fileName);
    const byIndex = new Map<number, Slot>();
    let module: FormatModule | undefined;
    const result = validateText(body, {
      fileName: this.opts.fileName,
      mode: this.mode,
      format: this.opts.format,
      formatOptions: this.opts.formatOptions,
      maxProblems: Number.MAX_SAFE_INTEGER,
      onRecord: (rec, valid, format) => {
        module = format;
        const slot = this.newSlot(rec.text, rec);
        slot.isObject = rec.value !== undefined;
        byIndex.set(rec.index, slot);
        all.push(slot);
        if (slot.isObject) this.keyObject(slot, rec.value!, valid, format);
      },
    });
    // onRecord runs in file order except for the sample, which is checked once detection decided.
    all.sort((a, b) => a.rOffset - b.rOffset);
    this.detectionValue = result.detection;
    this.module = module ?? (result.format ? getFormat(result.format) : undefined);
    for (const p of result.problems) {
      if (RECOMPUTED_RULES.has(p.rule)) continue;
      const slot = p.record === undefined ? undefined : byIndex.get(p.record);
      if (slot) {
        if (slot.problems === NO_PROBLEMS) slot.problems = [];
        slot.problems.push(p);
      }
      else this.statics.push({ p, line: p.line, column: p.column, offset: p.offset ?? 0, base: { line: p.line, column: p.column, offset: p.offset ?? 0 } });
    }
    for (const s of all) {
      this.countInto(s);
      this.register(s);
    }
    this.rebuildBlocks(all);
    this.sampleSlots = this.sampleExtent();
  }

  private newSlot(text: string, at: Origin): Slot {
    const o = { line: at.line, column: at.column, offset: at.offset };
    // Every field set here, in one order: records share one hidden class and the shift loops stay fast.
    return {
      text,
      rLine: o.line,
      column: o.column,
      rOffset: o.offset,
      block: DETACHED,
      base: o,
      problems: NO_PROBLEMS,
      errors: 0,
      warnings: 0,
      infos: 0,
      isObject: false,
      hash: -1,
      fwd: undefined,
      rev: undefined,
      label: undefined,
      pendingLength: undefined,
      vote: undefined,
      fl: false,
      marked: false,
    };
  }

  private keyObject(slot: Slot, value: Record<string, unknown>, valid: boolean, format: FormatModule | undefined): void {
    slot.hash = sampledTextHash(trimJson(slot.text));
    if (!valid || !format || !PREFERENCE_KINDS.has(format.kind)) return;
    try {
      const key = contradictionKey(format.toCanonical(value, this.opts.formatOptions));
      const keys = key && { fwd: key.mine, rev: key.opposite, label: key.label };
      if (keys) {
        slot.fwd = keys.fwd;
        slot.rev = keys.rev;
        slot.label = keys.label;
      }
    } catch {
      // The pipeline reports a failing mapping as common/check-failed; no key then.
    }
  }

  private countInto(s: Slot): void {
    s.errors = s.warnings = s.infos = 0;
    for (const p of s.problems) {
      if (p.severity === 'error') s.errors++;
      else if (p.severity === 'warning') s.warnings++;
      else s.infos++;
    }
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** Folds every anchor into its records and cuts them into blocks of `blockSize` records. */
  private rebuildBlocks(all: Slot[] = this.allSlots()): void {
    const blocks: Block[] = [];
    for (let start = 0; start < all.length; start += this.blockSize) {
      const b = newBlock(start, all.slice(start, start + this.blockSize));
      for (const s of b.slots) {
        s.rLine += s.block.line;
        s.rOffset += s.block.offset;
        this.adopt(s, b);
      }
      blocks.push(b);
    }
    this.blocks = blocks.length > 0 ? blocks : [newBlock(0)];
    this.size = all.length;
  }

  private allSlots(): Slot[] {
    const all: Slot[] = [];
    for (const b of this.blocks) for (const s of b.slots) all.push(s);
    return all;
  }

  /** Moves a record (already relative to `b`'s anchor) into `b`'s counts. */
  private adopt(s: Slot, b: Block): void {
    s.block = b;
    b.errors += s.errors;
    b.warnings += s.warnings;
    b.infos += s.infos;
    if (s.fl) b.fileLevel++;
    if (s.marked) b.marked.push(s);
  }

  /** Position in `blocks` of the block holding record `index` (the last block for the end). */
  private blockAt(index: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].start <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The record at `index` (0 <= index < recordCount). */
  private at(index: number): Slot {
    const b = this.blocks[this.blockAt(index)];
    return b.slots[index - b.start];
  }

  /** Index of a record in the list, or -1 when it is no longer there. */
  private indexOf(s: Slot): number {
    const k = localIndex(s);
    return k < 0 ? -1 : s.block.start + k;
  }

  private renumber(from: number): void {
    let start = from > 0 ? this.blocks[from - 1].start + this.blocks[from - 1].slots.length : 0;
    for (let bi = from; bi < this.blocks.length; bi++) {
      this.blocks[bi].start = start;
      start += this.blocks[bi].slots.length;
    }
    this.size = start;
  }

  /**
   * Replaces `count` records from `at` by `fresh` (detached, absolute positions), unregistering the
   * removed and registering the new ones, and keeps the blocks in step.
   */
  private spliceSlots(at: number, count: number, fresh: Slot[]): void {
    let first = this.blockAt(at);
    for (let left = count, bi = first; left > 0 && bi < this.blocks.length; ) {
      const b = this.blocks[bi];
      const local = Math.max(0, at - b.start);
      const removed = b.slots.splice(local, Math.min(left, b.slots.length - local));
      for (const s of removed) this.unregister(s);
      left -= removed.length;
      if (b.slots.length === 0 && this.blocks.length > 1) this.blocks.splice(bi, 1);
      else bi++;
    }
    first = Math.min(first, this.blocks.length - 1);
    if (fresh.length > 0) {
      this.renumber(first);
      const bi = this.blockAt(at);
      const b = this.blocks[bi];
      for (const s of fresh) {
        s.rLine -= b.line;
        s.rOffset -= b.offset;
        s.block = b;
        this.register(s);
      }
      const local = at - b.start;
      // Too many to pass as arguments otherwise.
      if (fresh.length < 8192) b.slots.splice(local, 0, ...fresh);
      else b.slots = b.slots.slice(0, local).concat(fresh, b.slots.slice(local));
      if (b.slots.length > 4 * this.blockSize) this.splitBlock(bi);
    }
    this.renumber(first);
    // Scattered deletions leave many small blocks, which the shift walks one by one.
    if (this.blocks.length > 8 + (4 * this.size) / this.blockSize) this.rebuildBlocks();
  }

  /** Cuts an oversized block into blocks of `blockSize` records with the same anchor. */
  private splitBlock(bi: number): void {
    const old = this.blocks[bi];
    const parts: Block[] = [];
    for (let k = 0; k < old.slots.length; k += this.blockSize) {
      const b = newBlock(old.start + k, old.slots.slice(k, k + this.blockSize), old.line, old.offset);
      for (const s of b.slots) this.adopt(s, b);
      parts.push(b);
    }
    this.blocks.splice(bi, 1, ...parts);
  }

  /** Moves every record from index `k` on by `dLine` lines and `dOff` offsets. */
  private shiftFrom(k: number, dLine: number, dOff: number): void {
    if (k >= this.size || (dLine === 0 && dOff === 0)) return;
    let bi = this.blockAt(k);
    const b = this.blocks[bi];
    if (b.start < k) {
      for (let i = k - b.start; i < b.slots.length; i++) {
        const s = b.slots[i];
        s.rLine += dLine;
        s.rOffset += dOff;
      }
      bi++;
    }
    for (; bi < this.blocks.length; bi++) {
      const t = this.blocks[bi];
      t.line += dLine;
      t.offset += dOff;
    }
  }

  // ---- file-level indexes ---------------------------------------------------------------------

  private register(s: Slot): void {
    if (s.problems.length > 0) mark(s);
    // Detached records (reset) are counted when the blocks are built.
    if (s.block !== DETACHED) {
      s.block.errors += s.errors;
      s.block.warnings += s.warnings;
      s.block.infos += s.infos;
    }
    this.ownCounts.error += s.errors;
    this.ownCounts.warning += s.warnings;
    this.ownCounts.info += s.infos;
    if (s.hash >= 0) {
      const g = this.groups.get(s.hash);
      if (g === undefined) this.groups.set(s.hash, s);
      else {
        if (Array.isArray(g)) g.push(s);
        else this.groups.set(s.hash, [g, s]);
        this.multi.add(s.hash);
        this.fileLevelDirty = true;
      }
    }
    if (s.fwd !== undefined) {
      let list = this.byKey.get(s.fwd);
      if (!list) this.byKey.set(s.fwd, (list = []));
      list.push(s);
      if (this.byKey.has(s.rev!)) {
        this.conflicts.add(s.fwd);
        this.conflicts.add(s.rev!);
        this.fileLevelDirty = true;
      }
    }
  }

  private unregister(s: Slot): void {
    s.block.errors -= s.errors;
    s.block.warnings -= s.warnings;
    s.block.infos -= s.infos;
    if (s.fl) {
      s.fl = false;
      s.block.fileLevel--;
    }
    unmark(s);
    this.ownCounts.error -= s.errors;
    this.ownCounts.warning -= s.warnings;
    this.ownCounts.info -= s.infos;
    if (s.hash >= 0) {
      const g = this.groups.get(s.hash);
      if (g === s) this.groups.delete(s.hash);
      else if (Array.isArray(g)) {
        const i = g.indexOf(s);
        if (i >= 0) g.splice(i, 1);
        if (g.length === 1) {
          this.groups.set(s.hash, g[0]);
          this.multi.delete(s.hash);
        }
        this.fileLevelDirty = true;
      }
    }
    if (s.fwd !== undefined) {
      const list = this.byKey.get(s.fwd);
      if (list) {
        const i = list.indexOf(s);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) {
          this.byKey.delete(s.fwd);
          this.conflicts.delete(s.fwd);
          this.conflicts.delete(s.rev!);
        }
      }
      if (this.conflicts.has(s.fwd) || this.byKey.has(s.rev!)) this.fileLevelDirty = true;
    }
  }

  private computeFileLevel(): void {
    if (!this.fileLevelDirty) return;
    this.fileLevelDirty = false;
    const out = new Map<Slot, FileLevel[]>();
    let n = 0;
    const add = (s: Slot, f: FileLevel) => {
      const l = out.get(s);
      if (l) l.push(f);
      else out.set(s, [f]);
      n++;
    };
    for (const h of this.multi) {
      const g = this.groups.get(h);
      if (!Array.isArray(g)) continue;
      const members = [...g].sort((a, b) => offsetOf(a) - offsetOf(b));
      const firsts: { slot: Slot; text: string }[] = [];
      for (const m of members) {
        const t = trimJson(m.text);
        const first = firsts.find((f) => f.text === t);
        if (first) add(m, { kind: 'dup', other: first.slot });
        else firsts.push({ slot: m, text: t });
      }
    }
    for (const key of this.conflicts) {
      const list = this.byKey.get(key);
      if (!list) continue;
      for (const s of list) {
        const opposite = this.byKey.get(s.rev!);
        if (!opposite) continue;
        let earliest: Slot | undefined;
        for (const o of opposite) if (!earliest || offsetOf(o) < offsetOf(earliest)) earliest = o;
        if (earliest && offsetOf(earliest) < offsetOf(s)) add(s, { kind: 'contra', other: earliest });
      }
    }
    // A record's file-level problems in the pipeline's order: duplicate first, then contradiction.
    for (const l of out.values()) l.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'dup' ? -1 : 1));
    for (const s of this.fileLevel.keys()) {
      if (!s.fl) continue;
      s.fl = false;
      s.block.fileLevel--;
      if (s.problems.length === 0) unmark(s);
    }
    for (const s of out.keys()) {
      s.fl = true;
      s.block.fileLevel++;
      mark(s);
    }
    this.fileLevel = out;
    this.fileLevelWarnings = n;
  }

  // ---- detection ------------------------------------------------------------------------------

  /** Number of leading records the pipeline's detection sample holds. */
  private sampleExtent(): number {
    let objects = 0;
    let bytes = 0;
    let n = this.size;
    this.eachSlot((s, i) => {
      bytes += 2 * s.text.length;
      if (s.isObject) objects++;
      if (objects < SAMPLE_SIZE && bytes < SAMPLE_BYTES) return true;
      n = i + 1;
      return false;
    });
    return n;
  }

  /** Calls `fn` with the records in file order until it returns false. */
  private eachSlot(fn: (s: Slot, index: number) => boolean): void {
    for (const b of this.blocks) for (let k = 0; k < b.slots.length; k++) if (!fn(b.slots[k], b.start + k)) return;
  }

  /** The first `n` records. */
  private leading(n: number): Slot[] {
    const out: Slot[] = [];
    if (n > 0) this.eachSlot((s) => out.push(s) < n);
    return out;
  }

  private redetect(): Detection {
    if (this.opts.format) return forcedDetection(this.opts.format);
    const sample = this.leading(this.sampleExtent());
    // Each record's vote is kept: after an edit only the touched records are scored again, and the
    // full detection (with its wording) runs only when the majority may have changed.
    const votes = new Map<string, number>();
    const values: Record<string, unknown>[] = [];
    let top: string | null = null;
    let topVotes = 0;
    for (const s of sample) {
      if (!s.isObject) continue;
      if (s.vote === undefined) {
        try {
          const value = recordValueOf(JSON.parse(s.text));
          s.vote = value ? (bestFit(value)?.format.id ?? null) : null;
        } catch {
          s.vote = null;
        }
      }
      if (s.vote === null) continue;
      const v = (votes.get(s.vote) ?? 0) + 1;
      votes.set(s.vote, v);
      if (v > topVotes) [top, topVotes] = [s.vote, v];
    }
    if (top !== null && top === this.detectionValue.format && topVotes * 2 > [...votes.values()].reduce((a, b) => a + b, 0)) return this.detectionValue;
    for (const s of sample) {
      if (!s.isObject) continue;
      try {
        const value = recordValueOf(JSON.parse(s.text));
        if (value) values.push(value);
      } catch {
        // isObject says it parsed; nothing to add otherwise.
      }
    }
    return detectFormat(values);
  }

  // ---- edits ----------------------------------------------------------------------------------

  /** Applies the changes of one document event (in order, as VS Code applies them) and re-validates what they touched. */
  applyChanges(changes: readonly TextChange[], doc: DocumentLines): EditResult {
    if (changes.length === 0) return { full: false, revalidated: 0 };
    const needsFull = this.statics.some((s) => s.p.rule === 'jsonl/binary-file') || (this.mode === 'json' ? !this.mapJsonChanges(changes) : !this.mapLineChanges(changes));
    if (needsFull) {
      this.reset(doc.fullText());
      return { full: true, revalidated: this.size };
    }
    const touched = this.mode === 'json' ? this.rereadElements(doc) : this.rereadLines(doc);
    if (touched === undefined) {
      this.reset(doc.fullText());
      return { full: true, revalidated: this.size };
    }
    if (touched.minIndex < this.sampleSlots || this.size < this.sampleSlots) {
      const d = this.redetect();
      if (d.format !== this.detectionValue.format) {
        this.reset(doc.fullText());
        return { full: true, revalidated: this.size };
      }
      this.detectionValue = d;
      this.sampleSlots = this.sampleExtent();
    }
    return { full: false, revalidated: touched.count };
  }

  private dirty: DirtyLines[] = [];

  /** JSON Lines: drops the records on changed lines and remembers which lines to read again. */
  private mapLineChanges(changes: readonly TextChange[]): boolean {
    this.dirty = [];
    const firstLine = this.size > 0 ? lineOf(this.at(0)) - 1 : Infinity;
    for (const c of changes) {
      // A `.json` file read as JSON Lines stays so only while its first record is untouched.
      if (this.sniffedLines && c.startLine <= firstLine) return false;
      const sL = c.startLine;
      const eL = c.endLine;
      const nl = countNewlines(c.text);
      const dLine = nl - (eL - sL);
      const dOff = c.text.length - c.rangeLength;
      const lo = this.firstSlotAtLine(sL + 1);
      const hi = this.firstSlotAtLine(eL + 2);
      if (hi > lo) this.spliceSlots(lo, hi - lo, []);
      this.shiftFrom(lo, dLine, dOff);
      this.shiftStatics(c, sL, eL, dLine, dOff, lastLineLength(c.text));
      const lineStart = c.rangeOffset - c.startCharacter;
      let range: DirtyLines = { start: sL, end: sL + nl, startOffset: lineStart };
      const kept: DirtyLines[] = [];
      for (const d of this.dirty) {
        if (d.end < sL) kept.push(d);
        else if (d.start > eL) {
          d.start += dLine;
          d.end += dLine;
          d.startOffset += dOff;
          kept.push(d);
        } else {
          const end = d.end > eL ? Math.max(range.end, d.end + dLine) : range.end;
          range = d.start < range.start ? { start: d.start, end, startOffset: d.startOffset } : { ...range, end };
        }
      }
      kept.push(range);
      kept.sort((a, b) => a.start - b.start);
      this.dirty = kept;
    }
    return true;
  }

  private shiftStatics(c: TextChange, sL: number, eL: number, dLine: number, dOff: number, tail: number): void {
    if (this.statics.length === 0) return;
    const end = c.rangeOffset + c.rangeLength;
    this.statics = this.statics.filter((s) => {
      if (s.offset < c.rangeOffset) return s.line - 1 < sL || this.mode === 'json';
      if (s.line - 1 <= eL && this.mode !== 'json') return false;
      if (s.offset < end) return false;
      if (s.line - 1 === eL) s.column = s.column - c.endCharacter + (c.text.includes('\n') ? tail : c.startCharacter + tail);
      s.line += dLine;
      s.offset += dOff;
      return true;
    });
  }

  /** Index of the first record on or after 1-based `line`. */
  private firstSlotAtLine(line: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineOf(this.at(mid)) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the last record starting at or before `offset`, or -1. */
  private slotAtOffset(offset: number): number {
    let lo = 0;
    let hi = this.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offsetOf(this.at(mid)) <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private rereadLines(doc: DocumentLines): { minIndex: number; count: number } {
    let minIndex = Infinity;
    let count = 0;
    for (const d of this.dirty) {
      const fresh: Slot[] = [];
      let offset = d.startOffset;
      const last = Math.min(d.end, doc.lineCount - 1);
      for (let line = d.start; line <= last; line++) {
        const text = doc.lineText(line);
        if (!isBlank(text)) {
          const slot = this.newSlot(text, { line: line + 1, column: 1, offset });
          this.check(slot, line === doc.lineCount - 1);
          fresh.push(slot);
        }
        offset += text.length + doc.eolLength;
      }
      const at = this.firstSlotAtLine(d.start + 1);
      if (fresh.length > 0) this.spliceSlots(at, 0, fresh);
      minIndex = Math.min(minIndex, at);
      count += fresh.length;
    }
    this.dirty = [];
    return { minIndex, count };
  }

  /** JSON array: each change must fall inside one record; everything else is a structural edit. */
  private mapJsonChanges(changes: readonly TextChange[]): boolean {
    for (const c of changes) {
      const k = this.slotAtOffset(c.rangeOffset);
      if (k < 0) return false;
      const s = this.at(k);
      const len = s.pendingLength ?? s.text.length;
      if (c.rangeOffset + c.rangeLength > offsetOf(s) + len) return false;
      const dLine = countNewlines(c.text) - (c.endLine - c.startLine);
      const dOff = c.text.length - c.rangeLength;
      s.pendingLength = len + dOff;
      this.pending.add(s);
      const newEndCol = c.text.includes('\n') ? lastLineLength(c.text) : c.startCharacter + c.text.length;
      // Later records on the edit's last line change column; they follow record k directly.
      for (let i = k + 1; i < this.size && lineOf(this.at(i)) - 1 === c.endLine; i++) this.at(i).column += newEndCol - c.endCharacter;
      this.shiftFrom(k + 1, dLine, dOff);
      this.shiftStatics(c, c.startLine, c.endLine, dLine, dOff, lastLineLength(c.text));
    }
    return true;
  }

  private rereadElements(doc: DocumentLines): { minIndex: number; count: number } | undefined {
    let minIndex = Infinity;
    let count = 0;
    const edited = [...this.pending].map((s) => ({ s, i: this.indexOf(s) })).sort((a, b) => a.i - b.i);
    this.pending.clear();
    for (const { s, i } of edited) {
      if (s.pendingLength === undefined || i < 0) continue;
      const start = offsetOf(s);
      const text = doc.textBetween(start, start + s.pendingLength);
      s.pendingLength = undefined;
      if (!isSingleElement(text)) return undefined;
      this.unregister(s);
      s.text = text;
      s.base = originOf(s);
      s.problems = NO_PROBLEMS;
      s.hash = -1;
      s.fwd = s.rev = s.label = undefined;
      s.vote = undefined;
      this.check(s, false);
      this.register(s);
      minIndex = Math.min(minIndex, i);
      count++;
    }
    return { minIndex, count };
  }

  /** The per-record part of the pipeline for one record at its place. */
  private check(slot: Slot, lastLine: boolean): void {
    const format = this.module;
    // A last line that ends inside its value is said to be cut off, as the reader says.
    const r = checkRecordText(slot.text, originOf(slot), format, this.opts.formatOptions, lastLine);
    slot.problems = r.problems;
    slot.isObject = r.value !== undefined;
    if (r.value) this.keyObject(slot, r.value, r.valid, format);
    this.countInto(slot);
  }

  // ---- reading the state ----------------------------------------------------------------------

  /** Problems per severity, complete. */
  counts(): Record<Severity, number> {
    this.computeFileLevel();
    const c = { ...this.ownCounts };
    c.warning += this.fileLevelWarnings;
    for (const s of this.statics) c[s.p.severity]++;
    if (this.unknownFormatSlot() >= 0) c.error++;
    const limit = this.fileLimitProblem();
    if (limit) c[limit.severity]++;
    return c;
  }

  /** A limit of the whole file (OpenAI's 10-example minimum), shown on the first record. */
  private fileLimitProblem(): Problem | undefined {
    const limit = fileLimitFinding(this.detectionValue.format, this.recordCount, this.opts.formatOptions?.trainer);
    if (!limit) return undefined;
    let first = -1;
    this.eachSlot((s, i) => {
      if (s.isObject) first = i;
      return first < 0;
    });
    if (first < 0) return undefined;
    const s = this.at(first);
    return { ...new RecordLocator({ text: s.text, ...originOf(s), index: first }).recordRange(), ...limit, record: first };
  }

  private unknownFormatSlot(): number {
    if (this.detectionValue.format) return -1;
    let found = -1;
    this.eachSlot((s, i) => {
      if (s.isObject) found = i;
      return found < 0;
    });
    return found;
  }

  private unknownFormatProblem(i: number): Problem {
    const s = this.at(i);
    return unknownFormatProblem({ text: s.text, ...originOf(s), index: i }, this.detectionValue.evidence);
  }

  private shift(p: Problem, base: Origin, at: Origin, index?: number): Problem {
    const dl = at.line - base.line;
    const dc = at.column - base.column;
    const doff = at.offset - base.offset;
    if (dl === 0 && dc === 0 && doff === 0 && (index === undefined || p.record === index)) return p;
    const q: Problem = { ...p, line: p.line + dl, endLine: p.endLine + dl };
    if (p.line === base.line) q.column = p.column + dc;
    if (p.endLine === base.line) q.endColumn = p.endColumn + dc;
    if (p.offset !== undefined) q.offset = p.offset + doff;
    if (p.endOffset !== undefined) q.endOffset = p.endOffset + doff;
    if (index !== undefined) q.record = index;
    return q;
  }

  private fileLevelProblem(s: Slot, index: number, f: FileLevel): Problem {
    const range = new RecordLocator({ text: s.text, ...originOf(s), index }).recordRange();
    const other = lineOf(f.other);
    // The rules' own modules word the findings (validate/fileLevelRules), as in the streaming pipeline.
    const rule = f.kind === 'dup' ? duplicateRecord : contradictingPreference;
    const message = f.kind === 'dup' ? duplicateRecord.message(other, 0) : contradictingPreference.message(other, { mine: '', opposite: '', label: s.label });
    return { ...range, severity: rule.severity, rule: rule.id, message, record: index };
  }

  /** The problems of one record, in the pipeline's order; `only` keeps one severity. */
  private slotProblems(s: Slot, i: number, out: Problem[], only?: Severity): void {
    const fl = this.fileLevel.get(s);
    const dup = fl?.filter((f) => f.kind === 'dup');
    if (dup && (only === undefined || only === 'warning')) for (const f of dup) out.push(this.fileLevelProblem(s, i, f));
    if (s.problems.length > 0) {
      const at = originOf(s);
      for (const p of s.problems) if (only === undefined || p.severity === only) out.push(this.shift(p, s.base, at, i));
    }
    const contra = fl?.filter((f) => f.kind === 'contra');
    if (contra && (only === undefined || only === 'warning')) for (const f of contra) out.push(this.fileLevelProblem(s, i, f));
  }

  /**
   * Calls `fn` with each record that has problems (of severity `only`, or any) and its index, in file
   * order, until it returns false. Blocks whose counts say they hold none are skipped unread.
   */
  private eachProblemRecord(only: Severity | undefined, fn: (s: Slot, index: number) => boolean): void {
    this.computeFileLevel();
    for (const b of this.blocks) {
      if (b.marked.length === 0) continue;
      if (only === 'error' ? b.errors === 0 : only === 'warning' ? b.warnings + b.fileLevel === 0 : only === 'info' ? b.infos === 0 : false) continue;
      // Relative offsets order the records of one block; the list is mostly sorted already.
      if (b.marked.length > 1) b.marked.sort((x, y) => x.rOffset - y.rOffset);
      for (const s of b.marked) {
        const hit = only === undefined || (only === 'error' ? s.errors > 0 : only === 'warning' ? s.warnings > 0 || s.fl : s.infos > 0);
        if (hit && !fn(s, b.start + localIndex(s))) return;
      }
    }
  }

  /** Every problem in file order, as validateText would list them. */
  problems(): Problem[] {
    const out: Problem[] = [];
    const u = this.unknownFormatSlot();
    if (u >= 0) out.push(this.unknownFormatProblem(u));
    const limit = this.fileLimitProblem();
    if (limit) out.push(limit);
    for (const s of this.statics) out.push(this.shift(s.p, s.base, s));
    this.eachProblemRecord(undefined, (s, index) => {
      this.slotProblems(s, index, out);
      return true;
    });
    // Stable: ties keep the pipeline's insertion order.
    out.sort((a, b) => a.line - b.line || a.column - b.column);
    return out;
  }

  /**
   * At most `max` problems for display, errors before warnings before infos (each in file order),
   * and how many of each severity were left out.
   */
  display(max: number): { problems: Problem[]; hidden: Record<Severity, number>; total: Record<Severity, number> } {
    const total = this.counts();
    const all = total.error + total.warning + total.info;
    if (all <= max) return { problems: this.problems(), hidden: { error: 0, warning: 0, info: 0 }, total };
    const out: Problem[] = [];
    const u = this.unknownFormatSlot();
    for (const sev of SEVERITIES) {
      if (out.length >= max) break;
      if (sev === 'error' && u >= 0) out.push(this.unknownFormatProblem(u));
      const limit = this.fileLimitProblem();
      if (limit?.severity === sev && out.length < max) out.push(limit);
      for (const s of this.statics) if (s.p.severity === sev && out.length < max) out.push(this.shift(s.p, s.base, s));
      if (out.length >= max) break;
      this.eachProblemRecord(sev, (s, i) => {
        this.slotProblems(s, i, out, sev);
        return out.length < max;
      });
    }
    const shown = out.slice(0, max);
    const hidden = { ...total };
    for (const p of shown) hidden[p.severity]--;
    return { problems: shown, hidden, total };
  }

  /** The record at a document offset (inside its text, or at its end). */
  recordAt(offset: number): RecordView | undefined {
    const k = this.slotAtOffset(offset);
    if (k < 0) return undefined;
    const s = this.at(k);
    if (offset > offsetOf(s) + s.text.length) return undefined;
    return this.view(k);
  }

  record(index: number): RecordView | undefined {
    return index >= 0 && index < this.size ? this.view(index) : undefined;
  }

  private view(k: number): RecordView {
    const s = this.at(k);
    const offset = offsetOf(s);
    return { index: k, text: s.text, line: lineOf(s), column: s.column, offset, endOffset: offset + s.text.length };
  }

  /** The module records are checked against (detected or forced). */
  get formatModule(): FormatModule | undefined {
    return this.module;
  }
}

/** Whether text is exactly one JSON object or array as an element of a top-level array (no whitespace around it). */
function isSingleElement(text: string): boolean {
  if (text.length === 0 || (text[0] !== '{' && text[0] !== '[')) return false;
  if (isJsonSpace(text.charCodeAt(text.length - 1))) return false;
  let count = 0;
  let bad = false;
  const sink: RecordSink = {
    record: (rec: SourceRecord) => {
      count++;
      if (rec.text !== text) bad = true;
    },
    problem: () => {
      bad = true;
    },
  };
  scanText('[' + text + ']', 'json', sink);
  return !bad && count === 1;
}
