/**
 * A benchmark file cut in two at a line end, for the measurements that run two processes at once,
 * one on each half (childRun.ts, bestOfRounds): what a machine's two cores give a command's
 * work when nothing is shared between them.
 */
import * as fs from 'node:fs';

/**
 * The two halves of a JSON Lines file, split at the first line end past its middle (written beside
 * it, and written again when the file is newer than they are or their sizes do not add up).
 */
export function halvesOf(file: string): [string, string] {
  // The children read a file's mode from its name, and a name without the suffix would be its own half.
  if (!file.endsWith('.jsonl')) throw new Error(`halvesOf takes a .jsonl file: ${file}`);
  const stem = file.slice(0, -'.jsonl'.length);
  const out: [string, string] = [`${stem}.half1.jsonl`, `${stem}.half2.jsonl`];
  const source = fs.statSync(file);
  const halves = out.map((f) => (fs.existsSync(f) ? fs.statSync(f) : undefined));
  if (halves.every((h) => h && h.mtimeMs >= source.mtimeMs) && (halves[0]?.size ?? 0) + (halves[1]?.size ?? 0) === source.size) return out;
  const size = source.size;
  const fd = fs.openSync(file, 'r');
  let cut: number;
  try {
    const probe = Buffer.alloc(1 << 20);
    const n = fs.readSync(fd, probe, 0, probe.length, Math.floor(size / 2));
    const nl = probe.subarray(0, n).indexOf(0x0a);
    if (nl < 0) throw new Error(`no line end within 1 MB past the middle of ${file}`);
    cut = Math.floor(size / 2) + nl + 1;
  } finally {
    fs.closeSync(fd);
  }
  copyRange(file, out[0], 0, cut);
  copyRange(file, out[1], cut, size);
  return out;
}

/** Writes bytes [start, end) of `from` to a new file `to`. */
function copyRange(from: string, to: string, start: number, end: number): void {
  const [r, w] = [fs.openSync(from, 'r'), fs.openSync(to, 'w')];
  try {
    const block = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (let at = start; at < end; ) {
      const n = fs.readSync(r, block, 0, Math.min(block.length, end - at), at);
      if (n === 0) break;
      fs.writeSync(w, block, 0, n);
      at += n;
    }
  } finally {
    fs.closeSync(r);
    fs.closeSync(w);
  }
}
