/** The real `pairwise` bundle on Parquet files: hyparquet must load from dist/cli.js as it does from out/. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise CLI on Parquet', function () {
  // A guard against a hang, not a time limit.
  this.timeout(120_000);
  let dir: string;
  before(() => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-pq-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validate reads an alpaca Parquet file of several row groups, and points at the bad row', () => {
    const n = 30;
    const f = path.join(dir, 'a.parquet');
    const output = Array.from({ length: n }, (_, i) => (i === 11 ? null : `answer ${i}`));
    fs.writeFileSync(
      f,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'instruction', data: Array.from({ length: n }, (_, i) => `question ${i}`), type: 'STRING' },
            { name: 'output', data: output, type: 'STRING' },
          ],
          rowGroupSize: 7,
        }),
      ),
    );
    const r = run('validate', f);
    assert.match(r.stdout, /30 records, alpaca/, r.stdout + r.stderr);
    const stats = run('stats', f);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /records\s+30 \(29 valid\)/, stats.stdout);
    assert.match(r.stdout, new RegExp(`${f.replace(/[.\\]/g, '\\$&')}:12:`), 'the problem of row 12 is placed on "line" 12');
  });

  it('validate reports a file that is not Parquet and exits 1', () => {
    const f = path.join(dir, 'bad.parquet');
    fs.writeFileSync(f, 'PAR1 this is not parquet');
    const r = run('validate', f);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /parquet\/unreadable/);
  });
});
