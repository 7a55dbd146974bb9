/**
 * Which characters of a rendered conversation carry loss, as each trainer decides it: its defaults and
 * the options its config sets. Character spans over the render; trainerView tokenizes at their edges.
 *
 * The render is the model's own chat template. LLaMA-Factory and torchtune build the sequence with
 * their own templates (LLaMA-Factory's `template:` registry, torchtune's model tokenizers), so for
 * them this is their rule applied to the model's template, which is what they reproduce for the
 * common families.
 */
import type { Message } from '../model';
import type { TrainerId } from '../base/trainerId';
import type { Span } from './render';

/** Axolotl `train_on_eos` / `train_on_eot`: which end-of-turn tokens are trained. */
export type TrainOnEos = 'turn' | 'all' | 'last' | 'none';

export function isTrainOnEos(s: string): s is TrainOnEos {
  return s === 'turn' || s === 'all' || s === 'last' || s === 'none';
}

export interface LossOptions {
  readonly trainer: TrainerId;
  /** TRL SFTConfig.assistant_only_loss (default false). */
  readonly assistantOnlyLoss?: boolean;
  /** LLaMA-Factory train_on_prompt / Axolotl train_on_inputs / torchtune train_on_input (default false): every token trained. */
  readonly trainOnPrompt?: boolean;
  /** LLaMA-Factory mask_history (default false): only the last assistant turn is trained. */
  readonly maskHistory?: boolean;
  /** Axolotl roles_to_train (default ["assistant"]). */
  readonly rolesToTrain?: readonly string[];
  /** Axolotl train_on_eos (default "turn"). */
  readonly trainOnEos?: TrainOnEos;
}

export class TemplateError extends Error {}

/** What lossSpans needs to know about the render. */
export interface RenderFacts {
  readonly text: string;
  /** Spans inside {% generation %} blocks. */
  readonly generation: readonly Span[];
  readonly hasGenerationMarkers: boolean;
  /** Each message's content in the render (undefined where it is empty or not found). */
  readonly contents: readonly (Span | undefined)[];
  /** The model's end-of-sequence token text (tokenizer_config.json eos_token). */
  readonly eosToken?: string;
  /** Tokens in a piece of the render (for Axolotl's "within 3 tokens" search). */
  readonly countTokens: (s: string) => number;
}

/** A turn the record itself leaves out of training: OpenAI `weight: 0`, ms-swift `loss: false`, LLaMA-Factory `loss_weight: 0`, Axolotl `training: false`, all carried as `weight`. */
function turnMasked(m: Message): boolean {
  return m.weight === 0;
}

/** The end-of-sequence token right after a turn's content, as a span, if the template puts it there. */
function eosRightAfter(f: RenderFacts, content: Span): Span | undefined {
  const eos = f.eosToken;
  return eos && f.text.startsWith(eos, content.end) ? { start: content.end, end: content.end + eos.length } : undefined;
}

/**
 * Axolotl ChatTemplateStrategy (prompt_strategies/chat_template.py, _tokenize_single_prompt): after a
 * turn, the first EOS token within 3 tokens of the turn's end ("allow for some template padding").
 */
function eosWithinThreeTokens(f: RenderFacts, content: Span): Span | undefined {
  const eos = f.eosToken;
  if (!eos) return undefined;
  const at = f.text.indexOf(eos, content.end);
  if (at < 0 || f.countTokens(f.text.slice(content.end, at)) > 3) return undefined;
  return { start: at, end: at + eos.length };
}

function sorted(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.start - b.start);
}

function axolotlSpans(f: RenderFacts, messages: readonly Message[], o: LossOptions): Span[] {
  // StrategyLoader._get_strategy_params: roles_to_train defaults to ["assistant"], train_on_eos to
  // "turn"; a message's own `training` field wins over both (carried here as weight 0).
  const roles = o.rolesToTrain ?? ['assistant'];
  const mode = o.trainOnEos ?? 'turn';
  const out: Span[] = [];
  let last: Span | undefined;
  messages.forEach((m, i) => {
    const content = f.contents[i];
    if (!content) return;
    const train = m.weight !== undefined ? !turnMasked(m) : o.trainOnPrompt === true || roles.includes(m.role);
    if (train) out.push(content);
    const eos = eosWithinThreeTokens(f, content);
    if (!eos) return;
    last = eos;
    if (mode === 'all' || (mode === 'turn' && train)) out.push(eos);
  });
  if (mode === 'last' && last) out.push(last);
  return sorted(out);
}

/** The character spans that carry loss. Throws TemplateError where the trainer would refuse the record. */
export function lossSpans(f: RenderFacts, messages: readonly Message[], o: LossOptions): Span[] {
  const all = [{ start: 0, end: f.text.length }];
  switch (o.trainer) {
    case 'trl':
      // trl/trainer/sft_trainer.py SFTTrainer: assistant_only_loss=True uses the template's
      // {% generation %} mask (`return_assistant_tokens_mask`) and raises when the template has none;
      // otherwise a conversational example trains every token.
      if (!o.assistantOnlyLoss) return all;
      if (!f.hasGenerationMarkers) throw new TemplateError('assistant_only_loss needs a chat template with {% generation %} markers');
      return [...f.generation];
    case 'axolotl':
      return axolotlSpans(f, messages, o);
    default:
      break;
  }
  // LLaMA-Factory train_on_prompt (data/processor/supervised.py) and torchtune train_on_input
  // (torchtune/data/_messages.py masking) train the prompt too.
  if (o.trainOnPrompt) return all;
  const assistant = messages.flatMap((m, i) => (m.role === 'assistant' && f.contents[i] ? [i] : []));
  // LLaMA-Factory mask_history (supervised.py _encode_data_example): "train on the last turn only".
  const trained = o.trainer === 'llamafactory' && o.maskHistory ? assistant.slice(-1) : assistant;
  const out: Span[] = [];
  for (const i of trained) {
    const content = f.contents[i]!;
    if (turnMasked(messages[i])) continue;
    // LLaMA-Factory labels each response as `Y <eos>` (supervised.py preprocess_dataset: the
    // template's assistant format ends the turn), and torchtune gives a message's end-of-turn token
    // the message's mask (models/llama3/_tokenizer.py tokenize_messages): both train the token that
    // ends an assistant turn. For the others (the OpenAI API, ms-swift, xtuner) the assistant content
    // is shown; whether they also train an end-of-turn token is not modelled.
    const eos = o.trainer === 'llamafactory' || o.trainer === 'torchtune' ? eosRightAfter(f, content) : undefined;
    out.push(eos ? { start: content.start, end: eos.end } : content);
  }
  return out;
}
