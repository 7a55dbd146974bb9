/**
 * Pre-flight of a 100k-record SFT file (JSON Lines, 2–6 turns of 20–300 characters each) with the
 * ChatML fixture model (test/fixtures/chatTemplates/chatml) and TRL's assistant_only_loss, against
 * the floor measured in the same run: the tokenizer alone encoding the same rendered texts once each
 * (no reading, no template, no masks). Target: well under a minute (issue #14).
 *
 *   BENCH_PREFLIGHT_RECORDS   records (default 100000)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatTemplateRenderer, loadModelFolder, preflightFile, trainerView } from '../src/core/chatTemplate';
import type { SftRecord } from '../src/core/model';
import { seededRandom } from '../test/support/longPieces';
import type { BenchRow } from './benchRow';

const ROOT = path.resolve(__dirname, '..', '..');
const WORDS = ['the', 'user', 'hello', 'assistant', 'sum', 'of', 'list', 'is', 'it', 'why', 'please', 'thing', 'ing', 'a', 'b', '42', 'system'];

function text(rnd: () => number): string {
  const n = 20 + Math.floor(rnd() * 280);
  let s = '';
  while (s.length < n) s += WORDS[Math.floor(rnd() * WORDS.length)] + (rnd() < 0.1 ? '. ' : ' ');
  return s.trim();
}

function records(n: number): SftRecord[] {
  const rnd = seededRandom(14);
  const out: SftRecord[] = [];
  for (let i = 0; i < n; i++) {
    const turns = 1 + Math.floor(rnd() * 3);
    const messages: SftRecord['messages'] = [];
    for (let t = 0; t < turns; t++) messages.push({ role: 'user', content: text(rnd) }, { role: 'assistant', content: text(rnd) });
    out.push({ type: 'sft', messages });
  }
  return out;
}

export async function run(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_PREFLIGHT_RECORDS ?? 100_000);
  const model = loadModelFolder(path.join(ROOT, 'test', 'fixtures', 'chatTemplates', 'chatml'));
  const recs = records(n);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-bench-preflight-'));
  const file = path.join(dir, 'data.jsonl');
  fs.writeFileSync(file, recs.map((r) => JSON.stringify({ messages: r.messages })).join('\n') + '\n');
  try {
    // The same rendered texts the pre-flight tokenizes, made before the clock starts.
    const renderer = new ChatTemplateRenderer(model.chatTemplate);
    const texts = recs.map((r) => trainerView(r, renderer, model.tokenizer, { trainer: 'openai' }).text);
    const t0 = performance.now();
    let floorTokens = 0;
    for (const t of texts) floorTokens += model.tokenizer.encode(t, { add_special_tokens: false }).ids.length;
    const floorMs = performance.now() - t0;
    const t1 = performance.now();
    const report = await preflightFile(file, model, { trainer: 'trl', assistantOnlyLoss: true, maxLength: 512 });
    const ms = performance.now() - t1;
    if (report.totalTokens !== floorTokens) throw new Error(`pre-flight counted ${report.totalTokens} tokens, the tokenizer alone ${floorTokens}`);
    const seconds = Math.round(ms) / 1000;
    return [
      {
        benchmark: `preflight, ${n} records (${(fs.statSync(file).size / 1e6).toFixed(1)} MB), chatml fixture`,
        metric: 'wall time',
        value: seconds,
        unit: 's',
        baseline: Math.round(floorMs) / 1000,
        baselineName: 'tokenizer alone on the rendered texts',
        ratio: Math.round((ms / floorMs) * 100) / 100,
        target: '< 30 s',
        pass: seconds < 30,
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
