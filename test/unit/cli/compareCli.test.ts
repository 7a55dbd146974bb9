/** `pairwise compare` through the real bundle, on logs written by a real labeling session over a candidates file. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { LabelingSession } from '../../../src/core/labeling/session';
import { wilsonInterval } from '../../../src/core/labeling/comparisonStats';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PAIRWISE_LANG: 'en' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise compare (dist/cli.js)', function () {
  this.timeout(60000);
  let dir: string;
  let candidates: string;

  before(async () => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-compare-cli-'));
    candidates = path.join(dir, 'heldout.candidates.jsonl');
    // The tuned model's answers all end in "!"; ten prompts, one with identical answers.
    const lines = [];
    for (let i = 1; i <= 10; i++) {
      const tuned = i === 10 ? 'same' : `tuned answer ${i}!`;
      const base = i === 10 ? 'same' : `base answer ${i}`;
      lines.push(JSON.stringify({ id: `q${i}`, prompt: [{ role: 'user', content: `Question ${i}` }], responses: [{ model: 'org/base', content: base }, { model: 'org/tuned', content: tuned }] }));
    }
    fs.writeFileSync(candidates, lines.join('\n') + '\n');
    // The job that wrote it named the baseline first.
    fs.writeFileSync(`${candidates}.job.json`, JSON.stringify({ version: 1, responsesPerTarget: 1, targets: [{ endpoint: 'local', model: 'org/base', params: {} }, { endpoint: 'local', model: 'org/tuned', params: {} }] }));
    // A real session, sides as it shows them: the tuned answer wins 6, loses 2 (prompts 7 and 8), one tie (9).
    const queue = await CandidatesPairQueue.open(candidates, { strategy: 'all' });
    const s = await LabelingSession.open({ queue, logPath: path.join(dir, 'heldout.candidates.labels.jsonl'), annotator: 'ana' });
    while (s.current) {
      const { pair, leftIsA } = s.current;
      const left = leftIsA ? pair.a : pair.b;
      const n = Number(/\d+/.exec(pair.prompt[0].content)![0]);
      const tunedWins = n <= 6;
      const choice = n === 9 ? 'tie' : (left.model === 'org/tuned') === tunedWins ? 'left' : 'right';
      await s.decide(choice, { key: s.state().pair!.key });
    }
    await s.close();
    await queue.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the arms from the job, the counts, the interval and the lines behind each count', () => {
    const r = run('compare', candidates);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /B = org\/tuned against A = org\/base/);
    assert.match(r.stdout, /10 prompt\(s\): 9 pair\(s\) to label, 1 with identical answers, 0 without both answers; 1 label log\(s\)/);
    const ci = wilsonInterval(6.5, 9)!;
    const row = r.stdout.split('\n').find((l) => l.startsWith('ana'))!;
    assert.deepEqual(row.trim().split(/\s+/).slice(0, 7), ['ana', '6', '1', '2', `${((100 * 6.5) / 9).toFixed(1)}%`, `${(100 * ci.lower).toFixed(1)}%–${(100 * ci.upper).toFixed(1)}%`, '0.289']);
    assert.match(r.stdout, /B wins: 1, 2, 3, 4, 5, 6\n/);
    assert.match(r.stdout, /A wins: 7, 8\n/);
    assert.match(r.stdout, /ties: 9\n/);
    assert.match(r.stdout, /identical answers: 10\n/);
  });

  it('--json has every pair; --baseline/--candidate swap the arms; --pairs lists ids and prompts; bad usage exits 2', () => {
    const j = JSON.parse(run('compare', candidates, '--json').stdout) as { merged: { counts: Record<string, number>; pairs: Record<string, { id: string; pair: string }[]> } };
    assert.equal(j.merged.counts.candidateWins, 6);
    assert.deepEqual(j.merged.pairs.baselineWins.map((p) => p.id), ['q7', 'q8']);
    assert.match(j.merged.pairs.baselineWins[0].pair, /^[0-9a-f]{16}\.[0-9a-f]{16}\.[0-9a-f]{16}$/);
    const swapped = JSON.parse(run('compare', candidates, '--baseline', 'org/tuned', '--candidate', 'org/base', '--json').stdout) as { merged: { counts: Record<string, number> } };
    assert.equal(swapped.merged.counts.candidateWins, 2);
    assert.equal(swapped.merged.counts.baselineWins, 6);
    const listed = run('compare', candidates, '--pairs').stdout;
    assert.match(listed, /A wins\tline 7\tq7\t[0-9a-f.]+\tQuestion 7\n/);
    assert.equal(run('compare').code, 2);
    assert.equal(run('compare', candidates, '--rule', 'loudest').code, 2);
    assert.equal(run('compare', candidates, '--logs', path.join(dir, 'nope.labels.jsonl')).code, 2);
  });
});
