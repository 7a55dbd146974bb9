/**
 * What a synthetic-records job knows of its dataset: the duplicate indexes (exact: normalised text
 * hash, as `dedupe`; near: MinHash LSH, as `dedupe --near`) over the dataset and every record
 * generated since, and a seeded reservoir of valid records to show as seeds.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { CanonicalRecord } from '../model';
import { detectFileFormat, scanRecords } from '../curate/datasetScan';
import { HashIndex } from '../curate/hashIndex';
import { LshIndex, lshParams, MinHasher, NEAR_NUM_PERM } from '../curate/minhash';
import { fullText } from '../curate/recordText';
import { NON_ASCII, storedTextHash } from '../curate/textHash';
import { validateRecordText } from '../validate/pipeline';
import { seededRandom } from '../base/random';
import { datasetLayout } from './datasetAppender';
import { parseRecordReply } from './syntheticPrompt';

const SEED_POOL = 64;
const NUM_PERM = NEAR_NUM_PERM;
const SHINGLE = 3;

function lowerNonAscii(s: string): string {
  return NON_ASCII.test(s) ? s.toLowerCase() : s;
}

/** A reply that is a valid record of the format, or why it is not. */
export type CheckedReply = { value: Record<string, unknown>; canonical: CanonicalRecord } | { reason: string };

/** The dataset's format (detected unless given) and layout; refuses a JSON array above `maxArrayBytes` (each batch rewrites it whole). */
export async function openSyntheticDataset(
  datasetPath: string,
  format: FormatId | undefined,
  maxArrayBytes: number,
  signal?: AbortSignal,
): Promise<{ formatId: FormatId; format: FormatModule; layout: 'jsonl' | 'json-array' }> {
  let size: number;
  try {
    const st = await fsp.stat(datasetPath);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new Error(l10n.t('{0} is not a readable dataset file', datasetPath));
  }
  const detection = await detectFileFormat(datasetPath, { format, signal });
  if (!detection.format) throw new Error(l10n.t('no known dataset format fits {0} ({1}); choose the format', path.basename(datasetPath), detection.evidence));
  const layout = await datasetLayout(datasetPath);
  if (layout === 'json-array' && size > maxArrayBytes) {
    throw new Error(
      l10n.t(
        '{0} is a JSON array of {1} MB: adding records would rewrite all of it for every batch. Convert it to JSON Lines (Pairwise: Convert Dataset Format, or pairwise convert) and generate into that file',
        path.basename(datasetPath),
        (size / 1048576).toFixed(1),
      ),
    );
  }
  return { formatId: detection.format, format: getFormat(detection.format), layout };
}

/** `count` seed records drawn from `pool` by a generator seeded with `seed` (the format's example when there are none to show). */
export function pickSeeds(pool: Record<string, unknown>[], count: number, seed: number, example: Record<string, unknown>): Record<string, unknown>[] {
  if (count === 0 || pool.length === 0) return [example];
  const rnd = seededRandom(seed);
  const idx = pool.map((_, i) => i);
  const k = Math.min(count, idx.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).map((i) => pool[i]);
}

/** A new record's text against the dataset: a duplicate, or new (and then already added). */
export type DuplicateCheck = { kind: 'exact' } | { kind: 'near'; similarity: number } | { kind: 'new'; hash: number };

export class SyntheticDataset {
  private readonly exact = new HashIndex();
  private readonly hasher = new MinHasher(NUM_PERM, SHINGLE, 1);
  private readonly lsh: LshIndex;
  private readonly sig = new Int32Array(NUM_PERM);
  /** Records read (valid or not). */
  records = 0;
  /** Problems reading the file (a damaged line, a broken array). */
  fileProblems = 0;
  /** Valid records picked as seed candidates. */
  readonly reservoir: Record<string, unknown>[] = [];
  private generated = 0;

  constructor(
    private readonly format: FormatModule,
    private readonly formatId: FormatId,
    private readonly formatOptions: FormatOptions | undefined,
    threshold: number,
  ) {
    this.lsh = new LshIndex(NUM_PERM, lshParams(threshold, NUM_PERM));
  }

  /** The exact index, to tell which accepted records of earlier runs reached the dataset. */
  get hashes(): Pick<HashIndex, 'get'> {
    return this.exact;
  }

  /** The format engine finds no error in the record. */
  isValid(value: Record<string, unknown>): boolean {
    return this.errorsOf(value).length === 0;
  }

  errorsOf(value: Record<string, unknown>): { rule: string; message: string }[] {
    return validateRecordText(JSON.stringify(value), this.formatId, 1, 0, 1, { formatOptions: this.formatOptions }).problems.filter((p) => p.severity === 'error');
  }

  /** Text of a record for duplicate detection: prompt and responses (as `dedupe` compares them). */
  canonicalOf(value: Record<string, unknown>): CanonicalRecord | undefined {
    try {
      return this.format.toCanonical(value, this.formatOptions);
    } catch {
      return undefined;
    }
  }

  /** One pass over the dataset: the duplicate indexes and, unless `collectSeeds` is false, a seeded reservoir of valid seed records. */
  async scan(datasetPath: string, options: { collectSeeds: boolean; seed: number; signal?: AbortSignal }): Promise<void> {
    const pickRandom = seededRandom(options.seed);
    let validSeen = 0;
    await scanRecords(
      datasetPath,
      {
        record: (rec) => {
          this.records++;
          if (!rec.value) return;
          const canonical = this.canonicalOf(rec.value);
          if (!canonical) return;
          const text = fullText(canonical);
          this.exact.setIfAbsent(storedTextHash(text), rec.index);
          this.hasher.signature(lowerNonAscii(text), this.sig);
          this.lsh.insert(this.sig);
          if (!options.collectSeeds) return;
          // Reservoir sampling; only a record about to enter is validated (schema checks cost).
          validSeen++;
          const slot = this.reservoir.length < SEED_POOL ? this.reservoir.length : Math.floor(pickRandom() * validSeen);
          if (slot < SEED_POOL && this.isValid(rec.value)) this.reservoir[slot] = rec.value;
        },
        problem: () => {
          this.fileProblems++;
        },
      },
      { signal: options.signal },
    );
  }

  /** A reply that parses as one JSON object the format engine finds no error in and that maps to the canonical model (reasons not redacted). */
  checkReply(reply: string): CheckedReply {
    const parsed = parseRecordReply(reply);
    if (!parsed.ok) return { reason: parsed.reason };
    const problems = this.errorsOf(parsed.value);
    const canonical = problems.length ? undefined : this.canonicalOf(parsed.value);
    if (!canonical) {
      const why = problems.length ? problems.slice(0, 3).map((p) => `${p.rule}: ${p.message}`).join('; ') : l10n.t('the record has no canonical form');
      return { reason: l10n.t('not a valid {0} record: {1}', this.formatId, why) };
    }
    return { value: parsed.value, canonical };
  }

  /**
   * Checks a generated record against the dataset and every record generated so far and, when it
   * is new, adds it: check and insert in one synchronous step, so concurrent records see each other.
   */
  admit(canonical: CanonicalRecord): DuplicateCheck {
    const text = fullText(canonical);
    const hash = storedTextHash(text);
    if (this.exact.get(hash) >= 0) return { kind: 'exact' };
    this.hasher.signature(lowerNonAscii(text), this.sig);
    const hit = this.lsh.query(this.sig);
    if (hit) return { kind: 'near', similarity: hit.similarity };
    this.exact.setIfAbsent(hash, this.records + this.generated++);
    this.lsh.insert(this.sig);
    return { kind: 'new', hash };
  }
}
