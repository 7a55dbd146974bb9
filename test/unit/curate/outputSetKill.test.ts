/**
 * Output sets are replaced all or nothing. A real child process runs split, dedupe or filter over
 * a folder that holds the previous run's outputs and is SIGKILLed at a point of the commit (temps
 * durable with no journal yet, or between two renames); afterwards the next Pairwise run in that
 * folder (or a reader calling recoverOutputSets) must find the whole old set or the whole new set,
 * never a mix, and no temp or journal left behind.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dedupeFile } from '../../../src/core/curate/dedupe';
import { filterFile } from '../../../src/core/curate/filter';
import { splitFile } from '../../../src/core/curate/split';
import { recoverOutputSets } from '../../../src/core/jsonl/commitJournal';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const child = path.join(root, 'out', 'test', 'support', 'killedCommitChild.js');
const cli = path.join(root, 'dist', 'cli.js');

type Command = 'split' | 'dedupe' | 'filter';
const OUTPUTS: Record<Command, string[]> = {
  split: ['data.train.jsonl', 'data.validation.jsonl', 'data.test.jsonl'],
  dedupe: ['data.dedup.jsonl', 'data.dedup-report.jsonl'],
  filter: ['data.kept.jsonl', 'data.removed.jsonl'],
};

/** 40 alpaca records: exact and near duplicates, answers of growing length. */
function dataset(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const words = Array.from({ length: 8 + (i % 7) * 3 }, (_, k) => `word${(i * 7 + k) % 23}`).join(' ');
    const instruction = i % 5 === 4 ? `Describe item ${i - 1} in plain words please` : `Describe item ${i} in plain words please`;
    lines.push(JSON.stringify({ instruction, input: '', output: i % 9 === 8 ? 'same answer' : words }));
  }
  return lines.join('\n') + '\n';
}

/** The same run in-process, on a copy of the input in its own folder: what its outputs hold. */
async function runIn(dir: string, command: Command, seed: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'data.jsonl');
  fs.writeFileSync(input, dataset());
  if (command === 'split') await splitFile(input, { ratios: [0.5, 0.3, 0.2], seed });
  else if (command === 'dedupe') await dedupeFile(input, { near: seed !== 1, threshold: 0.5 });
  else await filterFile(input, { criteria: { maxTokens: seed * 6 } });
  return OUTPUTS[command].map((n) => fs.readFileSync(path.join(dir, n), 'utf8'));
}

/** Spawns the child on `dir`, waits until it pauses at `stopAt`, SIGKILLs it. */
async function killAt(dir: string, command: Command, stopAt: number): Promise<string> {
  const p = spawn(process.execPath, [child, command, path.join(dir, 'data.jsonl'), String(stopAt), '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => p.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('paused')) resolve();
      else if (out.includes('finished')) reject(new Error('the child finished without pausing'));
    });
    p.on('exit', () => reject(new Error(`the child exited before pausing: ${err}`)));
  });
  p.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  return out.trim();
}

function generationOf(dir: string, command: Command, old: string[], fresh: string[]): 'old' | 'new' | 'mixed' {
  const now = OUTPUTS[command].map((n) => fs.readFileSync(path.join(dir, n), 'utf8'));
  if (now.every((t, i) => t === old[i])) return 'old';
  if (now.every((t, i) => t === fresh[i])) return 'new';
  return 'mixed';
}

describe('output sets: a kill between the renames leaves the old set or the new set', function () {
  this.timeout(60_000);
  let base: string;
  const expected = new Map<Command, { old: string[]; fresh: string[] }>();

  before(async () => {
    if (!fs.existsSync(child) || !fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-outputset-'));
    for (const c of Object.keys(OUTPUTS) as Command[]) {
      const old = await runIn(path.join(base, `${c}-ref-old`), c, 1);
      const fresh = await runIn(path.join(base, `${c}-ref-new`), c, 2);
      assert.ok(old.every((t, i) => t !== fresh[i]), `${c}: the two runs write different contents into every output`);
      expected.set(c, { old, fresh });
    }
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const cases: { command: Command; stopAt: number; next: 'reader' | 'cli' }[] = [
    { command: 'split', stopAt: 0, next: 'cli' },
    { command: 'split', stopAt: 1, next: 'reader' },
    { command: 'split', stopAt: 2, next: 'cli' },
    { command: 'dedupe', stopAt: 1, next: 'cli' },
    { command: 'filter', stopAt: 1, next: 'reader' },
  ];
  for (const { command, stopAt, next } of cases) {
    it(`${command} killed ${stopAt === 0 ? 'before its journal' : `after rename ${stopAt}`}: the ${next === 'cli' ? 'next CLI run in the folder' : 'reader'} finds one whole set`, async () => {
      const dir = path.join(base, `${command}-${stopAt}`);
      const { old, fresh } = expected.get(command)!;
      assert.deepEqual(await runIn(dir, command, 1), old, 'the previous run’s set');
      const said = await killAt(dir, command, stopAt);
      assert.match(said, stopAt === 0 ? /before the journal/ : new RegExp(`after rename ${stopAt} of ${OUTPUTS[command].length}`));
      if (stopAt > 0) assert.equal(generationOf(dir, command, old, fresh), 'mixed', 'the kill did land between two renames');

      if (next === 'reader') await recoverOutputSets(dir);
      else {
        // Another command writing into the folder: `pairwise sample` is the next run here.
        execFileSync(process.execPath, [cli, 'sample', path.join(dir, 'data.jsonl'), '-n', '3', '-o', path.join(dir, 'sampled.jsonl')], { stdio: 'ignore' });
      }
      assert.equal(generationOf(dir, command, old, fresh), stopAt === 0 ? 'old' : 'new');
      const left = fs.readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.startsWith('.pairwise-commit'));
      assert.deepEqual(left, [], 'no temp or journal of the killed run is left');
    });
  }
});
