/**
 * Runs every benchmark (`out/bench/*.bench.js`, each exporting `run(): Promise<BenchRow[]>`), prints
 * one table and writes BENCHMARKS.md with the machine it ran on.
 *   npm run bench                      all benchmarks
 *   node out/bench/index.js validate   only those whose file name contains "validate"; their
 *                                      sections of BENCHMARKS.md are replaced, the others kept
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow } from './benchRow';

const ROOT = path.resolve(__dirname, '..', '..');
// Worker threads from the bundles the CLI and the extension start (dist/), not the transpiled
// out/ files, which load several times slower; the measuring children inherit the setting.
process.env.PAIRWISE_WORKER_DIR ??= path.join(ROOT, 'dist');

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
  ].join('\n');
}

/** When and under what load a section ran: the machine is shared, so the load says how much of it the figures had. */
function runLine(): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return `Run ${new Date().toISOString()}; load average at the end (1/5/15 min) ${load}; BENCH_SIZE_MB ${process.env.BENCH_SIZE_MB ?? '(default)'}.`;
}

const HEADER = '# Benchmarks';
const sectionTitle = (file: string) => `## ${file.replace(/\.bench\.js$/, '')} (bench/${file.replace(/\.js$/, '.ts')})`;

/** The sections of an existing BENCHMARKS.md, by title, in order. */
function readSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = md.split(/^(?=## )/m).slice(1);
  for (const p of parts) {
    const title = p.slice(0, p.indexOf('\n'));
    if (/\(bench\/.+\.bench\.ts\)$/.test(title)) out.set(title, p.trimEnd());
  }
  return out;
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = __dirname;
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .sort();
  const files = all.filter((f) => !filter || f.includes(filter));
  const mdPath = path.join(ROOT, 'BENCHMARKS.md');
  // A filtered run replaces only its own sections; the others keep the run they came from.
  const sections = filter && fs.existsSync(mdPath) ? readSections(fs.readFileSync(mdPath, 'utf8')) : new Map<string, string>();
  const failures: string[] = [];
  for (const f of files) {
    process.stderr.write(`running ${f}…\n`);
    const t0 = Date.now();
    try {
      const mod = (await import(path.join(dir, f))) as { run?: () => Promise<BenchRow[]> };
      if (typeof mod.run !== 'function') throw new Error('exports no run()');
      const got = await mod.run();
      process.stderr.write(`  ${got.length} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      console.log(`\n${sectionTitle(f)}\n${table(got)}`);
      sections.set(sectionTitle(f), `${sectionTitle(f)}\n\n${runLine()}\n\n${table(got)}`);
    } catch (e) {
      failures.push(`${f}: ${e instanceof Error ? e.message : String(e)}`);
      process.stderr.write(`  failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  const ordered = all.map(sectionTitle).filter((t) => sections.has(t)).map((t) => sections.get(t)!);
  const md = [
    HEADER,
    '',
    'Written by `npm run bench` (bench/index.ts). Each figure is measured against its baseline in the same run, on this machine;',
    'each section says when it ran and under what load (`node out/bench/index.js NAME` reruns the sections whose file name contains NAME).',
    '',
    machine(),
    '',
    ...ordered.flatMap((s) => [s, '']),
    ...(failures.length ? ['## Benchmarks that failed', '', ...failures.map((f) => `- ${f}`), ''] : []),
  ].join('\n');
  if (failures.length) console.log('\nfailed:\n' + failures.join('\n'));
  fs.writeFileSync(mdPath, md);
  if (failures.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
