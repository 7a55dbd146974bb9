/**
 * What each trainer does with the keys of one OpenAI-style message (`{"role", "content", ...}`):
 * the trainer profiles' message part, as data. Each entry cites the loader it comes from.
 * - `keys`: the keys it reads;
 * - `others`: what happens to any other key: `rejected` (the record fails), `dropped` (deleted
 *   before training, silently), `template` (handed to the chat template, which may use it);
 * - `lossKey`: the per-message key that decides whether a turn is trained, if the trainer has one.
 */
import type { TrainerId } from '../base/trainerId';

export type OtherKeys = 'rejected' | 'dropped' | 'template';

export interface MessageKeyProfile {
  readonly keys: ReadonlySet<string>;
  readonly others: OtherKeys;
  readonly lossKey?: 'weight' | 'loss' | 'loss_weight';
  /** The trainer lets its configuration name the loss key (Axolotl `message_field_training`), so no key is ignored for sure. */
  readonly configurableLoss?: boolean;
}

export const MESSAGE_KEYS: Readonly<Record<TrainerId, MessageKeyProfile>> = {
  // OpenAI fine-tuning API reference, chat input: role, content, name, tool_calls, tool_call_id,
  // function_call, weight (0 or 1, assistant only: "Controls whether the assistant message is trained
  // against"). Any other key fails the file's validation (cookbook "Data preparation and analysis").
  openai: { keys: new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'function_call', 'weight']), others: 'rejected', lossKey: 'weight' },
  // TRL SFTTrainer passes each message dict to the tokenizer's chat template (trl/trainer/sft_trainer.py);
  // masking comes from completion_only_loss / assistant_only_loss, never from a message key.
  trl: { keys: new Set(['role', 'content', 'tool_calls', 'name', 'tool_call_id']), others: 'template' },
  // Axolotl chat_template keeps a key only if the template references it (prompt_strategies/chat_template.py
  // transform_message) and trains a message by `message_field_training` when the config names one.
  axolotl: { keys: new Set(['role', 'content', 'tool_calls', 'name', 'reasoning_content']), others: 'template', configurableLoss: true },
  // torchtune OpenAIToMessages reads role and content (torchtune/data/_messages.py); masking is the
  // dataset's masking_strategy / train_on_input.
  torchtune: { keys: new Set(['role', 'content']), others: 'template' },
  // LLaMA-Factory `formatting: openai` (data/converter.py OpenAIDatasetConverter) reads role, content
  // and tool_calls; v1 messages add loss_weight (v1/utils/types.py Message).
  llamafactory: { keys: new Set(['role', 'content', 'tool_calls', 'loss_weight']), others: 'template', lossKey: 'loss_weight' },
  // ms-swift deletes every message key but role, content and loss (swift/llm/dataset/preprocessor/core.py
  // RowPreprocessor._check_messages, "fix swift/SlimOrca"); `loss` decides whether a turn is trained.
  // `from` and `value` are read as role and content before that (MessagesPreprocessor).
  'ms-swift': { keys: new Set(['role', 'content', 'loss', 'from', 'value']), others: 'dropped', lossKey: 'loss' },
  // xtuner has two message readers, picked by the model: the generic ChatMsg, a pydantic model with
  // extra="forbid" (role, content, loss, thinking; xtuner/v1/data_proto/messages/chat.py), and the
  // Qwen3.5 path, which also reads tool_calls, reasoning_content and tool turns
  // (xtuner/v1/data_proto/messages/qwen35_chat.py). A key neither reads fails the record.
  xtuner: { keys: new Set(['role', 'content', 'loss', 'thinking', 'tool_calls', 'reasoning_content', 'name', 'tool_call_id']), others: 'rejected', lossKey: 'loss' },
};

/** Keys some trainer reads as a turn's training mask. */
export const LOSS_KEYS: ReadonlySet<string> = new Set(['weight', 'loss', 'loss_weight']);

/** True when `value` of loss key `key` leaves the turn out of training (weight 0, loss false or 0). */
export function masksTurn(key: string, value: unknown): boolean {
  if (!LOSS_KEYS.has(key)) return false;
  return value === false || value === 0;
}
