/**
 * N records uniformly at random, seeded: reservoir sampling (Algorithm R) over record indexes in a
 * first pass, then a second pass writes the chosen records as their source text. Memory: the set of
 * sampled indexes; in sampled order also the chosen records' texts, held until written.
 */
import { passProgress, scanRecords, type CurateRunOptions } from './datasetScan';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { RecordOutput, siblingPath } from './recordOutput';
import { seededRandom, randomBelow, type RandomSource } from '../base/random';
import * as l10n from '@vscode/l10n';

export interface SampleOptions extends CurateRunOptions {
  n: number;
  seed?: number;
  /** `original` (default): file order; `sampled`: a random order. */
  order?: 'original' | 'sampled';
  /** Default `<input>.sample<N>.<ext>`. */
  out?: string;
}

export interface SampleResult {
  records: number;
  sampled: number;
  /** Indexes of the sampled records, in output order. */
  indexes: number[];
  out: string;
}

/** Algorithm R: after feeding k items, each is in the reservoir with probability n/k. */
export class Reservoir {
  readonly items: Uint32Array;
  seen = 0;
  constructor(
    readonly size: number,
    private readonly rand: RandomSource,
  ) {
    this.items = new Uint32Array(size);
  }
  offer(item: number): void {
    if (this.seen < this.size) this.items[this.seen] = item;
    else {
      const j = randomBelow(this.rand, this.seen + 1);
      if (j < this.size) this.items[j] = item;
    }
    this.seen++;
  }
  /** The sample (fewer than `size` when fewer items were offered). */
  taken(): Uint32Array {
    return this.items.subarray(0, Math.min(this.seen, this.size));
  }
}

export async function sampleFile(input: string, opts: SampleOptions): Promise<SampleResult> {
  if (!Number.isInteger(opts.n) || opts.n < 0) throw new RangeError(l10n.t('sample size must be a non-negative integer, not {0}', opts.n));
  const out = opts.out ?? siblingPath(input, `sample${opts.n}`);
  refuseUnsafeOutputs([input], [out]);
  const rand = seededRandom(opts.seed ?? 42);
  const res = new Reservoir(opts.n, rand);
  // Both passes only see record indexes and bytes: JSON Lines records are not parsed (raw).
  await scanRecords(input, { record: (rec) => res.offer(rec.index) }, { ...opts, raw: true, onProgress: passProgress(opts.onProgress, 0, 2) });
  const chosen = Array.from(res.taken());
  let indexes: number[];
  if ((opts.order ?? 'original') === 'original') indexes = chosen.sort((a, b) => a - b);
  else {
    // The reservoir's slot order is not uniform (early items fill the first slots): shuffle it.
    for (let i = chosen.length - 1; i > 0; i--) {
      const j = randomBelow(rand, i + 1);
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    indexes = chosen;
  }
  const w = await RecordOutput.open(out, /\.json$/i.test(out));
  try {
    const wanted = new Set(indexes);
    const held = opts.order === 'sampled' ? new Map<number, Buffer>() : undefined;
    await scanRecords(
      input,
      {
        record: (rec, bytes) => {
          if (!wanted.has(rec.index)) return;
          if (held) held.set(rec.index, Buffer.from(bytes));
          else w.addBytes(bytes);
        },
        afterChunk: async () => {
          if (w.needsFlush) await w.flush();
        },
      },
      { ...opts, raw: true, onProgress: passProgress(opts.onProgress, 1, 2) },
    );
    if (held) for (const i of indexes) w.addBytes(held.get(i) as Buffer);
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
  return { records: res.seen, sampled: indexes.length, indexes, out };
}
