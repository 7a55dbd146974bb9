import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLabelLog } from '../../../src/core/labeling/decisionLog';
import { seededRandomFromString } from '../../../src/core/base/random';

const child = path.resolve(__dirname, '..', '..', 'fixtures', 'labeling', 'crashChild.js');

/**
 * Runs the child until it has reported `minSaved` saves, then SIGKILLs it `delayMs` later; with
 * `aimAtBigWrite`, the delay starts when the child announces its next large write instead.
 */
function runAndKill(logPath: string, round: number, minSaved: number, delayMs: number, aimAtBigWrite: boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, logPath, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const saved: string[] = [];
    let buf = '';
    let err = '';
    let armed = false;
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('saved ')) saved.push(line.slice(6));
        if (!armed && aimAtBigWrite && saved.length >= minSaved && line.startsWith('writing-big ')) {
          armed = true;
          setTimeout(() => p.kill('SIGKILL'), delayMs);
        }
      }
      if (!armed && !aimAtBigWrite && saved.length >= minSaved) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.on('error', reject);
    p.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${err}`));
      else resolve(saved);
    });
  });
}

describe('labeling: crash safety of the label log', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-crash-'));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('every decision reported saved survives SIGKILL at random moments; torn lines are reported, earlier decisions intact', async () => {
    const logPath = path.join(dir, 'crash.labels.jsonl');
    const rnd = seededRandomFromString('crash-test');
    const allSaved: string[] = [];
    let tornSeen = 0;
    for (let round = 0; round < 8; round++) {
      const aim = round % 2 === 1;
      const saved = await runAndKill(logPath, round, 1 + Math.floor(rnd() * 8), Math.floor(rnd() * (aim ? 4 : 60)), aim);
      allSaved.push(...saved);
      const text = await fsp.readFile(logPath);
      const { records, problems } = await readLabelLog(logPath);
      const ids = new Set(records.map((r) => r.id));
      for (const id of allSaved) assert.ok(ids.has(id), `round ${round}: decision ${id} was reported saved but is not in the log`);
      // The log holds exactly what was acknowledged, plus at most the one append in flight at the kill.
      assert.ok(records.length - allSaved.length <= round + 1, `round ${round}: ${records.length} records for ${allSaved.length} saves`);
      const lines = text.toString('utf8').split('\n');
      const endsClean = text.length === 0 || text[text.length - 1] === 0x0a;
      if (!endsClean) {
        tornSeen++;
        const torn = problems.find((p) => p.kind === 'torn');
        assert.ok(torn, `round ${round}: file ends mid-line but no torn line reported`);
        assert.equal(torn.line, lines.length);
      }
      // Torn lines of earlier rounds stay where they were, isolated on their own lines.
      for (const p of problems) assert.ok(p.kind === 'torn' || p.kind === 'invalid');
      assert.ok(problems.filter((p) => p.kind === 'torn').length <= 1);
    }
    assert.ok(allSaved.length >= 6);
    // Not asserted (timing-dependent), but useful when reading the test output.
    if (process.env.PW_VERBOSE) console.log(`torn last lines seen: ${tornSeen}`);
  });
});
