/**
 * Exports of multi-turn decisions: what each target does with the conversation before the turn,
 * where its trainer says so, and a count of the pairs whose history was kept, changed or dropped
 * in one export. The counts come from what the format module actually wrote, so a format added
 * later is reported truthfully even before it gets a line in the table.
 */
import type { FormatId, FromCanonicalResult } from '../formats/formatModule';
import type { Message } from '../model';
import { isMultiTurnPrompt } from './turns';
import * as l10n from '@vscode/l10n';

export interface MultiTurnShape {
  /** The target has a place for the whole history before the compared turn. */
  native: boolean;
  /** What the target does with the history (one sentence). */
  how: string;
  /** The trainer's code or docs that say so. */
  source: string;
}

/** What each preference target does with a multi-turn prompt. */
export function multiTurnShape(format: FormatId): MultiTurnShape | undefined {
  switch (format) {
    case 'trl-preference':
      return {
        native: true,
        how: l10n.t('conversational preference: "prompt" is the message list up to the compared turn (the standard string variant cannot hold a history and drops those pairs)'),
        source: 'https://github.com/huggingface/trl/blob/main/docs/source/dataset_formats.md',
      };
    case 'trl-preference-implicit':
      return {
        native: true,
        how: l10n.t('"chosen" and "rejected" are whole conversations; TRL takes their shared start as the prompt'),
        source: 'https://github.com/huggingface/trl/blob/main/docs/source/dataset_formats.md',
      };
    case 'sharegpt-preference':
      return {
        native: true,
        how: l10n.t('"conversations" holds the history (odd length, ending with the user turn), "chosen"/"rejected" the two continuations'),
        source: 'https://github.com/hiyouga/LLaMA-Factory/blob/main/src/llamafactory/data/converter.py (SharegptDatasetConverter, ranking)',
      };
    case 'alpaca-preference':
      return {
        native: true,
        how: l10n.t('earlier user/assistant turns go to "history" as [user, assistant] pairs; a history that does not alternate (tool turns) cannot be written'),
        source: 'https://github.com/hiyouga/LLaMA-Factory/blob/main/src/llamafactory/data/converter.py (AlpacaDatasetConverter, history)',
      };
    case 'openai-dpo':
      return {
        native: true,
        how: l10n.t('"input.messages" holds the history, the outputs one assistant message each'),
        source: 'https://developers.openai.com/api/docs/guides/direct-preference-optimization',
      };
    case 'distilabel-dpo':
      return {
        native: true,
        how: l10n.t('"chosen"/"rejected" hold the whole conversation; "prompt" is the last user message only'),
        source: 'https://github.com/huggingface/trl/blob/main/docs/source/dataset_formats.md (preference, implicit prompt)',
      };
    case 'trl-unpaired':
      return {
        native: true,
        how: l10n.t('conversational unpaired preference: "prompt" is the message list up to the turn'),
        source: 'https://github.com/huggingface/trl/blob/main/docs/source/dataset_formats.md',
      };
    case 'axolotl-chatml-intel':
      return {
        native: false,
        how: l10n.t('Axolotl chatml.intel builds its prompt from one "question" text, so a pair with earlier turns is not written (flattening it would teach the model a conversation that never happened). For multi-turn DPO in Axolotl, export trl-preference and load it with type chat_template.default and field_messages: prompt'),
        source: 'https://github.com/axolotl-ai-cloud/axolotl/blob/main/src/axolotl/prompt_strategies/dpo/chatml.py (intel); dpo/chat_template.py (default); axolotl#1645',
      };
    default:
      return undefined;
  }
}

export interface MultiTurnExport {
  /** Exported pairs whose prompt holds earlier turns. */
  pairs: number;
  /** Written with the whole history. */
  kept: number;
  /** Written, but part of the history was dropped or flattened (see `lost` of the summary). */
  changed: number;
  /** Not written: the target cannot hold them. */
  dropped: number;
  shape?: MultiTurnShape;
}

function touchesHistory(field: string): boolean {
  return /^(prompt|messages|history|conversations|input)\b/.test(field);
}

/** Counts, per decided pair, what the target did with its history. */
export class MultiTurnTally {
  readonly result: MultiTurnExport;
  constructor(format: FormatId) {
    this.result = { pairs: 0, kept: 0, changed: 0, dropped: 0 };
    const shape = multiTurnShape(format);
    if (shape) this.result.shape = shape;
  }

  /** One decided pair and what its records became. */
  add(prompt: readonly Message[], results: readonly FromCanonicalResult[]): void {
    if (!isMultiTurnPrompt(prompt) || results.length === 0) return;
    this.result.pairs++;
    if (results.some((r) => !r.record)) this.result.dropped++;
    else if (results.some((r) => r.lost.some((l) => touchesHistory(l.field)))) this.result.changed++;
    else this.result.kept++;
  }
}

/** One line for the CLI and the export notification; undefined without multi-turn pairs. */
export function multiTurnText(m: MultiTurnExport | undefined, format: string): string | undefined {
  if (!m || m.pairs === 0) return undefined;
  let text = l10n.t('multi-turn: {0} pair(s) with earlier turns: {1} kept whole, {2} with the history changed, {3} dropped', m.pairs, m.kept, m.changed, m.dropped);
  if (m.shape && (!m.shape.native || m.dropped || m.changed)) text += ` (${format}: ${m.shape.how})`;
  return text;
}
