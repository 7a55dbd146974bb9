/**
 * Limits a trainer puts on a whole file rather than on one record. OpenAI fine-tuning refuses a
 * training file with fewer than 10 examples ("The minimum number of examples you can provide for
 * fine-tuning is 10", developers.openai.com supervised fine-tuning guide, "Right number of
 * examples"); the same holds for its preference (DPO) files.
 */
import type { FormatId } from '../formats/formatModule';
import type { Severity } from '../base/problem';
import { readerVerdict, type ReaderContext } from '../trainers/readerSeverity';
import { trainerList } from '../trainers/trainerIds';
import { type TrainerId } from '../base/trainerId';
import * as l10n from '@vscode/l10n';

export const OPENAI_MIN_EXAMPLES = 10;

/** The readers of the formats OpenAI fine-tuning reads (see openaiChat.ts MESSAGES_READERS). */
const OPENAI_FORMAT_READERS: Partial<Record<FormatId, readonly TrainerId[]>> = {
  'openai-chat': ['openai', 'trl', 'axolotl', 'torchtune', 'llamafactory'],
  'openai-dpo': ['openai'],
};

export interface FileLimitFinding {
  severity: Severity;
  rule: string;
  message: string;
  trainers: TrainerId[];
}

/**
 * The file-level limit a file of `records` records breaks for its readers, if any. Said only when
 * OpenAI is the target or the format's only reader: a small `messages` file is most often a test
 * set for TRL or torchtune, and a warning on every one of them would teach users to ignore it.
 */
export function fileLimitFinding(format: FormatId | undefined, records: number, target: TrainerId | undefined): FileLimitFinding | undefined {
  const readers = format ? OPENAI_FORMAT_READERS[format] : undefined;
  if (!readers || records === 0 || records >= OPENAI_MIN_EXAMPLES) return undefined;
  if (target !== 'openai' && readers.length > 1) return undefined;
  const ctx: ReaderContext = { readers, target };
  const v = readerVerdict(ctx, ['openai']);
  if (!v) return undefined;
  const base = l10n.t('{0} refuses a training file with fewer than {1} examples; this one has {2}', trainerList(v.hit), OPENAI_MIN_EXAMPLES, records);
  const message = v.fine.length ? l10n.t('{0} ({1} have no minimum)', base, trainerList(v.fine)) : base;
  return { severity: v.severity, rule: 'openai/too-few-examples', message, trainers: v.hit };
}
