/**
 * The record index of an editor document (text held in memory): built with the validation
 * pipeline, then kept current edit by edit. An edit inside one record (the usual field edit, which
 * adds or removes no line) shifts the offsets of the records after it and re-validates that record
 * alone; anything else (a new line, an edit across records) re-indexes the whole text.
 * Re-validating one record skips the file-level rules (duplicates, contradictions) for it until
 * the next full index.
 */
import type { FormatId } from '../formats/formatModule';
import { validateRecordText, validateText } from '../validate/pipeline';
import { cardContent, sortedRules, type DatasetIndex, type IndexSummary, type QueryOptions } from './datasetIndex';
import { problemBrief, type ProblemBrief, type RecordCard } from './recordCard';
import { recordChars, recordRoles, RoleTable, searchText } from './recordFacts';
import { candidates, columnFilter, compileSearch, isEmptyQuery, type QueryResult, type RecordQuery } from './recordQuery';
import { RecordTable } from './recordTable';
import { searchInWorker } from './regexSearch';
import * as l10n from '@vscode/l10n';

const MAX_PROBLEMS = 200_000;

export interface TextChange {
  /** UTF-16 offset where the replaced range starts (in the text before the change). */
  offset: number;
  removedLength: number;
  insertedText: string;
  /** Line breaks inside the replaced range. */
  removedLineBreaks: number;
  /** 1-based line of the change start. */
  line: number;
}

export class TextRecordIndex implements DatasetIndex {
  private table = new RecordTable();
  private roles = new RoleTable();
  private format?: FormatId;
  private evidence = '';
  private fileProblems: ProblemBrief[] = [];
  private omitted = 0;
  private dirty = new Set<number>();
  private stale = false;

  private constructor(
    private text: string,
    private readonly fileName: string,
    private readonly forced?: FormatId,
  ) {
    this.build();
  }

  static build(text: string, fileName: string, format?: FormatId): TextRecordIndex {
    return new TextRecordIndex(text, fileName, format);
  }

  private build(): void {
    const table = new RecordTable();
    const roles = new RoleTable();
    const res = validateText(this.text, {
      fileName: this.fileName,
      format: this.forced,
      maxProblems: MAX_PROBLEMS,
      onRecord: (rec) => {
        const v = rec.value;
        table.set(rec.index, rec.offset, rec.text.length, rec.line, rec.column, v ? recordChars(v) : rec.text.length, v ? roles.mask(recordRoles(v)) : 0);
      },
    });
    const fileProblems: ProblemBrief[] = [];
    for (const p of res.problems) {
      if (p.record !== undefined && p.record < table.count) table.addProblem(p.record, problemBrief(p));
      else fileProblems.push(problemBrief(p));
    }
    this.table = table;
    this.roles = roles;
    this.format = res.format;
    this.evidence = res.detection.evidence;
    this.fileProblems = fileProblems;
    this.omitted = res.omitted;
    this.dirty.clear();
    this.stale = false;
  }

  get records(): number {
    return this.table.count;
  }

  /** The record's range in the document text (UTF-16 offset and length). */
  range(i: number): { start: number; length: number } | undefined {
    if (i < 0 || i >= this.table.count) return undefined;
    return { start: this.table.start[i], length: this.table.length[i] };
  }

  recordText(i: number): string | undefined {
    const r = this.range(i);
    return r ? this.text.slice(r.start, r.start + r.length) : undefined;
  }

  lineOf(i: number): number | undefined {
    return i >= 0 && i < this.table.count ? this.table.line[i] : undefined;
  }

  /**
   * Notes one document change, before `refresh` brings the new text. Returns the record it was
   * confined to, or undefined when the next refresh re-indexes everything.
   */
  noteChange(c: TextChange): number | undefined {
    if (this.stale) return undefined;
    const t = this.table;
    const i = t.recordAt(c.offset);
    const end = c.offset + c.removedLength;
    const inside = i >= 0 && c.offset > t.start[i] && end < t.start[i] + t.length[i];
    // Records after it on the same line would move sideways: their problem columns change.
    const lineShared = i + 1 < t.count && t.line[i + 1] === c.line;
    if (!inside || c.removedLineBreaks > 0 || c.insertedText.includes('\n') || lineShared) {
      this.stale = true;
      return undefined;
    }
    const delta = c.insertedText.length - c.removedLength;
    t.length[i] += delta;
    if (delta !== 0) for (let j = i + 1; j < t.count; j++) t.start[j] += delta;
    this.dirty.add(i);
    return i;
  }

