/**
 * Format detection kept up to date while the detection sample is edited: each record of the sample
 * keeps its vote, so an edit scores only the records it touched, and the full detection (with its
 * wording) runs only when the majority may have changed.
 */
import { recordValueOf } from '../jsonl/bareMessageList';
import type { FormatId } from '../formats/formatModule';
import type { AnchoredBlocks } from './anchoredBlocks';
import { bestFit, DETECTION_SAMPLE_BYTES, DETECTION_SAMPLE_RECORDS, detectFormat, forcedDetection, type Detection } from './detect';
import { textOf, type RecordSlot, type SeverityTally } from './recordSlot';

/** Number of leading records the pipeline's detection sample holds (as ValidationRun samples them). */
export function sampleExtent(records: AnchoredBlocks<RecordSlot, SeverityTally>): number {
  let objects = 0;
  let bytes = 0;
  let n = records.size;
  records.each((s, i) => {
    bytes += 2 * s.length;
    if (s.isObject) objects++;
    if (objects < DETECTION_SAMPLE_RECORDS && bytes < DETECTION_SAMPLE_BYTES) return true;
    n = i + 1;
    return false;
  });
  return n;
}

function parsedValue(text: string): Record<string, unknown> | undefined {
  try {
    return recordValueOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The records' votes, kept while they are unchanged. */
export class DetectionVotes {
  private readonly votes = new WeakMap<RecordSlot, FormatId | null>();

  /** The record's text changed: its vote is computed again when needed. */
  forget(slot: RecordSlot): void {
    this.votes.delete(slot);
  }

  private voteOf(s: RecordSlot): FormatId | null {
    let vote = this.votes.get(s);
    if (vote === undefined) {
      const value = parsedValue(textOf(s));
      vote = value ? (bestFit(value)?.format.id ?? null) : null;
      this.votes.set(s, vote);
    }
    return vote;
  }

  /** The detection over the sample now; `current` is returned as it is when its format still has the majority. */
  redetect(records: AnchoredBlocks<RecordSlot, SeverityTally>, current: Detection, forced: FormatId | undefined): Detection {
    if (forced) return forcedDetection(forced);
    const sample = records.leading(sampleExtent(records));
    const votes = new Map<string, number>();
    let top: string | null = null;
    let topVotes = 0;
    let all = 0;
    for (const s of sample) {
      const vote = s.isObject ? this.voteOf(s) : null;
      if (vote === null) continue;
      const v = (votes.get(vote) ?? 0) + 1;
      votes.set(vote, v);
      all++;
      if (v > topVotes) [top, topVotes] = [vote, v];
    }
    if (top !== null && top === current.format && topVotes * 2 > all) return current;
    const values: Record<string, unknown>[] = [];
    for (const s of sample) {
      const value = s.isObject ? parsedValue(textOf(s)) : undefined;
      if (value) values.push(value);
    }
    return detectFormat(values);
  }
}
