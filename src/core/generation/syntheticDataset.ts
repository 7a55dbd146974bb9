/**
 * What a synthetic-records job knows of its dataset: the duplicate indexes (exact: normalised text
 * hash, as `dedupe`; near: MinHash LSH, as `dedupe --near`) over the dataset and every record
 * generated since, and a seeded reservoir of valid records to show as seeds.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import type { CanonicalRecord } from '../model';
import { scanRecords } from '../curate/datasetScan';
import { HashIndex } from '../curate/hashIndex';
import { LshIndex, lshParams, MinHasher, NEAR_NUM_PERM } from '../curate/minhash';
import { fullText } from '../curate/recordText';
import { NON_ASCII, normalizedHash53 } from '../curate/textHash';
import { validateRecordText } from '../validate/pipeline';
import { seededRandom } from '../random';

const SEED_POOL = 64;
const NUM_PERM = NEAR_NUM_PERM;
const SHINGLE = 3;

function lowerNonAscii(s: string): string {
  return NON_ASCII.test(s) ? s.toLowerCase() : s;
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
          this.exact.setIfAbsent(normalizedHash53(text), rec.index);
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

  /**
   * Checks a generated record against the dataset and every record generated so far and, when it
   * is new, adds it: check and insert in one synchronous step, so concurrent records see each other.
   */
  admit(canonical: CanonicalRecord): DuplicateCheck {
    const text = fullText(canonical);
    const hash = normalizedHash53(text);
    if (this.exact.get(hash) >= 0) return { kind: 'exact' };
    this.hasher.signature(lowerNonAscii(text), this.sig);
    const hit = this.lsh.query(this.sig);
    if (hit) return { kind: 'near', similarity: hit.similarity };
    this.exact.setIfAbsent(hash, this.records + this.generated++);
    this.lsh.insert(this.sig);
    return { kind: 'new', hash };
  }
}
