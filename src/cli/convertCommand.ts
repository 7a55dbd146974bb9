/** `pairwise convert`: one file to another format, refusing (unless --allow-lossy) to lose anything. */
import { parseArgs } from 'node:util';
import { convertFile, type ConvertResult } from '../core/convert';
import { describeFsError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { CONVERT_HELP } from './usage';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';

const LISTED = 20;

function lossReport(input: string, r: ConvertResult): string {
  const lines: string[] = [];
  for (const l of r.losses.slice(0, LISTED)) lines.push(`${input}${l.line ? `:${l.line}` : ''}: ${l.field}: ${l.reason}\n`);
  const total = Object.values(r.lossCounts).reduce((a, b) => a + b, 0);
  if (total > LISTED) lines.push(l10n.t('… {0} more', total - LISTED) + '\n');
  const byField = Object.entries(r.lossCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `  ${f}: ${n}\n`);
  if (byField.length > 0) lines.push(l10n.t('losses by field:') + '\n', ...byField);
  return lines.join('');
}

export async function convertCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      to: { type: 'string' },
      out: { type: 'string', short: 'o' },
      from: { type: 'string' },
      'allow-lossy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(CONVERT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('convert needs exactly one input file'));
  const to = parseFormatOption(values.to, '--to');
  if (!to) throw new UsageError(l10n.t('convert needs --to ID'));
  const from = parseFormatOption(values.from, '--from');
  const input = positionals[0];
  let r: ConvertResult;
  try {
    const run = await runInterruptible(io, 'convert', (signal) => convertFile(input, { to, from, out: values.out, allowLossy: values['allow-lossy'] ?? false, signal }));
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    io.err(l10n.t('pairwise: cannot convert {0}: {1}', input, describeFsError(e)) + '\n');
    return EXIT_USAGE;
  }
  const report = lossReport(input, r);
  if (!r.out) {
    io.err(report + l10n.t('pairwise: conversion refused: {0}', String(r.refused)) + '\n');
    return EXIT_FINDINGS;
  }
  if (report) io.err(report);
  const dropped = r.droppedRecords > 0 ? l10n.t(', {0} dropped', count.records(r.droppedRecords)) : '';
  const lossy = r.lossyRecords > 0 ? l10n.t(', {0} with losses', count.records(r.lossyRecords)) : '';
  io.out(l10n.t('{0}: converted {1} of {2} from {3} to {4}{5}{6} -> {7}', input, r.written, count.records(r.records), String(r.from), r.to, dropped, lossy, r.out) + '\n');
  return EXIT_OK;
}
