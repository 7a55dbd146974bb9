/** `pairwise stats`: basic statistics of one dataset file. */
import { parseArgs } from 'node:util';
import { validateFile, type ValidationResult } from '../core/validate/pipeline';
import { BasicStats, type Summary } from './basicStats';
import { describeFsError, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { STATS_HELP } from './usage';
import { plural } from './validateCommand';

function row(label: string, s: Summary, width: number): string {
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1)).padStart(8);
  return `  ${label.padEnd(width)} ${f(s.min)} ${f(s.median)} ${f(s.mean)} ${f(s.max)}   (${s.count})\n`;
}

export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    io.out(STATS_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('stats needs exactly one FILE');
  const file = positionals[0];
  const stats = new BasicStats();
  const bar = new ProgressBar(io.errStream, file);
  let r: ValidationResult;
  try {
    r = await validateFile(file, {
      onProgress: (d, t) => bar.update(d, t),
      onRecord: (rec, valid, format) => {
        if (valid && format && rec.value) stats.add(format.toCanonical(rec.value));
      },
    });
  } catch (e) {
    io.err(`pairwise: cannot read ${file}: ${describeFsError(e)}\n`);
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  const chars = stats.charsByRole();
  const turns = stats.turns.summary();
  if (values.json) {
    const doc = {
      path: file,
      format: r.format ?? null,
      detection: r.detection,
      records: r.records,
      validRecords: stats.counted,
      problems: { ...r.bySeverity, byRule: r.problemCounts },
      turns,
      chars,
    };
    io.out(JSON.stringify(doc, null, 2) + '\n');
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(`${file}\n`);
  out.push(`  records   ${r.records} (${stats.counted} valid)\n`);
  out.push(`  format    ${r.format ?? 'unknown'} (${r.detection.evidence})\n`);
  out.push(`  problems  ${plural(r.bySeverity.error, 'error')}, ${plural(r.bySeverity.warning, 'warning')}, ${r.bySeverity.info} info\n`);
  for (const [rule, n] of Object.entries(r.problemCounts).sort((a, b) => b[1] - a[1])) out.push(`    ${rule.padEnd(40)} ${n}\n`);
  const width = Math.max(16, ...Object.keys(chars).map((k) => k.length + 6));
  out.push(`  ${''.padEnd(width)} ${'min'.padStart(8)} ${'median'.padStart(8)} ${'mean'.padStart(8)} ${'max'.padStart(8)}   (count)\n`);
  out.push(row('turns/record', turns, width));
  for (const [role, s] of Object.entries(chars)) out.push(row(`chars ${role}`, s, width));
  io.out(out.join(''));
  return EXIT_OK;
}
