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
  const out = [l10n.t('| | count | min | p5 | median | mean | p95 | max |'), '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [k, d] of rows) out.push(`| ${cell(k)} | ${fmt(d.count)} | ${fmt(d.min)} | ${fmt(d.p5)} | ${fmt(d.median)} | ${fmt(d.mean)} | ${fmt(d.p95)} | ${fmt(d.max)} |`);
  return out;
}

export function statsToMarkdown(r: StatsReport): string {
  const out: string[] = [];
  out.push(l10n.t('# Dataset statistics: {0}', cell(r.path)), '');
  out.push(l10n.t('- Format: **{0}** ({1})', cell(r.format ?? l10n.t('unknown')), cell(r.detection.evidence)));
  out.push(l10n.t('- Records: {0} ({1} valid; figures below count valid records)', fmt(r.records), fmt(r.validRecords)));
  out.push(l10n.t('- Problems: {0} errors, {1} warnings, {2} info', fmt(r.problems.error), fmt(r.problems.warning), fmt(r.problems.info)));
  const tk = r.tokens;
  out.push(
    l10n.t(
      '- Tokens: {0}{1}, {2}{3}; {4}',
      cell(tk.tokenizer),
      tk.model ? l10n.t(' for {0}', cell(tk.model)) : '',
      tk.mode === 'exact' ? l10n.t('exact counts') : l10n.t('estimated ({0} records counted exactly)', fmt(tk.exactRecords)),
      tk.approximate ? l10n.t(', approximate') : '',
      cell(tk.note),
    ),
  );
  out.push('');
  const rules = Object.entries(r.problems.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) {
    out.push(l10n.t('## Problems by rule'), '', l10n.t('| rule | count |'), '|---|---:|');
    for (const [rule, n] of rules) out.push(`| ${cell(rule)} | ${fmt(n)} |`);
    out.push('');
  }
  out.push(l10n.t('## Lengths'), '');
  out.push(...distTable([[l10n.t('turns per record'), r.turnsPerRecord], [l10n.t('tokens per record'), r.tokensPerRecord]]));
  out.push('', l10n.t('### Characters per message, by role'), '');
  out.push(...distTable(Object.entries(r.charsByRole)));
  out.push('', l10n.t('### Tokens per message, by role'), '');
  out.push(...distTable(Object.entries(r.tokensByRole)));
  out.push('', l10n.t('## Charts'), '');
  out.push(svgBarChart(histogramBars(r.histograms.tokensPerRecord), { title: l10n.t('Tokens per record'), xLabel: l10n.t('tokens') }), '');
  out.push(svgBarChart(histogramBars(r.histograms.turnsPerRecord), { title: l10n.t('Turns per record'), xLabel: l10n.t('turns') }), '');
  out.push(l10n.t('## Context limit and cost'), '');
  const first = r.contextLimit.over > 0 ? l10n.t(' (first: records {0})', r.contextLimit.records.slice(0, 10).map((i) => `#${i}`).join(', ')) : '';
  out.push(l10n.t('- Records over {0} tokens: {1}{2}', fmt(r.contextLimit.limit), fmt(r.contextLimit.over), first));
  out.push(l10n.t('- Billing tokens per epoch: {0}; epochs: {1}; training tokens: {2}', fmt(r.cost.billingTokensPerEpoch), fmt(r.cost.epochs), fmt(r.cost.trainingTokens)));
  for (const c of r.cost.costs) out.push(l10n.t('- {0}: {1} at {2} per 1M tokens', cell(c.model), c.cost.toFixed(2), fmt(c.trainingPerMTok)));
  out.push('');
  if (r.preference) {
    const p = r.preference;
    out.push(l10n.t('## Label balance'), '');
    out.push(
      l10n.t('- Chosen longer than rejected in {0} of {1} pairs ({2}%); rejected longer in {3}; same length in {4}.', fmt(p.chosenLonger), fmt(p.pairs), (p.chosenLongerShare * 100).toFixed(1), fmt(p.rejectedLonger), fmt(p.sameLength)),
      '',
    );
  }
  if (r.kto) out.push(l10n.t('## Label balance'), '', l10n.t('- Desirable (true): {0}; undesirable (false): {1}', fmt(r.kto.desirable), fmt(r.kto.undesirable)), '');
  out.push(l10n.t('## Scripts'), '', l10n.t('| script | records |'), '|---|---:|');
  for (const l of r.languages) out.push(`| ${cell(l.script)} | ${fmt(l.records)} |`);
  out.push('', l10n.t('## Most frequent first words of prompts'), '', l10n.t('| word | records |'), '|---|---:|');
  for (const w of r.firstWords) out.push(`| ${cell(w.word)} | ${fmt(w.count)} |`);
  out.push('');
  return out.join('\n');
}
