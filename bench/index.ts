/**
 * Runs every benchmark (`out/bench/*.bench.js`, each exporting `run(): Promise<BenchRow[]>`), prints
 * one table and writes BENCHMARKS.md with the machine it ran on.
 *   npm run bench                      all benchmarks
 *   node out/bench/index.js validate   only those whose file name contains "validate"
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow } from './benchRow';

const ROOT = path.resolve(__dirname, '..', '..');

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : '**no**';
  return String(v);
}

function table(rows: BenchRow[]): string {
  const head = ['benchmark', 'metric', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass'];
  const lines = rows.map((r) => [r.benchmark, r.metric, cell(r.value), r.unit, r.baseline === undefined ? '' : `${r.baseline} (${r.baselineName ?? 'baseline'})`, cell(r.ratio), cell(r.target), cell(r.pass)]);
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const l of lines) out.push(`| ${l.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return out.join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores)`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} ${os.arch()}`,
    `- Node: ${process.version}`,
    // The machine is shared: the load says how much of it the figures had.
    `- Load average at the end (1/5/15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
    `- Date: ${new Date().toISOString()}`,
    `- BENCH_SIZE_MB: ${process.env.BENCH_SIZE_MB ?? '(default)'}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = __dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
    .sort();
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const f of files) {
    process.stderr.write(`running ${f}…\n`);
    const t0 = Date.now();
    try {
      const mod = (await import(path.join(dir, f))) as { run?: () => Promise<BenchRow[]> };
      if (typeof mod.run !== 'function') throw new Error('exports no run()');
      const got = await mod.run();
      rows.push(...got);
      process.stderr.write(`  ${got.length} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      failures.push(`${f}: ${e instanceof Error ? e.message : String(e)}`);
      process.stderr.write(`  failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  const md = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/index.ts). Each figure is measured against its baseline in the same run, on this machine:',
    '',
    machine(),
    '',
    table(rows),
    '',
    ...(failures.length ? ['## Benchmarks that failed', '', ...failures.map((f) => `- ${f}`), ''] : []),
  ].join('\n');
  console.log(table(rows));
  if (failures.length) console.log('\nfailed:\n' + failures.join('\n'));
  // A filtered run prints only; the file records full runs.
  if (!filter) fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
  if (failures.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
