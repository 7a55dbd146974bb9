/**
 * A hostile repository plants links where Pairwise writes (`p.candidates.jsonl -> ~/.bashrc`, a
 * `.labels.jsonl`, a curation output, `dataset_info.json`, an output folder). Every writing command
 * of the real `pairwise` bundle, spawned as users run it, refuses with exit code 2 and a message
 * naming the link, and nothing outside the workspace changes (a sentinel folder hashed before and
 * after each test). `stats --markdown` onto its own input is refused like every other output.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultOutputPath } from '../../../src/core/convert/convertFile';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { LabelingSession } from '../../../src/core/labeling/session';
import { start, type TestServer } from '../../support/openaiTestServer';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const candidatesFixture = path.join(root, 'test', 'fixtures', 'workspace', 'labeling', 'chat.candidates.jsonl');

/** Spawns the bundle without blocking this process (the test server answers from it). */
function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, PAIRWISE_LANG: 'en', OPENAI_API_KEY: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every file under `dir` (names, modes and contents), as one hash. */
function hashTree(dir: string): string {
  const h = createHash('sha256');
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const p = path.join(e.parentPath, e.name);
    const st = fs.lstatSync(p);
    h.update(`${path.relative(dir, p)}\0${st.mode}\0`);
    if (st.isFile()) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

const alpaca = (i: number) => JSON.stringify({ instruction: `Question ${i} about $(touch /tmp/pwned)`, input: '', output: `Answer ${i}` });

describe('pairwise CLI never writes through a planted link (dist/cli.js, spawned)', function () {
  this.timeout(60_000);
  let base: string;
  let ws: string;
  let home: string;
  let bashrc: string;
  let sentinel: string;
  let data: string;

  before(() => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
  });
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-links-'));
    ws = path.join(base, 'workspace');
    home = path.join(base, 'home');
    fs.mkdirSync(ws);
    fs.mkdirSync(home);
    bashrc = path.join(home, '.bashrc');
    fs.writeFileSync(bashrc, '# the user’s shell start-up\n');
    fs.mkdirSync(path.join(home, 'configs'));
    data = path.join(ws, 'data.jsonl');
    fs.writeFileSync(data, [1, 2, 3, 4, 5, 1].map(alpaca).join('\n') + '\n');
    sentinel = hashTree(home);
  });
  afterEach(() => {
    assert.equal(hashTree(home), sentinel, 'nothing outside the workspace changed');
    fs.rmSync(base, { recursive: true, force: true });
  });

  /** A link in the workspace named `name`, to the user's .bashrc (or `target`). */
  const plant = (name: string, target = bashrc): string => {
    const link = path.join(ws, name);
    fs.symlinkSync(target, link);
    return link;
  };
  const refused = (r: { code: number; stderr: string }, link: string): void => {
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(link), `the message names ${link}: ${r.stderr}`);
    assert.match(r.stderr, /is a symbolic link; Pairwise never writes through a link/);
  };
  const noTemps = (): void => assert.deepEqual(fs.readdirSync(ws).filter((n) => n.endsWith('.tmp') || n.startsWith('.pairwise-commit')), []);

  it('convert, sample and merge refuse a linked output', async () => {
    const convertOut = plant(path.basename(defaultOutputPath(data, 'sharegpt')));
    refused(await run('convert', data, '--to', 'sharegpt'), convertOut);
    refused(await run('sample', data, '-n', '2', '-o', plant('sampled.jsonl')), path.join(ws, 'sampled.jsonl'));
    refused(await run('merge', data, data, '--to', 'alpaca', '-o', plant('merged.jsonl', path.join(home, 'new-file'))), path.join(ws, 'merged.jsonl'));
    noTemps();
  });

  it('split, dedupe and filter refuse a set with one linked output, and write none of its outputs', async () => {
    const validation = plant('data.validation.jsonl');
    refused(await run('split', data, '--ratios', '0.5,0.5'), validation);
    assert.equal(fs.existsSync(path.join(ws, 'data.train.jsonl')), false);
    const report = plant('data.dedup-report.jsonl');
    refused(await run('dedupe', data), report);
    assert.equal(fs.existsSync(path.join(ws, 'data.dedup.jsonl')), false);
    const removed = plant('data.removed.jsonl');
    refused(await run('filter', data, '--max-tokens', '5'), removed);
    assert.equal(fs.existsSync(path.join(ws, 'data.kept.jsonl')), false);
    noTemps();
  });

  it('stats --markdown refuses a linked report, and its own input (exit 2, the dataset unchanged)', async () => {
    refused(await run('stats', data, '--markdown', plant('report.md')), path.join(ws, 'report.md'));
    const before = fs.readFileSync(data, 'utf8');
    const self = await run('stats', data, '--markdown', data);
    assert.equal(self.code, 2, self.stderr);
    assert.match(self.stderr, /the output .*data\.jsonl is an input; inputs are never overwritten/);
    assert.equal(fs.readFileSync(data, 'utf8'), before);
  });

  it('register refuses a linked dataset_info.json; train-config a linked config and a linked output folder', async () => {
    const info = plant('dataset_info.json');
    const r = await run('register', data);
    refused(r, info);
    assert.ok(!r.stderr.includes('shell start-up'), 'the link target is not read into the message');
    fs.rmSync(info);
    const outDir = path.join(ws, 'train');
    fs.mkdirSync(outDir);
    const yaml = path.join(outDir, 'llamafactory_sft_lora.yaml');
    fs.symlinkSync(bashrc, yaml);
    refused(await run('train-config', data, '--trainer', 'llamafactory', '--method', 'sft', '--model', 'Qwen/Qwen2.5-0.5B', '--finetuning', 'lora', '--out-dir', outDir, '--force'), yaml);
    const linkedDir = plant('configs', path.join(home, 'configs'));
    refused(await run('train-config', data, '--trainer', 'axolotl', '--method', 'sft', '--model', 'Qwen/Qwen2.5-0.5B', '--out-dir', linkedDir), linkedDir);
  });

  it('export refuses a linked output; a label log planted as a link is refused by the labeling session', async () => {
    const input = path.join(ws, 'chat.candidates.jsonl');
    fs.copyFileSync(candidatesFixture, input);
    const log = path.join(ws, 'alice.labels.jsonl');
    const queue = await CandidatesPairQueue.open(input);
    try {
      const s = await LabelingSession.open({ queue, logPath: log, annotator: 'alice' });
      await s.decide('left');
      await s.close();
      const linkedLog = plant('bob.labels.jsonl');
      await assert.rejects(LabelingSession.open({ queue, logPath: linkedLog, annotator: '$(touch /tmp/pwned)' }), /is a symbolic link; Pairwise never writes through a link/);
    } finally {
      await queue.close();
    }
    refused(await run('export', input, '--logs', log, '--to', 'trl-preference', '-o', plant('prefs.jsonl')), path.join(ws, 'prefs.jsonl'));
    // An output folder created inside a planted folder link would land outside.
    const linkedDir = plant('exports', path.join(home, 'configs'));
    refused(await run('export', input, '--logs', log, '--to', 'trl-preference', '-o', path.join(linkedDir, 'new', 'prefs.jsonl')), linkedDir);
    const info = plant('dataset_info.json');
    const r = await run('export', input, '--logs', log, '--to', 'sharegpt-preference', '-o', path.join(ws, 'prefs-sharegpt.json'));
    refused(r, info);
    assert.ok(!r.stderr.includes('shell start-up'), 'the link target is not read into the message');
  });

  describe('generation', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await start();
    });
    afterEach(async () => {
      await server.close();
    });
    const chats = () => server.requests.filter((q) => q.url === '/v1/chat/completions').length;

    it('generate refuses a linked candidates file, progress journal or failures log, before any request', async () => {
      const candidates = plant('data.candidates.jsonl');
      refused(await run('generate', data, '--base-url', server.baseURL, '--model', 'test-model-a'), candidates);
      fs.rmSync(candidates);
      // Both are written only once some request has been answered: they are refused before the first.
      const progress = plant('data.candidates.jsonl.progress.jsonl');
      refused(await run('generate', data, '--base-url', server.baseURL, '--model', 'test-model-a', '--model', 'test-model-b'), progress);
      fs.rmSync(progress);
      const failures = plant('data.candidates.jsonl.failures.jsonl');
      refused(await run('generate', data, '--base-url', server.baseURL, '--model', 'test-model-a'), failures);
      assert.equal(chats(), 0);
    });

    it('judge refuses linked judgements, synth a linked rejected report or progress log', async () => {
      const input = path.join(ws, 'chat.candidates.jsonl');
      fs.copyFileSync(candidatesFixture, input);
      const judgements = plant('chat.candidates.judgements.jsonl');
      refused(await run('judge', input, '--base-url', server.baseURL, '--model', 'judge-model'), judgements);
      assert.equal(chats(), 0);
      const synth = () => run('synth', data, '--topic', 'cooking', '--count', '2', '--base-url', server.baseURL, '--model', 'test-model-a');
      const progress = plant('data.synthetic.progress.jsonl');
      refused(await synth(), progress);
      fs.rmSync(progress);
      // Written only when a reply is rejected: refused before the first request all the same.
      const rejected = plant('data.synthetic.rejected.jsonl');
      refused(await synth(), rejected);
      assert.equal(chats(), 0);
    });
  });
});
