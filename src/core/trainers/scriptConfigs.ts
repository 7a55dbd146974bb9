/**
 * Dataset files named in scripts, read as text and never run:
 * - ms-swift command lines (`swift sft|pt|rlhf ... --dataset a.jsonl b.jsonl --val_dataset c.jsonl`,
 *   docs/source_en/Instruction/Command-line-parameters.md; `#N` samples N rows) in shell scripts;
 * - xtuner Python configs: v1 `DatasetConfig(anno_path="…")` (xtuner/v1/datasets/config.py) and v0
 *   `load_dataset` with `data_files=` (xtuner/configs/**);
 * - TRL scripts: a file importing `trl` that calls `load_dataset("json", data_files=…)` (the
 *   datasets library; TRL's trainers take the loaded dataset).
 * Only literal strings are read: a name held in a variable is not followed.
 */
import type { NamedDataset } from './configReferences';

const QUOTED = /(['"])((?:(?!\1)[^\\\n]|\\.)*)\1/g;

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The quoted strings of `text` from `start` to the end of the call or value that begins there. */
function literalsFrom(text: string, start: number): { raw: string; at: number }[] {
  // The argument ends at the first ")" or "," outside brackets and strings, or at the end of the line.
  let depth = 0;
  let end = start;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, end + 1);
      if (close < 0) break;
      end = close;
    } else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') {
      if (depth === 0) break;
      depth--;
    } else if ((c === ',' || c === '\n') && depth === 0) break;
  }
  const out: { raw: string; at: number }[] = [];
  const seg = text.slice(start, end);
  for (const m of seg.matchAll(QUOTED)) out.push({ raw: m[2], at: start + (m.index ?? 0) });
  return out;
}

/** The start of the logical shell line holding `offset` (lines ending in a backslash continue). */
function logicalLineStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start > 1 && text[start - 2] === '\\') start = text.lastIndexOf('\n', start - 2) + 1;
  return start;
}

function swiftCommands(text: string): NamedDataset[] {
  const out: NamedDataset[] = [];
  for (const opt of text.matchAll(/(?<=\s)--(?:val_)?dataset(?:=|[ \t]+|[ \t]*\\\r?\n\s*)/g)) {
    const at = opt.index ?? 0;
    const head = text.slice(logicalLineStart(text, at), at);
    if (!/(^|[\s;&|(])swift\s+(sft|pt|rlhf|infer|eval|export|sample)\b/.test(head)) continue;
    // Values up to the next option, or the end of the command (a newline not escaped, ; & |).
    let pos = at + opt[0].length;
    for (;;) {
      while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || (text[pos] === '\\' && text[pos + 1] === '\n') || (text[pos] === '\n' && text[pos - 1] === '\\'))) pos++;
      if (pos >= text.length || '\n;&|'.includes(text[pos]) || text.startsWith('--', pos)) break;
      const m = /^(?:'[^'\n]*'|"[^"\n]*"|[^\s;&|]+)/.exec(text.slice(pos));
      if (!m) break;
      const raw = m[0].replace(/^['"]|['"]$/g, '').replace(/#\d+$/, '');
      out.push({ trainer: 'ms-swift', line: lineAt(text, pos), raw });
      pos += m[0].length;
    }
  }
  return out;
}

function pythonConfigs(text: string): NamedDataset[] {
  const out: NamedDataset[] = [];
  const xtuner = /\b(from|import)\s+xtuner\b/.test(text);
  const trl = /\b(from|import)\s+trl\b/.test(text);
  if (xtuner) {
    for (const m of text.matchAll(/\banno_path\s*=\s*/g)) {
      for (const l of literalsFrom(text, (m.index ?? 0) + m[0].length)) out.push({ trainer: 'xtuner', line: lineAt(text, l.at), raw: l.raw });
    }
  }
  if (xtuner || trl) {
    for (const call of text.matchAll(/\bload_dataset\s*\(/g)) {
      const from = (call.index ?? 0) + call[0].length;
      const close = text.indexOf(')', from);
      const args = text.slice(from, close < 0 ? text.length : close + 1);
      const df = /\bdata_files\s*=\s*/.exec(args);
      if (!df) continue;
      const at = from + df.index + df[0].length;
      for (const l of literalsFrom(text, at)) out.push({ trainer: xtuner ? 'xtuner' : 'trl', line: lineAt(text, l.at), raw: l.raw });
    }
  }
  return out;
}

export function scriptConfigReferences(file: string, text: string): NamedDataset[] {
  if (/\.py$/i.test(file)) return pythonConfigs(text);
  if (/\.sh$/i.test(file)) return swiftCommands(text);
  return [];
}
