/**
 * Dataset files named in scripts, read as text and never run:
 * - ms-swift command lines (`swift sft|pt|rlhf ... --dataset a.jsonl b.jsonl --val_dataset c.jsonl`,
 *   docs/source_en/Instruction/Command-line-parameters.md; `#N` samples N rows) in shell scripts;
 * - xtuner Python configs: v1 `DatasetConfig(anno_path="…")` (xtuner/v1/datasets/config.py) and v0
 *   `dict(type=load_dataset, path='json', data_files=dict(train=data_path))` (xtuner/configs/**);
 * - ms-swift Python entry points: `sft_main(TrainArguments(dataset=[…], val_dataset=…))` (and the other
 *   `…Arguments` of `swift.llm`), docs/source_en/GetStarted/Quick-start.md and
 *   Instruction/Pre-training-and-Fine-tuning.md: the same arguments as the command line;
 * - TRL scripts: a file importing `trl` that calls `load_dataset("json", data_files=…)` (the
 *   datasets library; TRL's trainers take the loaded dataset).
 * Only literal strings are read, and a bare name is followed one step to a `name = '…'` line: nothing
 * is evaluated.
 */
import type { NamedDataset } from './configParsing';

const QUOTED = /(['"])((?:(?!\1)[^\\\n]|\\.)*)\1/g;

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Where the call argument or value that begins at `start` ends: the first ")" or "," outside brackets and strings, or the end of the line. */
function argumentEnd(text: string, start: number): number {
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
  return end;
}

type Literal = { raw: string; at: number };

/** The quoted strings of `text` from `start` to the end of the call or value that begins there. */
function literalsFrom(text: string, start: number): Literal[] {
  const out: Literal[] = [];
  const seg = text.slice(start, argumentEnd(text, start));
  for (const m of seg.matchAll(QUOTED)) out.push({ raw: m[2], at: start + (m.index ?? 0) });
  return out;
}

/**
 * The quoted strings of a value, and of the bare names in it followed one step to their last
 * assignment at the start of a line (xtuner v0 configs set `data_path = '…'` in their "PART 1
 * Settings" and use `data_files=dict(train=data_path)` further down, xtuner/configs/**).
 */
function valueLiterals(text: string, start: number, assigned: ReadonlyMap<string, number>): Literal[] {
  const out = literalsFrom(text, start);
  const seg = text.slice(start, argumentEnd(text, start)).replace(QUOTED, '""');
  // A name that is not called, not a keyword argument, not an attribute and not a constant.
  for (const m of seg.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?!\w|\s*[(=.])/g)) {
    if (['None', 'True', 'False'].includes(m[1])) continue;
    const at = assigned.get(m[1]);
    if (at !== undefined) out.push(...literalsFrom(text, at));
  }
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

/** Where the value of each name's last `name = …` at the start of a line begins (one pass over the text). */
function assignments(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*/gm)) out.set(m[1], (m.index ?? 0) + m[0].length);
  return out;
}

function pythonConfigs(text: string): NamedDataset[] {
  const out: NamedDataset[] = [];
  const xtuner = /\b(from|import)\s+xtuner\b/.test(text);
  const trl = /\b(from|import)\s+trl\b/.test(text);
  const swift = /\b(from|import)\s+swift(\.llm)?\b/.test(text);
  const assigned = xtuner || trl || swift ? assignments(text) : new Map<string, number>();
  const push = (trainer: 'xtuner' | 'trl' | 'ms-swift', lits: Literal[]) => {
    // ms-swift: a `#N` suffix samples N rows of the dataset.
    for (const l of lits) out.push({ trainer, line: lineAt(text, l.at), raw: trainer === 'ms-swift' ? l.raw.replace(/#\d+$/, '') : l.raw });
  };
  if (xtuner) {
    for (const m of text.matchAll(/\banno_path\s*=(?!=)\s*/g)) push('xtuner', valueLiterals(text, (m.index ?? 0) + m[0].length, assigned));
    // v0: `dataset=dict(type=load_dataset, path='json', data_files=…)`, a lazy call the config builds
    // (xtuner/configs/**, docs "custom dataset"); every `data_files=` of an xtuner config is one.
    for (const m of text.matchAll(/\bdata_files\s*=(?!=)\s*/g)) push('xtuner', valueLiterals(text, (m.index ?? 0) + m[0].length, assigned));
  } else if (swift) {
    for (const call of text.matchAll(/\b\w*Arguments\s*\(/g)) {
      const from = (call.index ?? 0) + call[0].length;
      const args = text.slice(from, callEnd(text, from));
      for (const kw of args.matchAll(/(?<![\w.])(?:val_)?dataset\s*=(?!=)\s*/g)) push('ms-swift', valueLiterals(text, from + (kw.index ?? 0) + kw[0].length, assigned));
    }
  } else if (trl) {
    for (const call of text.matchAll(/\bload_dataset\s*\(/g)) {
      const from = (call.index ?? 0) + call[0].length;
      const args = text.slice(from, callEnd(text, from));
      const df = /\bdata_files\s*=(?!=)\s*/.exec(args);
      if (df) push('trl', valueLiterals(text, from + df.index + df[0].length, assigned));
    }
  }
  return out;
}

/** The closing parenthesis of the call whose arguments begin at `from` (looked for in the next 4000 characters). */
function callEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + 4000);
  for (let pos = from; ; ) {
    const e = argumentEnd(text, pos);
    if (e >= limit || text[e] === ')') return Math.min(e, limit);
    pos = e + 1;
  }
}

export function scriptConfigReferences(file: string, text: string): NamedDataset[] {
  if (/\.py$/i.test(file)) return pythonConfigs(text);
  if (/\.sh$/i.test(file)) return swiftCommands(text);
  return [];
}
