/** Ids of label-log lines. */
import { randomBytes } from 'node:crypto';

let counter = 0;
/** Sortable by time, unique across processes: ms timestamp, a per-process counter, random bits. */
export function newRecordId(now: number): string {
  counter = (counter + 1) % 36 ** 4;
  return now.toString(36).padStart(9, '0') + counter.toString(36).padStart(4, '0') + randomBytes(4).toString('hex');
}
