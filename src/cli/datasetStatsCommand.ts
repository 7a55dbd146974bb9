/** `pairwise stats`: the full statistics report of one dataset file (src/core/curate/computeStats). */
import { parseArgs } from 'node:util';
import { computeStats, type StatsReport, type StatsResult, type TokenMode, statsToMarkdown } from '../core/curate';
import type { Distribution, PriceMap } from '../core/curate';
import { writeFileAtomic, refuseUnsafeOutputs } from '../core/jsonl';
import { cannot, intOption } from './curateArgs';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';

export const DATASET_STATS_HELP = l10n.t(`Usage: pairwise stats FILE [--json] [--markdown OUT] [--context N] [--epochs N]
                      [--model ID] [--price MODEL=USD_PER_1M ...] [--tokens exact|estimate|auto]

Statistics of a dataset: records, format, problems by rule, turns per record, characters and
tokens per role (min, p5, median, mean, p95, max), histograms, records over the context limit, a
training-cost estimate, chosen/rejected length balance (preference data), KTO label counts,
scripts present and the most frequent first words of prompts. Figures count valid records.

Options:
  --json              print the report as JSON
  --markdown OUT      also write the report as Markdown with SVG charts to OUT
  --context N         context limit in tokens (default 4096)
  --epochs N          epochs for the cost estimate (default: OpenAI cookbook rule)
  --model ID          count with this model's tokenizer (non-OpenAI models: approximate)
  --price M=P         training price per 1M tokens for model M (repeatable)
  --tokens MODE       exact, estimate (sampled exact counts, the rest from characters), or
                      auto (exact up to 64 MB; default)
  --format ID         the file's format instead of detecting it

Exit codes: 0 report printed, 2 bad usage or an unreadable file.
`);

function parsePrices(values: string[] | undefined): PriceMap | undefined {
  if (!values || values.length === 0) return undefined;
  const out: PriceMap = {};
  for (const v of values) {
    const m = /^(.+)=([0-9]*\.?[0-9]+)$/.exec(v);
    if (!m) throw new UsageError(l10n.t('--price takes MODEL=PRICE_PER_1M_TOKENS, not "{0}"', v));
    out[m[1]] = { trainingPerMTok: Number(m[2]) };
  }
  return out;
}

function f(n: number): string {
  return (Number.isInteger(n) ? String(n) : n.toFixed(1)).padStart(8);
}

function row(label: string, d: Distribution, width: number): string {
  return `  ${label.padEnd(width)} ${f(d.min)} ${f(d.p5)} ${f(d.median)} ${f(d.mean)} ${f(d.p95)} ${f(d.max)}   (${d.count})\n`;
}

export function humanStats(r: StatsReport): string {
  const out: string[] = [];
  out.push(`${r.path}\n`);
  out.push(l10n.t('  records   {0} ({1} valid)', r.records, r.validRecords) + '\n');
  out.push(l10n.t('  format    {0} ({1})', r.format ?? l10n.t('unknown'), r.detection.evidence) + '\n');
  out.push(l10n.t('  problems  {0}, {1}, {2} info', count.errors(r.problems.error), count.warnings(r.problems.warning), r.problems.info) + '\n');
  for (const [rule, n] of Object.entries(r.problems.byRule).sort((a, b) => b[1] - a[1])) out.push(`    ${rule.padEnd(40)} ${n}\n`);
  const t = r.tokens;
  out.push(l10n.t('  tokens    {0}{1}, {2}{3}', t.tokenizer, t.model ? ` (${t.model})` : '', t.mode, t.approximate ? l10n.t(', approximate') : '') + '\n');
  const keys = [...Object.keys(r.charsByRole).map((k) => `chars ${k}`), ...Object.keys(r.tokensByRole).map((k) => `tokens ${k}`)];
  const width = Math.max(18, ...keys.map((k) => k.length));
  out.push(l10n.t('  {0} {1}   (count)', ''.padEnd(width), ['min', 'p5', 'median', 'mean', 'p95', 'max'].map((h) => h.padStart(8)).join(' ')) + '\n');
  out.push(row('turns/record', r.turnsPerRecord, width));
  out.push(row('tokens/record', r.tokensPerRecord, width));
  for (const [k, d] of Object.entries(r.charsByRole)) out.push(row(`chars ${k}`, d, width));
  for (const [k, d] of Object.entries(r.tokensByRole)) out.push(row(`tokens ${k}`, d, width));
  out.push(l10n.t('  over {0} tokens: {1}{2}', r.contextLimit.limit, r.contextLimit.over, r.contextLimit.over > 0 ? l10n.t(' (records {0}{1})', r.contextLimit.records.slice(0, 10).join(', '), r.contextLimit.over > 10 ? ', …' : '') : '') + '\n');
  out.push(l10n.t('  training tokens: {0} per epoch × {1} epochs = {2}', r.cost.billingTokensPerEpoch, r.cost.epochs, r.cost.trainingTokens) + '\n');
  for (const c of r.cost.costs) out.push(l10n.t('    {0}: {1} ({2} per 1M)', c.model, c.cost.toFixed(2), c.trainingPerMTok) + '\n');
  if (r.preference) out.push(l10n.t('  chosen longer than rejected: {0} of {1} ({2}%)', r.preference.chosenLonger, r.preference.pairs, (r.preference.chosenLongerShare * 100).toFixed(1)) + '\n');
  if (r.kto) out.push(l10n.t('  KTO labels: {0} true, {1} false', r.kto.desirable, r.kto.undesirable) + '\n');
  out.push(l10n.t('  scripts: {0}', r.languages.map((l) => `${l.script} ${l.records}`).join(', ') || l10n.t('none')) + '\n');
  out.push(l10n.t('  first words: {0}', r.firstWords.map((w) => `${w.word} ${w.count}`).join(', ') || l10n.t('none')) + '\n');
  return out.join('');
}

export async function datasetStatsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      markdown: { type: 'string' },
      context: { type: 'string' },
      epochs: { type: 'string' },
      model: { type: 'string' },
      price: { type: 'string', multiple: true },
      tokens: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(DATASET_STATS_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('stats needs exactly one FILE'));
  const tokenMode = values.tokens ?? 'auto';
  if (!['exact', 'estimate', 'auto'].includes(tokenMode)) throw new UsageError(l10n.t('--tokens takes exact, estimate or auto, not "{0}"', tokenMode));
  const file = positionals[0];
  // Like every other command: an output that is the input is refused before anything is read.
  if (values.markdown) refuseUnsafeOutputs([file], [values.markdown]);
  const bar = new ProgressBar(io.errStream, file);
  let stats: StatsResult;
  try {
    stats = await computeStats(file, {
      contextLimit: intOption(values.context, '--context', 1),
      epochs: intOption(values.epochs, '--epochs', 1),
      model: values.model,
      prices: parsePrices(values.price),
      tokenMode: tokenMode as TokenMode,
      format: parseFormatOption(values.format, '--format'),
      onProgress: (d, t) => bar.update(d, t),
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(cannot('read', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if (values.markdown) await writeFileAtomic(values.markdown, statsToMarkdown(stats.report));
  io.out(values.json ? JSON.stringify(stats.report, null, 2) + '\n' : humanStats(stats.report));
  return EXIT_OK;
}