  /** Takes the document's current text; re-validates the touched records or re-indexes. Returns the records that changed, or 'all'. */
  refresh(text: string): number[] | 'all' {
    this.text = text;
    if (this.stale) {
      this.build();
      return 'all';
    }
    const changed = [...this.dirty].sort((a, b) => a - b);
    for (const i of changed) {
      const t = this.table;
      const recText = text.slice(t.start[i], t.start[i] + t.length[i]);
      const r = validateRecordText(recText, this.format, t.line[i], t.start[i], t.column[i], { index: i });
      t.chars[i] = r.value ? recordChars(r.value) : recText.length;
      t.roles[i] = r.value ? this.roles.mask(recordRoles(r.value)) : 0;
      t.setProblems(i, r.problems.map(problemBrief));
    }
    this.dirty.clear();
    return changed;
  }

  summary(): IndexSummary {
    const t = this.table;
    let errors = 0;
    let warnings = 0;
    for (let i = 0; i < t.count; i++) {
      errors += t.errors[i];
      warnings += t.warnings[i];
    }
    for (const p of this.fileProblems) {
      if (p.severity === 'error') errors++;
      else if (p.severity === 'warning') warnings++;
    }
    const counts = t.ruleCounts();
    for (const p of this.fileProblems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
    return {
      format: this.format,
      evidence: this.evidence,
      records: t.count,
      errors,
      warnings,
      rules: sortedRules(counts),
      roles: this.roles.names(),
      fileProblems: this.fileProblems,
      problemsNote: this.omitted > 0 ? l10n.t('Only the first {0} problems are listed ({1} more).', MAX_PROBLEMS, this.omitted) : undefined,
      indexing: { done: true, bytes: this.text.length, totalBytes: this.text.length },
    };
  }

  cardsSync(indexes: readonly number[]): RecordCard[] {
    const out: RecordCard[] = [];
    const t = this.table;
    for (const i of indexes) {
      if (!Number.isInteger(i) || i < 0 || i >= t.count) continue;
      out.push({ index: i, line: t.line[i], ...cardContent(this.recordText(i)!), problems: t.problems.get(i) ?? [], chars: t.chars[i] });
    }
    return out;
  }

  async cards(indexes: readonly number[]): Promise<RecordCard[]> {
    return this.cardsSync(indexes);
  }

  querySync(q: RecordQuery): QueryResult {
    const search = compileSearch(q);
    if (search.error) return { matches: [], total: 0, error: search.error };
    if (isEmptyQuery(q)) return { matches: null, total: this.table.count };
    const filter = columnFilter(q, this.table, this.roles);
    if (typeof filter !== 'function') return { matches: [], total: 0, error: filter.error };
    const matches: number[] = [];
    for (const i of candidates(q, this.table.count)) {
      if (!filter(i)) continue;
      if (search.match) {
        const c = cardContent(this.recordText(i)!);
        if (!search.match(c.value ? searchText(c.value) : c.text!)) continue;
      }
      matches.push(i);
    }
    return { matches, total: matches.length };
  }

  /** As querySync, but a regular expression runs in a worker (regexSearch.ts): this thread never stalls on it. */
  async query(q: RecordQuery, opts: QueryOptions = {}): Promise<QueryResult> {
    const search = compileSearch(q);
    if (!search.regex || search.error) return this.querySync(q);
    const filter = columnFilter(q, this.table, this.roles);
    if (typeof filter !== 'function') return { matches: [], total: 0, error: filter.error };
    const indexes: number[] = [];
    const texts: string[] = [];
    let chars = 0;
    for (const i of candidates(q, this.table.count)) {
      if (!filter(i)) continue;
      const c = cardContent(this.recordText(i)!);
      const text = c.value ? searchText(c.value) : c.text!;
      indexes.push(i);
      texts.push(text);
      chars += text.length;
    }
    const found = await searchInWorker({ ...search.regex, texts }, chars, opts);
    const matches = found.map((k) => indexes[k]);
    return { matches, total: matches.length };
  }
}
