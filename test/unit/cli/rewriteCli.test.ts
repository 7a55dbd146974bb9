/** `pairwise export --rewrites / --rewrites-sft` through the real bundle, on a log written by a real labeling session with rewrites. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { RewriteSession } from '../../../src/core/labeling/rewriteSession';
import { LabelingSession } from '../../../src/core/labeling/session';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const input = path.join(root, 'test', 'fixtures', 'labeling', 'rewrite.candidates.jsonl');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PAIRWISE_LANG: 'en' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise export --rewrites, --rewrites-sft (dist/cli.js)', function () {
  this.timeout(60000);
  let dir: string;
  let log: string;
  const texts: string[] = [];

  before(async () => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-rewrite-cli-'));
    log = path.join(dir, 'ann.labels.jsonl');
    // Every pair: rewrite the left answer (which also labels it the better one).
    const queue = await CandidatesPairQueue.open(input);
    const s = await LabelingSession.open({ queue, logPath: log, annotator: 'ann' });
    const rw = await RewriteSession.open(log, 'ann');
    while (s.current) {
      const key = s.state().pair!.key;
      rw.start(s, key, 'left');
      const text = `${s.state().pair!.left.content}\n\n(Checked by ann, pair ${s.current.index + 1}.)`;
      texts.push(text);
      await rw.save(s, key, 'left', text);
    }
    await rw.close();
    await s.close();
    await queue.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes rewrite pairs in the preference file and the rewrites as SFT records; both pass pairwise validate', () => {
    const out = path.join(dir, 'prefs.sharegpt.json');
    const sft = path.join(dir, 'rewrites.jsonl');
    const r = run('export', input, '--logs', log, '--to', 'sharegpt-preference', '-o', out, '--rewrites', 'with-other', '--rewrites-sft', sft);
    assert.equal(r.code, 0, r.stderr);
    // 8 decided pairs, 8 rewrites vs original, 8 vs the other answer (the rewritten answer was preferred each time).
    assert.match(r.stdout, /24 record\(s\) \(sharegpt-preference\) from 8 pair\(s\)/);
    assert.match(r.stdout, /8 rewrite\(s\): 8 pair\(s\) rewrite vs original, 8 vs the other answer \(with-other\)/);
    assert.match(r.stdout, /rewrites\.jsonl: 8 SFT record\(s\) \(sharegpt\) from 8 rewrite\(s\)/);
    const rows = JSON.parse(fs.readFileSync(out, 'utf8')) as { chosen: { value: string } }[];
    assert.equal(rows.filter((x) => texts.includes(x.chosen.value)).length, 16);
    for (const file of [out, sft]) {
      const v = run('validate', file);
      assert.equal(v.code, 0, `${file}: ${v.stdout}${v.stderr}`);
    }
    const sftRows = fs.readFileSync(sft, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { conversations: { from: string; value: string }[] });
    assert.deepEqual(sftRows.map((x) => x.conversations.at(-1)!.value).sort(), [...texts].sort());
  });

  it('--rewrites none leaves them out; --rewrites-sft-to picks the SFT format; bad usage exits 2', () => {
    const out = path.join(dir, 'prefs.trl.jsonl');
    const r = run('export', input, '--logs', log, '--to', 'trl-preference', '-o', out, '--rewrites', 'none', '--rewrites-sft', path.join(dir, 'sft.openai.jsonl'), '--rewrites-sft-to', 'openai-chat', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { written: number; rewrites: { rewrites: number; vsOriginal: number }; rewritesSft: { written: number; format: string } };
    assert.deepEqual([j.written, j.rewrites.vsOriginal, j.rewritesSft.written, j.rewritesSft.format], [8, 0, 8, 'openai-chat']);
    assert.equal(run('validate', path.join(dir, 'sft.openai.jsonl'), '--format', 'openai-chat').code, 0);
    assert.equal(run('export', input, '--logs', log, '--to', 'trl-preference', '-o', out, '--rewrites', 'all').code, 2);
    assert.equal(run('export', input, '--logs', log, '--to', 'trl-preference', '-o', out, '--rewrites-sft', path.join(dir, 'x.jsonl'), '--rewrites-sft-to', 'trl-preference').code, 2);
    assert.equal(run('export', input, '--logs', log, '--to', 'trl-preference', '-o', out, '--rewrites-sft-to', 'alpaca').code, 2);
    // The SFT file may not overwrite the preference export or the log.
    assert.notEqual(run('export', input, '--logs', log, '--to', 'trl-preference', '-o', out, '--rewrites-sft', log).code, 0);
    assert.ok(fs.readFileSync(log, 'utf8').includes('"kind":"rewrite"'));
  });
});
