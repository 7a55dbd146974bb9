/** The statistics report as Markdown, with the histograms as inline SVG charts. */
import type { StatsReport } from './computeStats';
import type { Histogram } from './histogram';
import type { Distribution } from './numericSeries';
import { escapeXml, svgBarChart, type BarDatum } from './svgBarChart';
import * as l10n from '@vscode/l10n';

/** Markdown table cells: escapes pipes, backticks and HTML. */
function cell(s: string): string {
  return escapeXml(s).replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/\r?\n/g, ' ');
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function histogramBars(h: Histogram): BarDatum[] {
  return h.bins.map((b) => ({ label: b.to - b.from === 1 ? String(b.from) : `${b.from}–${b.to}`, value: b.count }));
}

function distTable(rows: [string, Distribution][]): string[] {
  const out = ['| | count | min | p5 | median | mean | p95 | max |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [k, d] of rows) out.push(`| ${cell(k)} | ${fmt(d.count)} | ${fmt(d.min)} | ${fmt(d.p5)} | ${fmt(d.median)} | ${fmt(d.mean)} | ${fmt(d.p95)} | ${fmt(d.max)} |`);
  return out;
}

export function statsToMarkdown(r: StatsReport): string {
  const out: string[] = [];
  out.push(`# Dataset statistics: ${cell(r.path)}`, '');
  out.push(`- Format: **${cell(r.format ?? 'unknown')}** (${cell(r.detection.evidence)})`);
  out.push(`- Records: ${fmt(r.records)} (${fmt(r.validRecords)} valid; figures below count valid records)`);
  out.push(`- Problems: ${fmt(r.problems.error)} errors, ${fmt(r.problems.warning)} warnings, ${fmt(r.problems.info)} info`);
  const tk = r.tokens;
  out.push(`- Tokens: ${cell(tk.tokenizer)}${tk.model ? ` for ${cell(tk.model)}` : ''}, ${tk.mode === 'exact' ? 'exact counts' : `estimated (${fmt(tk.exactRecords)} records counted exactly)`}${tk.approximate ? ', approximate' : ''}; ${cell(tk.note)}`);
  out.push('');
  const rules = Object.entries(r.problems.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) {
    out.push('## Problems by rule', '', '| rule | count |', '|---|---:|');
    for (const [rule, n] of rules) out.push(`| ${cell(rule)} | ${fmt(n)} |`);
    out.push('');
  }
  out.push('## Lengths', '');
  out.push(...distTable([['turns per record', r.turnsPerRecord], ['tokens per record', r.tokensPerRecord]]));
  out.push('', '### Characters per message, by role', '');
  out.push(...distTable(Object.entries(r.charsByRole)));
  out.push('', '### Tokens per message, by role', '');
  out.push(...distTable(Object.entries(r.tokensByRole)));
  out.push('', '## Charts', '');
  out.push(svgBarChart(histogramBars(r.histograms.tokensPerRecord), { title: l10n.t('Tokens per record'), xLabel: 'tokens' }), '');
  out.push(svgBarChart(histogramBars(r.histograms.turnsPerRecord), { title: l10n.t('Turns per record'), xLabel: 'turns' }), '');
  out.push('## Context limit and cost', '');
  out.push(`- Records over ${fmt(r.contextLimit.limit)} tokens: ${fmt(r.contextLimit.over)}${r.contextLimit.over > 0 ? ` (first: records ${r.contextLimit.records.slice(0, 10).map((i) => `#${i}`).join(', ')})` : ''}`);
  out.push(`- Billing tokens per epoch: ${fmt(r.cost.billingTokensPerEpoch)}; epochs: ${fmt(r.cost.epochs)}; training tokens: ${fmt(r.cost.trainingTokens)}`);
  for (const c of r.cost.costs) out.push(`- ${cell(c.model)}: ${c.cost.toFixed(2)} at ${fmt(c.trainingPerMTok)} per 1M tokens`);
  out.push('');
  if (r.preference) {
    const p = r.preference;
    out.push('## Label balance', '');
    out.push(`- Chosen longer than rejected in ${fmt(p.chosenLonger)} of ${fmt(p.pairs)} pairs (${(p.chosenLongerShare * 100).toFixed(1)}%); rejected longer in ${fmt(p.rejectedLonger)}; same length in ${fmt(p.sameLength)}.`, '');
  }
  if (r.kto) out.push('## Label balance', '', `- Desirable (true): ${fmt(r.kto.desirable)}; undesirable (false): ${fmt(r.kto.undesirable)}`, '');
  out.push('## Scripts', '', '| script | records |', '|---|---:|');
  for (const l of r.languages) out.push(`| ${cell(l.script)} | ${fmt(l.records)} |`);
  out.push('', '## Most frequent first words of prompts', '', '| word | records |', '|---|---:|');
  for (const w of r.firstWords) out.push(`| ${cell(w.word)} | ${fmt(w.count)} |`);
  out.push('');
  return out.join('\n');
}
