/**
 * Editing a large dataset: a generated ShareGPT document of BENCH_INCREMENTAL_RECORDS records
 * (default 100 000, held as a string, as the editor holds it) is validated whole once (baseline:
 * bare JSON.parse of every line), then edited line by line as a user types. Each edit is timed from
 * the change event to the capped diagnostics list (IncrementalValidator.applyChanges + display),
 * median over 50 edits; the harness's own garbage (the document copy it edits) is collected before
 * each timed edit when --expose-gc is on (npm run bench), so the figure is the validator's work. Targets: the per-record state costs at most 1.2x the plain pipeline
 * (validateText) on the first pass (median of paired rounds); an edit under 5 ms. The ratio to bare JSON.parse is reported.
 */
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './benchRow';
import { IncrementalValidator } from '../src/core/validate/incremental';
import { LinesDocument } from '../src/core/validate/linesDocument';
import { validateText } from '../src/core/validate/pipeline';

const N = Number(process.env.BENCH_INCREMENTAL_RECORDS ?? 100_000);
const EDITS = 50;
const ROUNDS = 7;

function record(i: number): string {
  return JSON.stringify({
    conversations: [
      { from: 'human', value: `Question ${i}: how do I convert ${i} degrees Celsius to Fahrenheit, and why does the formula work?` },
      { from: 'gpt', value: `Multiply by 9/5 and add 32: ${i} °C is ${(i * 9) / 5 + 32} °F. The factor 9/5 is the ratio of the degree sizes and 32 is the offset of the zero points.` },
    ],
    system: 'You are a helpful assistant.',
  });
}


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

export async function run(): Promise<BenchRow[]> {
  const lines = Array.from({ length: N }, (_, i) => record(i));
  const text = lines.join('\n') + '\n';
  const mb = (text.length / 1024 / 1024).toFixed(0);
  const name = `incremental (${N.toLocaleString('en-US')} sharegpt records, ${mb} MB)`;

  const floors: number[] = [];
  const pipelines: number[] = [];
  const fulls: number[] = [];
  const ratios: number[] = [];
  const inc = new IncrementalValidator({ fileName: 'bench.jsonl' });
  // Each pass starts on a collected heap: otherwise one pass pays for collecting the garbage the one
  // before it left (the validator's previous state, 100 000 records), and which pass pays depends on
  // when the collector happens to run. The pipeline and the first pass are timed in pairs, and the
  // ratio is the median of the pairs' ratios: on a shared machine load shifts between rounds, and
  // a ratio of two minima taken in different rounds swung from 1.0x to 1.5x between runs.
  for (let round = 0; round < ROUNDS; round++) {
    collect();
    let t = performance.now();
    for (const l of text.split('\n')) if (l) JSON.parse(l);
    floors.push(performance.now() - t);
    collect();
    t = performance.now();
    validateText(text, { fileName: 'bench.jsonl' });
    const pipeline = performance.now() - t;
    inc.reset('');
    collect();
    t = performance.now();
    inc.reset(text);
    const full = performance.now() - t;
    pipelines.push(pipeline);
    fulls.push(full);
    ratios.push(full / pipeline);
  }
  const floor = median(floors);
  const pipeline = median(pipelines);
  const full = median(fulls);
  const ratio = median(ratios);
  if (inc.counts().error !== 0) throw new Error('the generated records should be valid');

  const doc = new LinesDocument(text);
  const edit: number[] = [];
  const insert: number[] = [];
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let k = 0; k < EDITS; k++) {
    // Typing: one character into a turn of a random record, which breaks it or keeps it valid.
    const line = Math.floor(rand() * N);
    const t0 = doc.lineText(line);
    const at = t0.indexOf('Question') + 9;
    const change = doc.replace(line, at, line, at, k % 2 ? 'x' : '"');
    collect();
    let t = performance.now();
    inc.applyChanges([change], doc);
    inc.display(999);
    edit.push(performance.now() - t);
    // A new record pasted near the top: every later record moves down a line.
    const top = Math.floor(rand() * 100);
    const ins = doc.replace(top, 0, top, 0, record(N + k) + '\n');
    collect();
    t = performance.now();
    inc.applyChanges([ins], doc);
    inc.display(999);
    insert.push(performance.now() - t);
  }
  const editMs = median(edit);
  const insertMs = median(insert);
  return [
    { benchmark: name, metric: `full validation (first pass, per-record state built), median of ${ROUNDS}`, value: Math.round(full), unit: 'ms', baseline: Math.round(floor), baselineName: 'JSON.parse of every line', ratio: +(full / floor).toFixed(2) },
    { benchmark: name, metric: `full validation vs the plain pipeline, median of ${ROUNDS} paired ratios`, value: Math.round(full), unit: 'ms', baseline: Math.round(pipeline), baselineName: 'validateText', ratio: +ratio.toFixed(2), target: '≤ 1.2x validateText', pass: ratio <= 1.2 },
    { benchmark: name, metric: 'one-line edit, median of 50 (re-validate + capped list)', value: +editMs.toFixed(2), unit: 'ms', baseline: Math.round(full), baselineName: 'full validation', ratio: +(editMs / full).toFixed(5), target: '< 5 ms', pass: editMs < 5 },
    { benchmark: name, metric: 'record inserted near the top, median of 50 (every later record moves down)', value: +insertMs.toFixed(2), unit: 'ms', baseline: Math.round(full), baselineName: 'full validation', ratio: +(insertMs / full).toFixed(5), target: '< 5 ms', pass: insertMs < 5 },
  ];
}
