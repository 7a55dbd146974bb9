/**
 * Start Labeling's "Order: judge uncertainty first": the input's pairs reordered so the ones the
 * AI judge is least sure of come first (core/labeling/judgeUncertaintyQueue.ts), from the
 * judgements file beside the candidates as it is when the panel opens.
 */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { judgeUncertaintyQueue, readRubricJudgements, type OpenedInput } from '../core/labeling';

export async function inJudgeUncertaintyOrder(opened: OpenedInput, judgementsPath: string): Promise<OpenedInput> {
  const read = await readRubricJudgements(judgementsPath);
  const queue = await judgeUncertaintyQueue(opened.queue, read.byPair);
  const note = read.missing ? vscode.l10n.t('no judgements yet: input order') : vscode.l10n.t('judge uncertainty first ({0} pair(s) judged)', read.byPair.size);
  return { ...opened, queue, summary: `${opened.summary} · ${vscode.l10n.t('order: {0}', note)}` };
}

/** Whether a judgements file lies beside the candidates (Start Labeling offers the order then). */
export async function hasJudgements(judgementsPath: string): Promise<boolean> {
  return fsp.stat(judgementsPath).then(
    (s) => s.isFile(),
    () => false,
  );
}
