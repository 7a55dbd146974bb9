/** Generate Candidates: which turns of a multi-turn dataset to answer (asked only when the dataset has conversations of several turns). */
import * as vscode from 'vscode';
import { readDatasetPrompts } from '../core/generation';
import type { TurnsOption } from '../core/labeling';

/** `last` without asking for a dataset of single-turn records; undefined when the annotator cancels. */
export async function askTurns(input: string, title: string): Promise<TurnsOption | undefined> {
  let conversations = 0;
  try {
    const read = await readDatasetPrompts(input, { turns: 'each' });
    conversations = new Set(read.prompts.filter((p) => (p.turns ?? 1) > 1).map((p) => p.conversation)).size;
  } catch {
    // An unreadable input is reported by the run itself.
    return 'last';
  }
  if (conversations === 0) return 'last';
  const last = { label: vscode.l10n.t('The last turn of each conversation'), turns: 'last' as const };
  const each = {
    label: vscode.l10n.t('Every assistant turn, in order'),
    detail: vscode.l10n.t('{0} conversation(s) have several assistant turns: each turn becomes a prompt of its own (the conversation before it), labeled in order', conversations),
    turns: 'each' as const,
  };
  const pick = await vscode.window.showQuickPick([last, each], { title, placeHolder: vscode.l10n.t('Which turns to answer?') });
  return pick?.turns;
}
