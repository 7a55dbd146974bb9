/**
 * The order being built in rank mode, as the webview edits it: a sequence of display positions
 * (best first), a flag per place saying "tied with the one above", and how many places the number
 * keys have filled. Pure functions, unit-tested in Node; the page only renders and posts them.
 */
export interface WorkingOrder {
  seq: number[];
  tiedAbove: boolean[];
  /** Places filled by picking (number keys): the next pick goes to this place. */
  picked: number;
}

export function fromTiers(tiers: readonly (readonly number[])[], picked: number): WorkingOrder {
  const seq: number[] = [];
  const tiedAbove: boolean[] = [];
  for (const t of tiers) t.forEach((c, i) => (seq.push(c), tiedAbove.push(i > 0)));
  return { seq, tiedAbove, picked: Math.max(0, Math.min(picked, seq.length)) };
}

export function toTiers(o: WorkingOrder): number[][] {
  const out: number[][] = [];
  o.seq.forEach((c, i) => (i > 0 && o.tiedAbove[i] ? out[out.length - 1].push(c) : out.push([c])));
  return out;
}

export function initial(n: number): WorkingOrder {
  return { seq: Array.from({ length: n }, (_, i) => i), tiedAbove: Array.from({ length: n }, () => false), picked: 0 };
}

/** Candidate `c` becomes the next best: it moves to the first place not picked yet. Already picked: no change. */
export function pick(o: WorkingOrder, c: number): WorkingOrder {
  const at = o.seq.indexOf(c);
  if (at < 0 || at < o.picked) return o;
  return { ...moveTo(o, at, o.picked), picked: o.picked + 1 };
}

/** Moves the card at place `from` to place `to`; the ties of the places involved are cleared. */
export function moveTo(o: WorkingOrder, from: number, to: number): WorkingOrder {
  const n = o.seq.length;
  if (from < 0 || from >= n || to < 0 || to >= n || from === to) return o;
  const seq = o.seq.slice();
  const [c] = seq.splice(from, 1);
  seq.splice(to, 0, c);
  const tiedAbove = o.tiedAbove.slice();
  for (const i of [from, to, Math.min(from, to) + 1, Math.max(from, to) + 1]) if (i < n) tiedAbove[i] = false;
  tiedAbove[0] = false;
  return { seq, tiedAbove, picked: o.picked };
}

/** Ties the card at place `i` with the one above it, or unties it. */
export function toggleTie(o: WorkingOrder, i: number): WorkingOrder {
  if (i <= 0 || i >= o.seq.length) return o;
  const tiedAbove = o.tiedAbove.slice();
  tiedAbove[i] = !tiedAbove[i];
  return { ...o, tiedAbove };
}

/** The rank shown beside the card at place `i` (tied cards share a rank). */
export function rankAt(o: WorkingOrder, i: number): number {
  let r = 0;
  for (let k = 0; k <= i; k++) if (k === 0 || !o.tiedAbove[k]) r = k + 1;
  return r;
}
