/**
 * The rubric agreement of rubricAgreement.ts read from files: the judge's lines of a judgements
 * file and the humans' `scores` lines of label logs. With a rubric, only the judge's lines and the
 * humans' scores given on that very rubric (same content hash) are compared, in its criteria's order.
 */
import * as l10n from '@vscode/l10n';
import { loadLabelLogs } from './decisionLog';
import type { Rubric } from './rubric';
import { rubricAgreement, type RubricAgreementReport } from './rubricAgreement';
import { readRubricJudgements, type RubricJudgement } from './rubricJudgements';

export interface RubricAgreementRead {
  report: RubricAgreementReport;
  /** Problems reading the logs or the judgements, as sentences. */
  problems: string[];
}

export async function rubricAgreementOfFiles(judgementsPath: string, labelLogs: readonly string[], rubric?: Pick<Rubric, 'hash' | 'criteria'>): Promise<RubricAgreementRead> {
  const { store, problems } = await loadLabelLogs(labelLogs);
  const read = await readRubricJudgements(judgementsPath);
  const judged = new Map<string, RubricJudgement>();
  for (const [pair, j] of read.byPair) if (j.scores && (!rubric || j.rubric?.hash === rubric.hash)) judged.set(pair, j);
  const humans = [...store.currentScoresAll()].filter((s) => !rubric || s.rubric === rubric.hash);
  const out = problems.map((p) => `${p.path}:${p.line}: ${p.message}`);
  if (read.badLines.length) out.push(l10n.t('{0}: {1} damaged line(s) ignored (line {2})', judgementsPath, read.badLines.length, read.badLines.slice(0, 5).join(', ')));
  return { report: rubricAgreement(judged, humans, rubric?.criteria.map((c) => c.id)), problems: out };
}
