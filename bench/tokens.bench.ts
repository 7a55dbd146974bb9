/**
 * Loading a tokenizer cold (the packed table against gpt-tokenizer's own tables, each in a fresh
 * process), token counting on long runs of one character class (one pre-tokenizer piece), and the record
 * hover on a 1 MB one-word record. The library's BPE merge is quadratic in a piece's length, so the
 * baseline is the old count (the library's encode of the whole piece) on a 100k-character word,
 * measured in the same run; the counter (pieces over 256 code units counted in chunks) runs on the
 * same word and on a 1 MB one. Each measurement runs in a child process of its own (a cold JIT, as
 * in the extension host's first long hover). The count error of chunking is measured against the
 * exact encode on long pieces of realistic kinds (test/support/longPieces.ts).
 *
 *   BENCH_REPEAT   runs per measurement, best kept (default 1)
 */
import { createTokenCounter, EXACT_PIECE_LIMIT } from '../src/core/tokens/tokenCounter';
import { libraryEncode, referenceCount } from '../src/core/tokens/libraryReference';
import { HOVER_COUNTED_CHARS, recordHoverMarkdown } from '../src/core/preview/recordHover';
import { LONG_PIECE_KINDS, seededRandom } from '../test/support/longPieces';
import type { BenchRow } from './benchRow';
import { bestOfChildRuns, round } from './childRun';

/** A word of `n` random lowercase letters (seeded): one piece, and no chunk repeats (no cache hits). */
function word(n: number): string {
  const rnd = seededRandom(16);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(rnd() * 26));
  return s;
}

interface ChildResult {
  ms: number;
  tokens: number;
  maxRssMB: number;
}

