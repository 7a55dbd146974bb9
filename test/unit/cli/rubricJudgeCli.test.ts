/** `pairwise judge` on a rubric and `pairwise agreement --judgements`, against the loopback OpenAI-compatible server. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import type { Message } from '../../../src/core/model';
import { pairIdOf, promptHash, responseHash } from '../../../src/core/labeling/hashing';
import { readRubric } from '../../../src/core/labeling/rubric';
import { makeScores } from '../../../src/core/labeling/scoresRecord';
import { start, type TestServer } from '../../support/openaiTestServer';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

const readLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const RUBRIC_YAML = `name: quality
scale: { min: 1, max: 5, labels: { 1: unusable, 5: excellent } }
guidelines: |
  Read the whole conversation first.
criteria:
  - id: helpfulness
    title: Helpfulness
    guidelines: Does it answer what was asked?
  - id: correctness
    title: Correctness
`;

const ROWS = [
  { id: 'q1', prompt: [{ role: 'user', content: 'one' }], responses: [{ model: 'm1', content: 'GOOD answer' }, { model: 'm2', content: 'meh' }] },
  { id: 'q2', prompt: [{ role: 'user', content: 'two' }], responses: [{ model: 'm1', content: 'weak' }, { model: 'm2', content: 'a GOOD one' }] },
];

describe('pairwise judge --rubric / agreement --judgements (CLI)', () => {
  let server: TestServer;
  let dir: string;
  let candidates: string;
  beforeEach(async () => {
    server = await start({ judge: { marker: 'GOOD' } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-rubric-'));
    candidates = path.join(dir, 'set.candidates.jsonl');
    fs.writeFileSync(candidates, ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the rubric beside the candidates, keeps both orders\' scores; --rubric none judges plainly', async () => {
    fs.writeFileSync(path.join(dir, 'set.candidates.rubric.yaml'), RUBRIC_YAML);
    const r = await cli('judge', candidates, '--base-url', server.baseURL, '--model', 'judge-model');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /scoring on the rubric .*set\.candidates\.rubric\.yaml \(2 criteria\)/);
    const lines = readLines(path.join(dir, 'set.candidates.judgements.jsonl'));
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => Array.isArray(l.scores) && (l.rubric as { name: string }).name === 'quality'));
    assert.match((server.requests[0].body as { messages: { content: string }[] }).messages[0].content, /- helpfulness \(Helpfulness\): Does it answer what was asked\?/);

    const plain = await cli('judge', candidates, '--base-url', server.baseURL, '--model', 'judge-model', '--rubric', 'none', '-o', path.join(dir, 'plain.jsonl'));
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(readLines(path.join(dir, 'plain.jsonl')).every((l) => l.scores === undefined && (l.verdict === 'A' || l.verdict === 'B')));
  });

  it('a rubric that cannot be parsed stops the run before any request: exit 2 naming the field', async () => {
    fs.writeFileSync(path.join(dir, 'bad.rubric.yaml'), 'criteria:\n  - id: Bad Id\n');
    const r = await cli('judge', candidates, '--base-url', server.baseURL, '--model', 'judge-model', '--rubric', path.join(dir, 'bad.rubric.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /criteria\[0\]\.id/);
    assert.equal(server.requests.length, 0);
    assert.equal(fs.existsSync(path.join(dir, 'set.candidates.judgements.jsonl')), false);
  });

  it('agreement per criterion with the annotators\' scores, and the judge\'s position bias', async () => {
    const rubricFile = path.join(dir, 'set.candidates.rubric.yaml');
    fs.writeFileSync(rubricFile, RUBRIC_YAML);
    const rubric = await readRubric(rubricFile);
    server.setJudge({ marker: 'GOOD' });
    assert.equal((await cli('judge', candidates, '--base-url', server.baseURL, '--model', 'judge-model')).code, 0);
    // ana: q1 GOOD 5/4 vs 2/4 (helpfulness agrees, correctness tie vs the judge's "GOOD"); q2 agrees on both.
    const score = (row: (typeof ROWS)[number], good: Record<string, number>, other: Record<string, number>) => {
      const [x, y] = row.responses.map((r) => responseHash(r.content));
      const goodHash = row.responses[0].content.includes('GOOD') ? x : y;
      const otherHash = goodHash === x ? y : x;
      return makeScores({ pair: pairIdOf(promptHash(row.prompt as Message[]), x, y), rubric: rubric.hash, scores: { [goodHash]: good, [otherHash]: other }, annotator: 'ana', ms: 1000 });
    };
    const log = path.join(dir, 'set.candidates.labels.jsonl');
    fs.writeFileSync(log, [score(ROWS[0], { helpfulness: 5, correctness: 4 }, { helpfulness: 2, correctness: 4 }), score(ROWS[1], { helpfulness: 5, correctness: 5 }, { helpfulness: 1, correctness: 1 })].map((l) => JSON.stringify(l) + '\n').join(''));
    const judgements = path.join(dir, 'set.candidates.judgements.jsonl');

    const j = await cli('agreement', log, '--judgements', judgements, '--rubric', rubricFile, '--json');
    assert.equal(j.code, 0, j.stderr);
    const rep = JSON.parse(j.stdout).rubricJudge;
    assert.deepEqual([rep.judgedPairs, rep.humanPairs, rep.sharedPairs], [2, 2, 2]);
    // helpfulness: human a-side/b-side match the judge on both pairs: 100%, κ 1.
    assert.deepEqual([rep.criteria[0].criterion, rep.criteria[0].compared, rep.criteria[0].agree, rep.criteria[0].kappa], ['helpfulness', 2, 2, 1]);
    // correctness: human tie then GOOD, judge GOOD twice: 1 of 2; po 1/2, pe 1/4 → κ 1/3.
    assert.equal(rep.criteria[1].agree, 1);
    assert.ok(Math.abs(rep.criteria[1].kappa - 1 / 3) < 1e-9);
    assert.equal(rep.overallBias.flips, 0);

    const text = await cli('agreement', log, '--judgements', judgements, '--rubric', rubricFile);
    assert.match(text.stdout, /rubric judge: 2 pair\(s\) judged in both orders, 2 scored by annotators, 2 by both/);
    assert.match(text.stdout, /helpfulness +2 +2 +100\.0% +1\.000 +0\/2 +neither \(\+0\.00\)/);
    assert.match(text.stdout, /correctness +2 +1 +50\.0% +0\.333/);

    // A judge that always favours the first position: every pair flips, the bonus is max − min per criterion.
    fs.rmSync(judgements);
    server.setJudge({ marker: 'GOOD', bias: 'A' });
    assert.equal((await cli('judge', candidates, '--base-url', server.baseURL, '--model', 'judge-model')).code, 0);
    const biased = await cli('agreement', log, '--judgements', judgements);
    assert.match(biased.stdout, /helpfulness .* 2\/2 +first \(\+4\.00\)/);
    assert.match(biased.stdout, /\(total\) .* 2\/2 +first \(\+8\.00\)/);
    // Scores on another rubric are not compared with this one's.
    const other = await cli('agreement', log, '--judgements', judgements, '--rubric', rubricFile, '--json');
    assert.equal(JSON.parse(other.stdout).rubricJudge.judgedPairs, 2);
    fs.writeFileSync(rubricFile, RUBRIC_YAML.replace('name: quality', 'name: changed'));
    const changed = await cli('agreement', log, '--judgements', judgements, '--rubric', rubricFile, '--json');
    assert.deepEqual([JSON.parse(changed.stdout).rubricJudge.judgedPairs, JSON.parse(changed.stdout).rubricJudge.humanPairs], [0, 0]);
  });

  it('--rubric without --judgements is a usage error', async () => {
    const r = await cli('agreement', path.join(dir, 'x.labels.jsonl'), '--rubric', 'r.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--rubric needs --judgements/);
  });
});
