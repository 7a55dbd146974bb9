/**
 * The rubric judge in the labeling panel's Agreement section: the judge's per-criterion scores in
 * the judgements file beside a candidates input against the annotators' `scores` lines, and its
 * position bias (core/labeling/rubricAgreement.ts). Undefined when no line of the file has scores.
 */
import { rubricAgreementOfFiles, type RubricAgreementReport } from '../core/labeling';

export async function rubricJudgeView(judgements: string, logs: readonly string[]): Promise<RubricAgreementReport | undefined> {
  const { report } = await rubricAgreementOfFiles(judgements, logs);
  return report.judgedPairs > 0 ? report : undefined;
}