/** One measurement, in this child: `mode` on a word of `size` characters. */
function child(mode: string, size: number): void {
  if (mode === 'load' || mode === 'libload') {
    // A cold start: from no tokenizer to the first count (what a statistics worker pays after its scan).
    const t0 = process.hrtime.bigint();
    const tokens = mode === 'load' ? createTokenCounter({ tokenizer: 'o200k_base' }).count('Warm up') : libraryEncode('o200k_base')('Warm up').length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(JSON.stringify({ ms, tokens, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
    return;
  }
  const w = word(size);
  const counter = createTokenCounter({ tokenizer: 'o200k_base' });
  // Loading the tables is not part of the figure (the extension does it on the first hover).
  counter.count('Warm up');
  const encode = libraryEncode('o200k_base');
  const t0 = process.hrtime.bigint();
  let tokens: number;
  if (mode === 'whole') tokens = encode(w).length;
  else if (mode === 'chunked') tokens = counter.count(w);
  else if (mode === 'hover') {
    // What the extension's hover does on the record: parse it, then render the bounded hover.
    const line = JSON.stringify({ instruction: 'Repeat the word', input: '', output: w });
    const rec = JSON.parse(line) as { instruction: string; output: string };
    const md = recordHoverMarkdown({ type: 'sft', messages: [{ role: 'user', content: rec.instruction }, { role: 'assistant', content: rec.output }] }, 0, 'Alpaca', { label: 'o200k_base', count: (t) => counter.count(t) });
    tokens = Number(/total \*\*(\d+)\*\*/.exec(md)?.[1] ?? NaN);
  } else throw new Error(`unknown mode ${mode}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const out: ChildResult = { ms, tokens, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(out) + '\n');
}

export function run(): Promise<BenchRow[]> {
  const repeat = Number(process.env.BENCH_REPEAT ?? 1);
  const measure = (mode: string, size: number) => bestOfChildRuns<ChildResult>(__filename, mode, String(size), repeat);
  const rows: BenchRow[] = [];
  const b = 'tokens: one-word text (random lowercase letters)';

  const libLoad = measure('libload', 0);
  const load = measure('load', 0);
  const l = 'tokens: loading o200k_base (cold, to the first count)';
  rows.push({ benchmark: l, metric: "gpt-tokenizer's own tables (JavaScript literals)", value: round(libLoad.ms), unit: 'ms' });
  rows.push({ benchmark: l, metric: 'packed table (bpeTable.ts)', value: round(load.ms), unit: 'ms', baseline: round(libLoad.ms), baselineName: "library's tables", ratio: round(load.ms / libLoad.ms, 2), target: '≤ 0.5x the library', pass: load.ms <= libLoad.ms * 0.5 });
  rows.push({ benchmark: l, metric: 'packed table, peak RSS of the process', value: round(load.maxRssMB), unit: 'MB', baseline: round(libLoad.maxRssMB), baselineName: "library's tables", ratio: round(load.maxRssMB / libLoad.maxRssMB, 2), target: 'below the library', pass: load.maxRssMB < libLoad.maxRssMB });

  const small = 100_000;
  const big = 1 << 20;
  const whole = measure('whole', small);
  const chunked = measure('chunked', small);
  const chunkedBig = measure('chunked', big);
  rows.push({ benchmark: b, metric: `library encode of the whole ${small}-character piece (the old count) [${whole.tokens} tokens]`, value: round(whole.ms), unit: 'ms' });
  rows.push({ benchmark: b, metric: `counter, same ${small}-character piece (chunks of ${EXACT_PIECE_LIMIT}) [${chunked.tokens} tokens]`, value: round(chunked.ms), unit: 'ms', baseline: round(whole.ms), baselineName: 'old count', ratio: round(chunked.ms / whole.ms, 3), target: 'faster than the old count', pass: chunked.ms < whole.ms });
  // Linear: ten times the text costs about ten times the time (the old count: about a hundred).
  const growth = chunkedBig.ms / chunked.ms / (big / small);
  rows.push({ benchmark: b, metric: `counter, 1 MB piece [${chunkedBig.tokens} tokens]`, value: round(chunkedBig.ms), unit: 'ms', baseline: round(chunked.ms), baselineName: `${small} characters`, ratio: round(growth, 2), target: 'time per character ≤ 2× that of 100k (linear)', pass: growth <= 2 });

  const hover = measure('hover', big);
  rows.push({ benchmark: 'record hover', metric: `hover over a 1 MB one-word record (parse + render, ${HOVER_COUNTED_CHARS} characters tokenized, the rest estimated) [total ≈ ${hover.tokens}]`, value: round(hover.ms), unit: 'ms', baseline: round(whole.ms), baselineName: `old count of a ${small}-character word alone`, target: '< 1000 ms', pass: hover.ms < 1000 });
  rows.push({ benchmark: 'record hover', metric: 'hover estimate against the counter on the whole 1 MB word', value: round((100 * (hover.tokens - chunkedBig.tokens)) / chunkedBig.tokens, 2), unit: '%', target: '|error| ≤ 1%', pass: Math.abs(hover.tokens - chunkedBig.tokens) <= chunkedBig.tokens * 0.01 });

  // The count error of chunking, against the exact encode (quadratic: 6000 characters each).
  const rnd = seededRandom(3);
  let worst = 0;
  let worstName = '';
  for (const kind of LONG_PIECE_KINDS) {
    const text = kind.make(6000, rnd);
    for (const tok of ['o200k_base', 'cl100k_base'] as const) {
      const exact = referenceCount(text, tok);
      const err = (createTokenCounter({ tokenizer: tok }).count(text) - exact) / exact;
      if (Math.abs(err) > Math.abs(worst)) [worst, worstName] = [err, `${kind.name}, ${tok}`];
    }
  }
  rows.push({ benchmark: 'tokens: count error of chunking', metric: `largest error over ${LONG_PIECE_KINDS.length} kinds of 6000-character pieces × 2 tokenizers [${worstName}]`, value: round(worst * 100, 2), unit: '%', target: '|error| ≤ 2%', pass: Math.abs(worst) <= 0.02 });
  return Promise.resolve(rows);
}

if (require.main === module && process.argv.length >= 4) {
  try {
    child(process.argv[2], Number(process.argv[3]));
  } catch (e) {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  }
}
