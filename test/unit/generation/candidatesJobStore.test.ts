/** The candidates output as the CLI and the extension see it: its default name, spec, resume check and removal. */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesJobStore, candidatesOutputFor, isCandidatesOutput } from '../../../src/core/generation/candidatesJobStore';
import type { CandidateTarget } from '../../../src/core/generation/candidatesPlan';

const A: CandidateTarget = { endpoint: 'local', model: 'a', params: { temperature: 0.7 } };
const B: CandidateTarget = { endpoint: 'local', model: 'b', params: {} };

describe('CandidatesJobStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-job-store-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('names the default output beside the input, without its .jsonl or .json extension', () => {
    assert.equal(candidatesOutputFor(path.join('data', 'prompts.jsonl')), path.join('data', 'prompts.candidates.jsonl'));
    assert.equal(candidatesOutputFor(path.join('data', 'prompts.JSON')), path.join('data', 'prompts.candidates.jsonl'));
    assert.equal(candidatesOutputFor('prompts.txt'), 'prompts.txt.candidates.jsonl');
    assert.ok(isCandidatesOutput(candidatesOutputFor('x.jsonl')));
    assert.ok(!isCandidatesOutput('x.jsonl'));
  });

  it('reads the spec, and nothing from a missing, damaged or foreign job file', async () => {
    const store = new CandidatesJobStore(path.join(dir, 'p.candidates.jsonl'));
    assert.equal(store.paths.spec, path.join(dir, 'p.candidates.jsonl.job.json'));
    assert.equal(await store.readSpec(), undefined);
    await fsp.writeFile(store.paths.spec, '{"version":1,"responsesPerTarget":2,"targ');
    assert.equal(await store.readSpec(), undefined);
    await fsp.writeFile(store.paths.spec, '{"version":1,"targets":{}}');
    assert.equal(await store.readSpec(), undefined);
    await fsp.writeFile(store.paths.spec, JSON.stringify({ version: 1, responsesPerTarget: 2, targets: [A, B] }));
    assert.deepEqual(await store.readSpec(), { version: 1, responsesPerTarget: 2, targets: [A, B] });
  });

  it('resumes only with the same targets in the same order and the same responses per target', async () => {
    const store = new CandidatesJobStore(path.join(dir, 'p.candidates.jsonl'));
    assert.equal(await store.sameSpec([A, B], 2), false);
    await fsp.writeFile(store.paths.spec, JSON.stringify({ version: 1, responsesPerTarget: 2, targets: [A, B] }));
    assert.equal(await store.sameSpec([A, B], 2), true);
    assert.equal(await store.sameSpec([{ ...A, params: { temperature: 0.7 } }, B], 2), true);
    assert.equal(await store.sameSpec([B, A], 2), false);
    assert.equal(await store.sameSpec([A, B], 3), false);
    assert.equal(await store.sameSpec([A], 2), false);
    assert.equal(await store.sameSpec([{ ...A, params: { temperature: 0.2 } }, B], 2), false);
  });

  it('removes the output and every file a run keeps beside it, the Batch API state included, but not the rate file', async () => {
    const store = new CandidatesJobStore(path.join(dir, 'p.candidates.jsonl'));
    const p = store.paths;
    for (const f of [p.candidates, p.journal, p.failures, p.spec, p.batch, p.rate]) await fsp.writeFile(f, '{}\n');
    const other = path.join(dir, 'p.jsonl');
    await fsp.writeFile(other, '{}\n');
    await store.remove();
    assert.deepEqual((await fsp.readdir(dir)).sort(), [path.basename(p.rate), 'p.jsonl'].sort());
    await store.remove();
  });
});
