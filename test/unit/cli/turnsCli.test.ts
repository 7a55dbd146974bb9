/** Multi-turn through the real CLI bundle: `pairwise export` says what each target did with the history; `generate --turns` is checked. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openLabelingInput } from '../../../src/core/labeling/labelingInput';
import { LabelingSession } from '../../../src/core/labeling/session';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PAIRWISE_LANG: 'en' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise export / generate: multi-turn (dist/cli.js)', function () {
  this.timeout(60000);
  let dir: string;
  let input: string;
  let log: string;
  before(async () => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-turns-cli-'));
    input = path.join(dir, 'talk.candidates.jsonl');
    const u = (content: string) => ({ role: 'user', content });
    const a = (content: string) => ({ role: 'assistant', content });
    const line = (turn: number, prompt: object[], answers: string[]) =>
      JSON.stringify({ id: `talk#${turn}`, prompt, responses: answers.map((content, i) => ({ model: `m${i}`, content })), conversation: 'talk', turn, turns: 3 });
    fs.writeFileSync(input, [
      line(1, [u('Hello')], ['Hi!', 'Go away.']),
      line(2, [u('Hello'), a('Hi!'), u('How are you?')], ['Fine, thanks.', 'Why?']),
      line(3, [u('Hello'), a('Hi!'), u('How are you?'), a('Fine, thanks.'), u('Bye')], ['Goodbye!', '...']),
    ].join('\n') + '\n');
    log = path.join(dir, 'talk.candidates.labels.jsonl');
    const opened = await openLabelingInput({ kind: 'candidates', path: input });
    const s = await LabelingSession.open({ queue: opened.queue, logPath: log, annotator: 'ana' });
    for (let i = 0; i < 3; i++) await s.decide('left');
    await s.close();
    await opened.queue.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a target with a multi-turn shape keeps the history; one without drops those pairs and says so, with counts', () => {
    const kept = run('export', input, '--logs', log, '--to', 'sharegpt-preference', '-o', path.join(dir, 'sg.jsonl'));
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /multi-turn: 2 pair\(s\) with earlier turns: 2 kept whole, 0 with the history changed, 0 dropped\n/);
    const dropped = run('export', input, '--logs', log, '--to', 'axolotl-chatml-intel', '-o', path.join(dir, 'ax.jsonl'));
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.match(dropped.stdout, /1 record\(s\)/);
    assert.match(dropped.stdout, /multi-turn: 2 pair\(s\) with earlier turns: 0 kept whole, 0 with the history changed, 2 dropped \(axolotl-chatml-intel: .*chat_template\.default/);
    const json = run('export', input, '--logs', log, '--to', 'axolotl-chatml-intel', '-o', path.join(dir, 'ax2.jsonl'), '--json');
    const summary = JSON.parse(json.stdout) as { multiTurn: { pairs: number; dropped: number; shape: { native: boolean; source: string } } };
    assert.deepEqual([summary.multiTurn.pairs, summary.multiTurn.dropped, summary.multiTurn.shape.native], [2, 2, false]);
    assert.match(summary.multiTurn.shape.source, /axolotl/);
  });

  it('generate --turns takes last or each only', () => {
    const r = run('generate', input, '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--turns', 'all');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--turns must be last or each/);
  });
});
