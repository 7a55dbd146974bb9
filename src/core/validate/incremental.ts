/**
 * Validation of a document that is being edited: the full pipeline once, then per edit only the
 * records the edit touched, plus the cheap file-level parts (the rules of fileLevelRules/ over
 * their editable indexes, format detection when the sample changed). An edit costs the touched
 * records, not the file.
 *
 * The parts, each in its own module: where the records are (anchoredBlocks.ts), what is kept per
 * record (recordSlot.ts), mapping edits onto records (editMapping.ts), problems outside records
 * (staticProblems.ts) and detection votes (detectionVotes.ts). This class ties them together and
 * lists the problems in the pipeline's order.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { ReaderMode } from '../jsonl/sourceRecord';
import { isJsonSpace } from '../jsonl/textPosition';
import { AnchoredBlocks, lineOf, offsetOf } from './anchoredBlocks';
import type { Detection } from './detect';
import { DetectionVotes, sampleExtent } from './detectionVotes';
import { ArrayEditMapper, LineEditMapper, type DocumentLines, type EditHost, type EditMapper } from './editMapping';
import { EditableFileLevelRules, fileLimitProblem, findingProblem, FILE_LEVEL_RULES, keyAt, KeyCollector, recordKeys, unknownFormatProblem, type Finding, type RecordAccess } from './fileLevelRules';
import { validateText } from './pipeline';
import type { Problem, Severity } from '../base/problem';
import { checkRecordText } from './recordChecks';
import { asReadText, countProblems, holds, holdsNone, newSlot, NO_PROBLEMS, originOf, setProblems, setText, shiftProblem, SLOT_TALLY, textOf, type RecordSlot, type SeverityTally } from './recordSlot';
import { StaticProblems, type TextChange } from './staticProblems';

export type { DocumentLines } from './editMapping';
export type { TextChange } from './staticProblems';

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

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const ACCESS: RecordAccess<RecordSlot> = { offsetOf, text: textOf };

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

export class IncrementalValidator implements EditHost {
  readonly records: AnchoredBlocks<RecordSlot, SeverityTally>;
  readonly statics = new StaticProblems();
  private mode: ReaderMode = 'jsonl';
  private edits: EditMapper;
  private module: FormatModule | undefined;
  private detectionValue: Detection = { confidence: 0, evidence: '' };
  /** Records in the detection sample: an edit among them re-runs detection. */
  private sampleSlots = 0;
  private rules = new EditableFileLevelRules<RecordSlot>();
  /** Records with file-level findings, and the findings, as last computed. */
  private findings = new Map<RecordSlot, Finding<RecordSlot>[]>();
  private findingCount = 0;
  private own: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private votes = new DetectionVotes();

  constructor(private opts: IncrementalOptions) {
    this.records = new AnchoredBlocks(SLOT_TALLY, opts.blockSize ?? 256);
    this.edits = new LineEditMapper(this, false);
  }

  get format(): FormatId | undefined {
    return this.detectionValue.format;
  }

  get detection(): Detection {
    return this.detectionValue;
  }

  get recordCount(): number {
    return this.records.size;
  }

  get readerMode(): ReaderMode {
    return this.mode;
  }

  /** The module records are checked against (detected or forced). */
  get formatModule(): FormatModule | undefined {
    return this.module;
  }

  /** Changes the forced format or its options; validates everything again. */
  configure(opts: Partial<IncrementalOptions>, text: string): void {
    this.opts = { ...this.opts, ...opts };
    this.reset(text);
  }

  /** Validates the whole text (the full pipeline) and rebuilds the per-record state. */
  reset(text: string): void {
    // Let go of the old records before reading the new ones: a large file is not held twice.
    this.records.reset([]);
    this.statics.clear();
    this.rules = new EditableFileLevelRules<RecordSlot>();
    this.findings = new Map();
    this.findingCount = 0;
    this.own = { error: 0, warning: 0, info: 0 };
    this.votes = new DetectionVotes();
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.mode = readerModeOf(this.opts.fileName, body);
    this.edits = this.mode === 'json' ? new ArrayEditMapper(this) : new LineEditMapper(this, /\.json$/i.test(this.opts.fileName));
    // Records by index (the reader numbers them in file order); the detection sample arrives late.
    let all: RecordSlot[] = [];
    let read = 0;
    const keys = new KeyCollector();
    let module: FormatModule | undefined;
    const sameOffsets = body.charCodeAt(0) !== 0xfeff;
    const result = validateText(body, {
      fileName: this.opts.fileName,
      mode: this.mode,
      format: this.opts.format,
      formatOptions: this.opts.formatOptions,
      maxProblems: Number.MAX_SAFE_INTEGER,
      fileLevel: keys,
      onRecord: (rec, _valid, format) => {
        module = format;
        // The record's text is read from the document: the reader's own string of it then dies young,
        // as in the plain pipeline, instead of being kept for every record. (They differ only where the
        // document holds what UTF-8 cannot, a lone surrogate, which the reader sees as U+FFFD.)
        // The reader's UTF-8 round trip keeps every UTF-16 length, so its text can differ from the
        // document's only where it holds U+FFFD, or everywhere after a second BOM (the reader strips
        // it again); only then compare: comparing every record cost ~8% of this pass.
        const n = rec.text.length;
        const inBody = (sameOffsets && !rec.text.includes('\uFFFD')) || body.startsWith(rec.text, rec.offset);
        const slot = newSlot(inBody ? body : rec.text, rec.line, rec.column, rec.offset, this.records.detached, inBody ? rec.offset : 0, n);
        slot.isObject = rec.value !== undefined;
        slot.keys = keys.keysOf(rec);
        all[rec.index] = slot;
        read++;
      },
    });
    this.detectionValue = result.detection;
    this.module = module ?? (result.format ? getFormat(result.format) : undefined);
    const withProblems: RecordSlot[] = [];
    for (const p of result.problems) {
      const slot = p.record === undefined ? undefined : all[p.record];
      if (!slot) this.statics.add(p);
      else if (slot.problems !== NO_PROBLEMS) slot.problems.push(p);
      else {
        slot.problems = [p];
        withProblems.push(slot);
      }
    }
    for (const slot of withProblems) setProblems(slot, slot.problems);
    // Indexes the reader skipped (a record too large to read) leave holes.
    if (read !== all.length) all = all.filter((s) => s !== undefined);
    this.rules = new EditableFileLevelRules<RecordSlot>(all.length);
    for (const s of all) this.enter(s);
    this.records.reset(all);
    this.sampleSlots = sampleExtent(this.records);
  }

  // ---- the EditHost side: records leaving and joining ------------------------------------------

  replace(at: number, count: number, fresh: RecordSlot[]): void {
    for (const s of fresh) this.enter(s);
    for (const s of this.records.splice(at, count, fresh)) {
      this.leave(s);
      // It has left its block's tally already.
      s.fileLevel = false;
    }
  }

  checked(text: string, line: number, column: number, offset: number, endsFile: boolean): RecordSlot {
    const slot = newSlot(asReadText(text), line, column, offset, this.records.detached);
    this.check(slot, endsFile);
    return slot;
  }

  recheck(slot: RecordSlot, text: string): void {
    this.leave(slot);
    this.records.update(slot, () => {
      setText(slot, asReadText(text));
      this.votes.forget(slot);
      slot.fileLevel = false;
      this.check(slot, false);
    });
    this.enter(slot);
  }

  /** The per-record part of the pipeline for one record where it is, and its file-level keys. */
  private check(slot: RecordSlot, endsFile: boolean): void {
    const at = originOf(slot);
    const text = textOf(slot);
    const rec = { text, ...at };
    const r = checkRecordText(text, at, this.module, this.opts.formatOptions, endsFile);
    slot.isObject = r.value !== undefined;
    slot.keys = undefined;
    let problems = r.problems;
    if (r.value) {
      const k = recordKeys(rec, r.value, r.valid, this.module, this.opts.formatOptions);
      slot.keys = k.keys;
      if (k.problems.length > 0) problems = [...problems, ...k.problems];
    }
    setProblems(slot, problems);
  }

  /** Counts a record's problems in the file's totals and its keys in the file-level indexes. */
  private enter(s: RecordSlot): void {
    countProblems(this.own, s, 1);
    if (s.keys) this.rules.add(s, s.keys);
  }

  private leave(s: RecordSlot): void {
    countProblems(this.own, s, -1);
    if (s.keys) this.rules.remove(s, s.keys);
    this.findings.delete(s);
  }

  // ---- edits ----------------------------------------------------------------------------------

  /** Applies the changes of one document event (in order, as VS Code applies them) and re-validates what they touched. */
  applyChanges(changes: readonly TextChange[], doc: DocumentLines): EditResult {
    if (changes.length === 0) return { full: false, revalidated: 0 };
    const touched = !this.statics.has('jsonl/binary-file') && this.edits.map(changes) ? this.edits.reread(doc) : undefined;
    if (touched && (touched.minIndex < this.sampleSlots || this.records.size < this.sampleSlots)) {
      const d = this.votes.redetect(this.records, this.detectionValue, this.opts.format);
      if (d.format !== this.detectionValue.format) return this.full(doc);
      this.detectionValue = d;
      this.sampleSlots = sampleExtent(this.records);
    }
    return touched ? { full: false, revalidated: touched.count } : this.full(doc);
  }

  private full(doc: DocumentLines): EditResult {
    this.reset(doc.fullText());
    return { full: true, revalidated: this.records.size };
  }

  // ---- reading the state ----------------------------------------------------------------------

  /** Computes the file-level findings again when an edit may have changed them. */
  private fileLevelFindings(): Map<RecordSlot, Finding<RecordSlot>[]> {
    if (!this.rules.changed) return this.findings;
    const next = this.rules.findings(ACCESS);
    for (const s of this.findings.keys()) if (!next.has(s)) this.records.update(s, () => (s.fileLevel = false));
    let n = 0;
    for (const [s, list] of next) {
      n += list.length;
      if (!s.fileLevel) this.records.update(s, () => (s.fileLevel = true));
    }
    this.findings = next;
    this.findingCount = n;
    return next;
  }

  /** Problems per severity, complete. */
  counts(): Record<Severity, number> {
    this.fileLevelFindings();
    const c = { ...this.own };
    c.warning += this.findingCount;
    this.statics.countInto(c);
    if (this.unknownFormat()) c.error++;
    const limit = this.fileLimit();
    if (limit) c[limit.severity]++;
    return c;
  }

  /** The first record whose text is a JSON object, and its index. */
  private firstObject(): { slot: RecordSlot; index: number } | undefined {
    let found: { slot: RecordSlot; index: number } | undefined;
    this.records.each((slot, index) => {
      if (slot.isObject) found = { slot, index };
      return found === undefined;
    });
    return found;
  }

  /** No known format fits: one problem on the first JSON-object record. */
  private unknownFormat(): Problem | undefined {
    const first = this.detectionValue.format ? undefined : this.firstObject();
    return first && unknownFormatProblem({ text: textOf(first.slot), ...originOf(first.slot), index: first.index }, this.detectionValue.evidence);
  }

  /** A limit of the whole file (OpenAI's 10-example minimum), shown on the first record. */
  private fileLimit(): Problem | undefined {
    const first = this.firstObject();
    return first && fileLimitProblem({ text: textOf(first.slot), ...originOf(first.slot), index: first.index }, this.detectionValue.format, this.records.size, this.opts.formatOptions);
  }

  /** The problems of one record, in the pipeline's order (object-stage rules, its own, valid-stage rules); `only` keeps one severity. */
  private recordProblems(s: RecordSlot, index: number, out: Problem[], only?: Severity): void {
    const findings = this.findings.get(s);
    const at = originOf(s);
    const fileLevel = (stage: 'object' | 'valid') => {
      if (!findings || (only !== undefined && only !== 'warning')) return;
      for (const f of findings) {
        const rule = FILE_LEVEL_RULES[f.rule];
        if (rule.stage === stage) out.push(findingProblem(rule, { text: textOf(s), ...at, index }, lineOf(f.earlier), keyAt(s.keys!, f.rule)));
      }
    };
    fileLevel('object');
    if (s.base) for (const p of s.problems) if (only === undefined || p.severity === only) out.push(shiftProblem(p, s.base, at, index));
    fileLevel('valid');
  }

  /** Calls `fn` with each record that has problems (of severity `only`, or any) in file order, until it returns false. */
  private eachProblemRecord(only: Severity | undefined, fn: (s: RecordSlot, index: number) => boolean): void {
    this.fileLevelFindings();
    this.records.eachFlagged(
      (t) => holdsNone(t, only),
      (s, index) => !holds(s, only) || fn(s, index),
    );
  }

  /** The problems of the file as a whole and outside records, of one severity or all. */
  private fileProblems(only?: Severity): Problem[] {
    const out: Problem[] = [];
    const unknown = only === undefined || only === 'error' ? this.unknownFormat() : undefined;
    if (unknown) out.push(unknown);
    const limit = this.fileLimit();
    if (limit && (only === undefined || limit.severity === only)) out.push(limit);
    out.push(...this.statics.current(only));
    return out;
  }

  /** Every problem in file order, as validateText would list them. */
  problems(): Problem[] {
    const out = this.fileProblems();
    this.eachProblemRecord(undefined, (s, index) => {
      this.recordProblems(s, index, out);
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
    if (total.error + total.warning + total.info <= max) return { problems: this.problems(), hidden: { error: 0, warning: 0, info: 0 }, total };
    const out: Problem[] = [];
    for (const sev of SEVERITIES) {
      if (out.length >= max) break;
      out.push(...this.fileProblems(sev).slice(0, max - out.length));
      if (out.length >= max) break;
      this.eachProblemRecord(sev, (s, i) => {
        this.recordProblems(s, i, out, sev);
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
    const k = this.records.lastAtOrBefore(offset);
    if (k < 0) return undefined;
    const s = this.records.at(k);
    if (offset > offsetOf(s) + s.length) return undefined;
    return this.view(k);
  }

  record(index: number): RecordView | undefined {
    return index >= 0 && index < this.records.size ? this.view(index) : undefined;
  }

  private view(k: number): RecordView {
    const s = this.records.at(k);
    const offset = offsetOf(s);
    return { index: k, text: textOf(s), line: lineOf(s), column: s.column, offset, endOffset: offset + s.length };
  }
}
