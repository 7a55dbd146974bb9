/**
 * Generation commands in the real extension host, against the real OpenAI-compatible test server
 * started here (loopback), through the real `openai` client. The workspace-key modal cannot be
 * clicked from the extension host: the test answers it through the extension's test API
 * (`generation.setKeyConsentAnswer`), which replaces only the modal, not the consent logic.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { GenerationRunSummary } from '../../src/extension/generateCandidatesCommand';
import type { JudgeRunSummary } from '../../src/extension/judgePairsCommand';
import type { ConnectionReport } from '../../src/core/generation/endpointProbe';
import { pairIdOf, promptHash, responseHash } from '../../src/core/labeling/hashing';
import { start, type RecordedRequest, type TestServer } from '../support/openaiTestServer';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

const KEY = ['sk', 'proj', 'IntegrationKey7f3a9c1e5b2d8f4a6c0e'].join('-');

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function chats(server: TestServer): RecordedRequest[] {
  return server.requests.filter((r) => r.url === '/v1/chat/completions');
}

/** Every file under dir (recursively) that contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => fs.readFileSync(f).includes(needle));
}

const config = () => vscode.workspace.getConfiguration('pairwise');

describe('Generation commands', function () {
  this.timeout(120_000);
  let server: TestServer;
  let gen: PairwiseTestApi['generation'];
  const input = () => workspacePath('generation', 'prompts.jsonl');
  const output = () => workspacePath('generation', 'prompts.candidates.jsonl');
  const TARGETS = [
    { endpoint: 'local', model: 'test-model-a' },
    { endpoint: 'local', model: 'test-model-b' },
  ];

  before(async () => {
    server = await start();
    gen = (await api()).generation;
    // Through the command, as "Manage Endpoints" does: written to the user settings.
    const added = await vscode.commands.executeCommand('pairwise.manageEndpoints', {
      action: 'add',
      endpoint: { name: 'local', baseURL: server.baseURL, models: ['test-model-a', 'test-model-b', 'judge-model'], maxConcurrency: 2, timeoutSeconds: 10 },
    });
    assert.ok(added, 'endpoint added');
    await waitFor('the endpoint in the settings', () => (config().get<{ name: string }[]>('endpoints') ?? []).some((e) => e.name === 'local'));
    assert.equal(await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'local', key: KEY }), true);
  });

  after(async () => {
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'local', clear: true });
    await gen.forgetKeyConsents();
    gen.setKeyConsentAnswer(undefined);
    await server.close();
  });

  it('Manage Endpoints tests the connection and lists the models, with the stored key', async () => {
    const report = await vscode.commands.executeCommand<ConnectionReport>('pairwise.manageEndpoints', { action: 'test', name: 'local' });
    assert.equal(report.ok, true, report.message);
    assert.equal(report.model, 'test-model-a');
    const models = await vscode.commands.executeCommand<string[]>('pairwise.manageEndpoints', { action: 'listModels', name: 'local' });
    assert.deepEqual(models, ['test-model-a', 'test-model-b', 'judge-model']);
    assert.ok(server.requests.length >= 3 && server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  });

  it('generates the candidates file with the stored key; a hostile echo of the key is redacted; failures retry', async () => {
    server.requests.length = 0;
    // A server that echoes the Authorization header in its error (the first chat request).
    server.setFaults([{ kind: 'echo-auth', count: 1 }]);
    const r = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', {
      input: input(),
      targets: TARGETS,
      responsesPerModel: 2,
      temperature: 0.5,
      maxTokens: 40,
      seed: 11,
    });
    assert.ok(r, 'the command returns its summary');
    assert.equal(r.output, output());
    assert.equal(r.cancelled, false);
    assert.equal(r.prompts, 12);
    assert.equal(r.progress.failures, 1);
    assert.equal(readLines(output()).length, 11, 'the prompt with the failed request is not written yet');
    assert.equal(chats(server).length, 48);
    assert.ok(chats(server).every((q) => q.headers.authorization === `Bearer ${KEY}`));
    assert.match(fs.readFileSync(`${output()}.failures.jsonl`, 'utf8'), /REDACTED/);

    const retried = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.retryFailedGenerations', { output: output() });
    assert.ok(retried);
    assert.equal(retried.progress.failures, 0);
    assert.equal(chats(server).length, 49, 'only the failed request is sent again');
    const rows = readLines(output());
    assert.equal(rows.length, 12);
    assert.ok(rows.some((x) => x.id === 'colour'));
    for (const row of rows) {
      const prompt = row.prompt as { role: string }[];
      assert.deepEqual(prompt.map((m) => m.role), ['system', 'user'], 'the prompt stops at the last user turn');
      const responses = row.responses as { model: string; content: string }[];
      assert.deepEqual(responses.map((x) => x.model), ['test-model-a', 'test-model-a', 'test-model-b', 'test-model-b']);
      assert.equal(new Set(responses.map((x) => x.content)).size, 4, 'seed + j makes the samples differ');
    }

    // The key is nowhere: not in the workspace, not in the user settings, not in the output channel.
    const text = gen.outputText();
    assert.match(text, /endpoint local \(http:\/\/127\.0\.0\.1:\d+\/v1\): using the stored API key/);
    assert.match(text, /\[REDACTED\]/, 'the echoed key was redacted in the log');
    assert.ok(!text.includes(KEY));
    assert.deepEqual(filesContaining(workspacePath(), KEY), []);
    const tmp = process.env.PAIRWISE_TEST_TMP;
    assert.ok(tmp, 'PAIRWISE_TEST_TMP is set by the runner');
    const settingsJson = path.join(tmp, 'user-data', 'User', 'settings.json');
    assert.match(fs.readFileSync(settingsJson, 'utf8'), /"name": "local"/);
    assert.ok(!fs.readFileSync(settingsJson, 'utf8').includes(KEY));
    assert.ok(!fs.existsSync(`${output()}.failures.jsonl`), 'the failure the retry resolved is no longer listed');
  });

  it('turns each: one line per assistant turn of each conversation, tagged with the conversation and turn', async () => {
    const chatsFile = workspacePath('generation', 'turns-chats.jsonl');
    const out = workspacePath('generation', 'turns-chats.candidates.jsonl');
    fs.writeFileSync(chatsFile, [
      { id: 'c1', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'A joke?' }, { role: 'assistant', content: 'No.' }] },
      { id: 'c2', messages: [{ role: 'user', content: 'One turn only' }, { role: 'assistant', content: 'Yes.' }] },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    try {
      const r = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: chatsFile, targets: TARGETS, responsesPerModel: 1, output: out, turns: 'each' });
      assert.ok(r);
      assert.equal(r.prompts, 3);
      const rows = readLines(out).map((x) => [x.id, x.conversation, x.turn, x.turns, (x.prompt as unknown[]).length]);
      assert.deepEqual(rows.sort(), [['c1#1', 'c1', 1, 2, 1], ['c1#2', 'c1', 2, 2, 3], ['c2#1', 'c2', 1, 1, 1]]);
    } finally {
      for (const f of [chatsFile, out, `${out}.job.json`]) fs.rmSync(f, { force: true });
    }
  });

  it('cancels halfway and resumes without requesting a finished unit again', async () => {
    const out = workspacePath('generation', 'resume.candidates.jsonl');
    server.requests.length = 0;
    server.setFaults([]);
    server.setLatency(40);
    const args = { input: input(), targets: TARGETS, responsesPerModel: 2, temperature: 0.9, maxTokens: 16, seed: 3, output: out };
    try {
      const running = vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', args);
      await waitFor('a third of the requests done', () => (gen.runningCount() > 0 && (gen.lastProgress()?.done ?? 0) >= 16 ? true : undefined), 60_000);
      assert.equal(gen.cancelRunning(), 1);
      const first = await running;
      assert.ok(first);
      assert.equal(first.cancelled, true);
      const doneBefore = first.progress.done;
      assert.ok(doneBefore >= 16 && doneBefore < 48, `done ${doneBefore}`);
      const sentBefore = chats(server).length;
      // Requests in flight at the moment of the cancel were dropped, not recorded.
      assert.ok(sentBefore - doneBefore <= 4, `sent ${sentBefore}, done ${doneBefore}`);

      const second = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { ...args, ifExists: 'resume' });
      assert.ok(second);
      assert.equal(second.cancelled, false);
      assert.equal(second.progress.done, 48 - doneBefore);
      assert.equal(chats(server).length - sentBefore, 48 - doneBefore, 'exactly the missing units are requested');
      const bodies = new Set(chats(server).map((q) => q.rawBody));
      assert.equal(bodies.size, 48, 'every unit was asked, none twice except the ones cut off by the cancel');
      assert.equal(readLines(out).length, 12);
      assert.ok(!fs.existsSync(`${out}.progress.jsonl`), 'the journal is gone once everything is written');
    } finally {
      server.setLatency(0);
    }
  });

  it('refuses a second job on an output a running job writes (its Overwrite would delete the files being appended to)', async () => {
    const out = workspacePath('generation', 'busy.candidates.jsonl');
    server.setFaults([]);
    // Slow enough that the first job is still running when the second is asked for (48 units, 4 at a time).
    server.setLatency(150);
    const args = { input: input(), targets: TARGETS, responsesPerModel: 2, temperature: 0.9, maxTokens: 16, seed: 5, output: out };
    try {
      const running = vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', args);
      // Units are journaled until their prompt is complete: wait for a first complete line.
      await waitFor('the first job under way', () => (gen.runningCount() > 0 && fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('\n') ? true : undefined), 60_000);
      const written = fs.readFileSync(out, 'utf8');
      const second = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { ...args, ifExists: 'overwrite' });
      assert.equal(second, undefined, 'the second job does not run');
      assert.match(gen.outputText(), /another Pairwise job is writing busy\.candidates\.jsonl/);
      assert.ok(fs.readFileSync(out, 'utf8').startsWith(written), 'nothing the first job wrote was removed');
      const first = await running;
      assert.ok(first);
      assert.equal(first.cancelled, false);
      assert.equal(first.progress.done, 48);
      assert.equal(readLines(out).length, 12, 'every prompt has its line');
      // Once the first job is over, the output is free again.
      const again = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { ...args, ifExists: 'resume' });
      assert.equal(again?.progress.done, 0, 'nothing left to request');
    } finally {
      server.setLatency(0);
    }
  });

  it('refuses a job on an output another process (a pairwise CLI run) is writing, naming it; runs once that process is done', async () => {
    const out = workspacePath('generation', 'cli-busy.candidates.jsonl');
    const cli = path.join(vscode.extensions.getExtension('pairwise.pairwise')!.extensionPath, 'dist', 'cli.js');
    server.requests.length = 0;
    server.setFaults([]);
    server.setLatency(200);
    const child = spawn(process.execPath, [cli, 'generate', input(), '--base-url', server.baseURL, '--model', 'test-model-a', '--concurrency', '2', '-o', out], { env: { ...process.env, PAIRWISE_LANG: 'en' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitFor('the CLI run holding the output', () => (fs.existsSync(`${out}.lock`) ? true : undefined), 30_000);
      const refused = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: input(), targets: [{ endpoint: 'local', model: 'test-model-a' }], responsesPerModel: 1, output: out });
      assert.equal(refused, undefined);
      assert.match(gen.outputText(), new RegExp(`cli-busy\\.candidates\\.jsonl is being written by another Pairwise process \\(pid ${child.pid} on .*pairwise generate`));
      assert.equal(await exited, 0);
      assert.equal(chats(server).length, 12, 'only the CLI asked');
      server.setLatency(0);
      assert.equal(readLines(out).length, 12);
      assert.ok(!fs.existsSync(`${out}.lock`));
      // The output is free again (the CLI's endpoint has another name, so this one starts over).
      const after = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: input(), targets: [{ endpoint: 'local', model: 'test-model-a' }], responsesPerModel: 1, output: out, ifExists: 'overwrite' });
      assert.ok(after);
      assert.equal(after.progress.promptsWritten, 12);
    } finally {
      child.kill('SIGKILL');
      server.setLatency(0);
    }
  });

  it('sends the stored key to a workspace-configured base URL only after consent', async () => {
    const other = await start();
    const two = workspacePath('generation', 'two_prompts.jsonl');
    const run = (name: string) =>
      vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', {
        input: two,
        targets: [{ endpoint: 'local', model: 'test-model-a' }],
        responsesPerModel: 1,
        output: workspacePath('generation', `${name}.candidates.jsonl`),
      });
    try {
      // The workspace points the user's endpoint name at another server.
      await config().update('endpoints', [{ name: 'local', baseURL: other.baseURL, models: ['test-model-a'], maxConcurrency: 1, timeoutSeconds: 10 }], vscode.ConfigurationTarget.Workspace);
      await waitFor('the workspace endpoint in effect', () => (config().get<{ baseURL: string }[]>('endpoints') ?? [])[0]?.baseURL === other.baseURL);
      const asked0 = gen.keyConsentAsked();

      gen.setKeyConsentAnswer('cancel');
      assert.equal(await run('ws-cancel'), undefined, 'dismissing the question runs nothing');
      assert.equal(other.requests.length, 0);

      gen.setKeyConsentAnswer('withhold');
      const withheld = await run('ws-withheld');
      assert.ok(withheld);
      assert.equal(chats(other).length, 2);
      assert.ok(chats(other).every((q) => q.headers.authorization === undefined), 'no key without consent');
      assert.match(gen.outputText(), /the stored API key was NOT sent/);

      gen.setKeyConsentAnswer('send');
      assert.ok(await run('ws-sent'));
      assert.equal(chats(other).length, 4);
      assert.equal(chats(other)[3].headers.authorization, `Bearer ${KEY}`);
      assert.equal(gen.keyConsentAsked(), asked0 + 3);

      // Remembered for this (name, URL): not asked again (with no test answer a real modal would block).
      gen.setKeyConsentAnswer(undefined);
      assert.ok(await run('ws-remembered'));
      assert.equal(gen.keyConsentAsked(), asked0 + 3);
      assert.equal(chats(other)[5].headers.authorization, `Bearer ${KEY}`);
      assert.ok(!gen.outputText().includes(KEY));
    } finally {
      gen.setKeyConsentAnswer(undefined);
      await config().update('endpoints', undefined, vscode.ConfigurationTarget.Workspace);
      await other.close();
    }
  });

  it('sends a key over plain http to another host only when the user settings opt in for that endpoint', async function () {
    // A server on this machine reached through an address that is not loopback stands for a remote host.
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) this.skip();
    const remote = await start({ host: '0.0.0.0' });
    const baseURL = `http://${lan}:${remote.port}/v1`;
    const endpoint = { name: 'lan', baseURL, models: ['test-model-a'], maxConcurrency: 1, timeoutSeconds: 10 };
    const run = (name: string) =>
      vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', {
        input: workspacePath('generation', 'two_prompts.jsonl'),
        targets: [{ endpoint: 'lan', model: 'test-model-a' }],
        responsesPerModel: 1,
        output: workspacePath('generation', `${name}.candidates.jsonl`),
      });
    try {
      assert.ok(await vscode.commands.executeCommand('pairwise.manageEndpoints', { action: 'add', endpoint }));
      assert.equal(await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'lan', key: KEY }), true);
      assert.equal(await run('lan-refused'), undefined);
      assert.match(gen.outputText(), /refusing to send the API key of endpoint "lan" over plain http to [\d.]+:\d+.*set "allowHttpKey": true on this endpoint in your user settings/);
      const test = await vscode.commands.executeCommand<ConnectionReport>('pairwise.manageEndpoints', { action: 'test', name: 'lan' });
      assert.equal(test.ok, false);
      assert.match(test.message ?? '', /over plain http/);

      // A workspace cannot opt in for the user, even on a copy of the user's own endpoint.
      await config().update('endpoints', [{ ...endpoint, allowHttpKey: true }], vscode.ConfigurationTarget.Workspace);
      await waitFor('the workspace endpoint in effect', () => ((config().get<{ allowHttpKey?: boolean }[]>('endpoints') ?? [])[0]?.allowHttpKey === true ? true : undefined));
      assert.equal(await run('lan-workspace'), undefined);
      assert.equal(remote.requests.length, 0, 'nothing reached the server');
      await config().update('endpoints', undefined, vscode.ConfigurationTarget.Workspace);

      assert.ok(await vscode.commands.executeCommand('pairwise.manageEndpoints', { action: 'add', endpoint: { ...endpoint, allowHttpKey: true } }));
      const sent = await run('lan-opted-in');
      assert.ok(sent);
      assert.equal(sent.progress.promptsWritten, 2);
      assert.ok(chats(remote).length === 2 && chats(remote).every((q) => q.headers.authorization === `Bearer ${KEY}`));
      assert.ok(!gen.outputText().includes(KEY));
    } finally {
      await config().update('endpoints', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('pairwise.manageEndpoints', { action: 'remove', name: 'lan' });
      await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'lan', clear: true });
      await remote.close();
    }
  });

  it('judges the pairs and reports agreement with the human labels beside the file', async () => {
    server.requests.length = 0;
    // The judge prefers the response that mentions "alpha".
    server.setJudge({ marker: 'alpha' });
    const rows = readLines(output());
    // One human decision per prompt on its first two responses: prefer the one with "alpha" (as the judge will), else the first.
    const log = workspacePath('generation', 'prompts.candidates.labels.jsonl');
    const decisions: string[] = [];
    rows.forEach((row, i) => {
      const prompt = row.prompt as { role: 'system' | 'user'; content: string }[];
      const [x, y] = (row.responses as { content: string }[]).slice(0, 2).map((r) => r.content);
      const hx = responseHash(x);
      const hy = responseHash(y);
      const inX = x.includes('alpha');
      const inY = y.includes('alpha');
      const choice = inX === inY ? 'tie' : inX ? 'left' : 'right';
      decisions.push(JSON.stringify({ v: 1, id: `d${i}`, pair: pairIdOf(promptHash(prompt), hx, hy), left: hx, right: hy, choice, annotator: 'tester', ts: new Date(1_700_000_000_000 + i).toISOString(), ms: 100 }));
    });
    fs.writeFileSync(log, decisions.join('\n') + '\n');
    try {
      const r = await vscode.commands.executeCommand<JudgeRunSummary>('pairwise.judgePairs', { candidates: output(), judge: { endpoint: 'local', model: 'judge-model' }, pairs: 'first-two' });
      assert.ok(r);
      assert.equal(r.progress.done, 12);
      assert.equal(chats(server).length, 24, 'each pair asked in both orders');
      const judgements = readLines(r.judgementsPath);
      assert.equal(judgements.length, 12);
      assert.ok(r.agreement);
      assert.deepEqual(r.agreement.annotators, ['tester']);
      // Where exactly one response has the marker, judge and human agree; ties are compared too.
      assert.equal(r.agreement.compared, 12);
      assert.equal(r.agreement.agree, 12);
      assert.match(gen.outputText(), /agrees with human labels on 12\/12 pairs \(100%\)/);
    } finally {
      server.setJudge(undefined);
      fs.rmSync(log, { force: true });
    }
  });

  it('judges on the rubric beside the candidates: both orders\' scores per criterion in each line', async () => {
    server.requests.length = 0;
    server.setJudge({ marker: 'alpha' });
    const rubric = workspacePath('generation', 'prompts.candidates.rubric.yaml');
    fs.writeFileSync(rubric, 'name: quality\nscale: [1, 5]\ncriteria:\n  - id: helpfulness\n  - id: correctness\n');
    try {
      const r = await vscode.commands.executeCommand<JudgeRunSummary>('pairwise.judgePairs', { candidates: output(), judge: { endpoint: 'local', model: 'judge-model' }, pairs: 'first-two' });
      assert.ok(r);
      assert.equal(r.rubric, rubric);
      assert.equal(r.progress.done, 12, 'a rubric judge is another judge: every pair again');
      assert.equal(chats(server).length, 24);
      const scored = readLines(r.judgementsPath).filter((l) => Array.isArray(l.scores));
      assert.equal(scored.length, 12);
      for (const l of scored) assert.deepEqual(Object.keys((l.scores as { a: object }[])[1].a), ['helpfulness', 'correctness']);
      assert.match(gen.outputText(), /on the rubric prompts\.candidates\.rubric\.yaml/);
      // 'none': the plain judge, whose verdicts are already there: nothing to ask.
      const plain = await vscode.commands.executeCommand<JudgeRunSummary>('pairwise.judgePairs', { candidates: output(), judge: { endpoint: 'local', model: 'judge-model' }, pairs: 'first-two', rubric: 'none' });
      assert.equal(plain?.rubric, undefined);
      assert.equal(plain?.progress.total, 0);
    } finally {
      server.setJudge(undefined);
      fs.rmSync(rubric, { force: true });
    }
  });
});
