/**
 * Word-level diff of two responses (Myers' O(ND) algorithm over word and whitespace tokens), so
 * the panel can highlight where two near-identical answers differ.
 */
export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Words, runs of whitespace and single punctuation marks; joined they give the text back. */
export function wordTokens(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

function push(out: DiffSegment[], op: DiffSegment['op'], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/**
 * Segments turning `left` into `right`: `delete` is only in left, `insert` only in right.
 * Beyond `maxEdits` differing tokens the texts are reported as wholly replaced (bounded cost).
 */
export function wordDiff(left: string, right: string, maxEdits = 4000): DiffSegment[] {
  const a = wordTokens(left);
  const b = wordTokens(right);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const out: DiffSegment[] = [];
  push(out, 'equal', a.slice(0, pre).join(''));
  const ma = a.slice(pre, a.length - suf);
  const mb = b.slice(pre, b.length - suf);
  for (const s of myers(ma, mb, maxEdits)) push(out, s.op, s.text);
  push(out, 'equal', a.slice(a.length - suf).join(''));
  return out;
}

function myers(a: string[], b: string[], maxEdits: number): DiffSegment[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [{ op: 'delete', text: a.join('') }, { op: 'insert', text: b.join('') }];
  const max = Math.min(n + m, maxEdits);
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    // Only diagonals -d-1..d+1 of the previous round matter: keep that slice (memory O(D²), not O(D·N)).
    trace.push(v.slice(off - d - 1, off + d + 2));
    const nv = v;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && nv[off + k - 1] < nv[off + k + 1]) ? nv[off + k + 1] : nv[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      nv[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = nv;
  }
  if (found < 0) return [{ op: 'delete', text: a.join('') }, { op: 'insert', text: b.join('') }];
  // Walk back through the saved frontiers to recover the edit script.
  const rev: DiffSegment[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const pv = trace[d];
    const k = x - y;
    const at = (kk: number) => pv[kk + d + 1];
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
      rev.push({ op: 'equal', text: a[x - 1] });
      x--;
      y--;
    }
    if (down) rev.push({ op: 'insert', text: b[py] });
    else rev.push({ op: 'delete', text: a[px] });
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    rev.push({ op: 'equal', text: a[x - 1] });
    x--;
    y--;
  }
  const out: DiffSegment[] = [];
  for (let i = rev.length - 1; i >= 0; i--) push(out, rev[i].op, rev[i].text);
  return out;
}
