/**
 * The pair queue of a multi-turn candidates file, in conversation order: Generate Candidates writes
 * a turn's line when its answers are all in, so turn 3 of a conversation may come before turn 1 in
 * the file. This queue waits for the file's index, then orders the pairs by conversation (in the
 * order each first appears), turn, then file order, so an annotator labels a conversation's turns
 * one after another and in order. Only pair ids and turn numbers are kept in memory.
 */
import type { LabelPair } from './pair';
import { passes, type InputProblem, type PairFilterSets, type PairQueue } from './pairQueue';
import { turnInfoOf } from './turns';
import { openInputFile } from '../jsonl/openInput';

export class TurnOrderedQueue implements PairQueue {
  /** Inner index of each ordered position. */
  private order: number[] = [];
  private ids: string[] = [];
  private conv: number[] = [];
  private turns: number[] = [];
  private ready = false;
  private readonly building: Promise<void>;

  constructor(private readonly inner: PairQueue) {
    this.building = this.build();
    // An error of the inner queue surfaces from whenComplete/get, not as an unhandled rejection here.
    this.building.catch(() => undefined);
  }

  get known(): number {
    return this.ready ? this.order.length : 0;
  }

  get complete(): boolean {
    return this.ready;
  }

  private async build(): Promise<void> {
    const n = await this.inner.whenComplete();
    const rows: { i: number; id: string; conv: number; turn: number }[] = [];
    const convIndex = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const p = (await this.inner.get(i))!;
      // A pair without a conversation is a conversation of its own.
      const key = p.turn ? `c:${p.turn.conversation}` : `p:${i}`;
      let c = convIndex.get(key);
      if (c === undefined) convIndex.set(key, (c = convIndex.size));
      rows.push({ i, id: p.id, conv: c, turn: p.turn?.turn ?? 0 });
    }
    rows.sort((x, y) => x.conv - y.conv || x.turn - y.turn || x.i - y.i);
    this.order = rows.map((r) => r.i);
    this.ids = rows.map((r) => r.id);
    this.conv = rows.map((r) => r.conv);
    this.turns = rows.map((r) => r.turn);
    this.ready = true;
  }

  async get(index: number): Promise<LabelPair | undefined> {
    await this.building;
    if (!(index >= 0 && index < this.order.length) || !Number.isInteger(index)) return undefined;
    return this.inner.get(this.order[index]);
  }

  async findNext(from: number, step: 1 | -1, filter: PairFilterSets): Promise<number> {
    await this.building;
    for (let i = from; i >= 0 && i < this.ids.length; i += step) if (passes(this.ids[i], filter)) return i;
    return -1;
  }

  /**
   * The first pair of the next (step 1) or previous (step -1) turn of the same conversation as the
   * pair at `index`, or -1 when that was its last (or first) turn.
   */
  async turnStep(index: number, step: 1 | -1): Promise<number> {
    await this.building;
    if (!(index >= 0 && index < this.ids.length)) return -1;
    const c = this.conv[index];
    const t = this.turns[index];
    let i = index;
    while (i >= 0 && i < this.ids.length && this.conv[i] === c && this.turns[i] === t) i += step;
    if (!(i >= 0 && i < this.ids.length) || this.conv[i] !== c) return -1;
    if (step === 1) return i;
    // Back to the first pair of that earlier turn.
    const prev = this.turns[i];
    while (i - 1 >= 0 && this.conv[i - 1] === c && this.turns[i - 1] === prev) i--;
    return i;
  }

  async whenComplete(): Promise<number> {
    await this.building;
    return this.order.length;
  }

  problems(): InputProblem[] {
    return this.inner.problems();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Whether the first record of a candidates file names its conversation and turn (Generate Candidates with turns `each`). */
export async function hasTurnLines(file: string, maxBytes = 1 << 20): Promise<boolean> {
  const h = await openInputFile(file);
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await h.read(buf, 0, maxBytes, 0);
    const text = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const v = JSON.parse(line) as unknown;
        return !!v && typeof v === 'object' && !Array.isArray(v) && turnInfoOf(v as Record<string, unknown>) !== undefined;
      } catch {
        return false;
      }
    }
    return false;
  } finally {
    await h.close();
  }
}

/** The first pair of the next or previous turn of the same conversation, or -1 (queues in another order have none). */
export function turnStep(queue: PairQueue, index: number, step: 1 | -1): Promise<number> {
  return queue instanceof TurnOrderedQueue ? queue.turnStep(index, step) : Promise.resolve(-1);
}
