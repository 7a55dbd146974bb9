/**
 * "Pairwise: Judge Pairs with a Model": an AI judge over every pair of a candidates file (each pair
 * asked in both orders, see src/core/generation/judgeJob.ts), written to
 * `<candidates>.judgements.jsonl`; then, when human label logs exist beside the file, the percent
 * of pairs where judge and humans agree.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobProgress } from '../core/generation';
import { judgeAgreement, type JudgeAgreement, judgementsPathFor, judgeRubricFor, runJudgeJob, runRubricJudgeJob, formatCost } from '../core/generation';
import { AbortedError } from '../core/base';
import { readEndpoints, readPrices } from './endpointSettings';
import { pathOfArg, pickFile, pickModel, type ModelChoice } from './generationInputs';
import type { GenerationServices } from './generationServices';

export interface JudgePairsArgs {
  candidates: string;
  judge: ModelChoice;
  pairs?: 'all' | 'first-two';
  /** A rubric file to score on; 'none': a plain verdict even with a rubric beside the candidates (default: `<candidates>.rubric.yaml` when it exists). */
  rubric?: string;
  signal?: AbortSignal;
}

export interface JudgeRunSummary {
  judgementsPath: string;
  cancelled: boolean;
  progress: JobProgress;
  warnings: string[];
  /** The rubric file the judge scored on. */
  rubric?: string;
  /** Present when label logs exist beside the candidates file. */
  agreement?: JudgeAgreement;
}

/** Label logs of a candidates file: `<stem>*.labels.jsonl` in its folder (one per annotator is fine). */
export async function labelLogsOf(candidates: string): Promise<string[]> {
  const dir = path.dirname(candidates);
  const stem = path.basename(candidates).replace(/\.(jsonl|json)$/i, '');
  try {
    return (await fsp.readdir(dir))
      .filter((n) => n.startsWith(stem) && n.endsWith('.labels.jsonl'))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

export class JudgePairsCommand {
  static register(context: vscode.ExtensionContext, services: GenerationServices): void {
    const c = new JudgePairsCommand(services);
    context.subscriptions.push(vscode.commands.registerCommand('pairwise.judgePairs', (arg?: unknown) => c.run(arg)));
  }

  private constructor(private readonly services: GenerationServices) {}

  async run(arg?: unknown): Promise<JudgeRunSummary | undefined> {
    if (!this.services.ensureTrusted()) return undefined;
    const out = this.services.output;
    try {
      const args = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as JudgePairsArgs) : undefined;
      const candidates = args ? pathOfArg(args.candidates) : (pathOfArg(arg) ?? (await pickFile(vscode.l10n.t('Judge Pairs: candidates file'), (p) => /\.candidates\.jsonl$/i.test(p) || /\.jsonl$/i.test(p))));
      if (!candidates) return undefined;
      const judge = args ? args.judge : await pickModel(readEndpoints(), vscode.l10n.t('Judge Pairs: judge model'));
      if (!judge) return undefined;
      // Read before any request: a rubric that exists but does not parse is an error, not a plain judge.
      const rubric = await judgeRubricFor(candidates, args?.rubric);
      const pool = await this.services.openPool([judge.endpoint]);
      if (!pool) return undefined;
      out.appendLine(`judging ${candidates} with ${judge.endpoint}/${judge.model}${rubric ? ` on the rubric ${rubric.path}` : ''}`);
      let summary: JudgeRunSummary;
      try {
        const r = await this.services.holdOutputs([judgementsPathFor(candidates)], 'Pairwise: Judge Pairs', (lost) =>
          this.services.withProgress(vscode.l10n.t('Judging pairs of {0}', path.basename(candidates)), vscode.l10n.t(' pairs'), args?.signal ? AbortSignal.any([args.signal, lost]) : lost, (signal, report) => {
            const job = { pool, candidatesPath: candidates, judge: { endpoint: judge.endpoint, model: judge.model }, pairs: args?.pairs, prices: readPrices(), signal, onProgress: report, log: (l: string) => out.appendLine(l) };
            return rubric ? runRubricJudgeJob({ ...job, rubric: rubric.rubric }) : runJudgeJob(job);
          }),
        );
        summary = { judgementsPath: r.judgementsPath, cancelled: r.cancelled, progress: r.progress, warnings: r.warnings, ...(rubric ? { rubric: rubric.path } : {}) };
      } finally {
        pool.close();
      }
      const logs = await labelLogsOf(candidates);
      if (logs.length) summary.agreement = await judgeAgreement(summary.judgementsPath, logs, judge);
      this.report(summary);
      return summary;
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      const msg = out.describe(e);
      out.appendLine(`judge failed: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Judge Pairs: {0}', msg));
      return undefined;
    }
  }

  private report(s: JudgeRunSummary): void {
    const p = s.progress;
    const cost = formatCost(p);
    const a = s.agreement;
    const agreement = a
      ? a.percent === null
        ? vscode.l10n.t(' · no pair is both judged and labeled yet')
        : vscode.l10n.t(' · agrees with human labels on {0}/{1} pairs ({2}%)', a.agree, a.compared, a.percent.toFixed(0)) + (a.incomparable ? vscode.l10n.t(', {0} uncertain or both-bad', a.incomparable) : '')
      : '';
    const text =
      (s.cancelled ? vscode.l10n.t('Cancelled: {0} pair(s)', p.done) : vscode.l10n.t('Judged: {0} pair(s)', p.done)) +
      (p.failures ? vscode.l10n.t(', {0} failed', p.failures) : '') +
      (s.rubric ? vscode.l10n.t(' on the rubric {0}', path.basename(s.rubric)) : '') +
      vscode.l10n.t(' · {0} requests', p.requests) +
      `${cost ? ` · ${cost}` : ''}${agreement} → ${path.basename(s.judgementsPath)}`;
    this.services.output.appendLine(text);
    for (const w of [...s.warnings, ...(a?.problems ?? [])]) this.services.output.appendLine(`warning: ${w}`);
    void (async () => {
      const open = vscode.l10n.t('Open');
      const pick = await (p.failures ? vscode.window.showWarningMessage(text, open) : vscode.window.showInformationMessage(text, open));
      if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(s.judgementsPath));
    })().catch(() => undefined);
  }
}
