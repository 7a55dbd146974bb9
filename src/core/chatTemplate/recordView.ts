/**
 * The trainer's view of one record as the Dataset View draws it: per conversation the trainer
 * builds (the record, or prompt+chosen and prompt+rejected), the rendered text in pieces that are
 * trained or not and before or past the length limit, with the token counts and what the template
 * left out. Plain data, sent to the webview as it is.
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import type { CanonicalRecord } from '../model';
import type { ChatModel } from './modelFiles';
import { conversations } from './conversations';
import { TemplateError } from './lossSpans';
import { ChatTemplateRenderer } from './render';
import { chatMessages, droppedWords, trainerView, type TrainerView, type TrainerViewOptions } from './trainerView';

export interface ViewPiece {
  readonly text: string;
  readonly trained: boolean;
  /** Past the length limit: the trainer cuts it away. */
  readonly pastCut: boolean;
}

export interface ConversationView {
  /** '' for an SFT record, 'chosen' / 'rejected' for the two sides of a preference record. */
  readonly label: string;
  readonly pieces: ViewPiece[];
  readonly tokens: number;
  readonly trainedTokens: number;
  readonly overBy: number;
  readonly trainedAfterCut: number;
  /** What the template leaves out, in words ("#2 (assistant)", "tool calls of #3 (assistant)", "tool definitions"). */
  readonly dropped: string[];
  /** The template refused the conversation (raise_exception, a role it does not take): nothing else is set. */
  readonly error?: string;
}

/**
 * How many characters of `text` its first `k` tokens cover: the longest prefix that encodes to at
 * most `k` tokens (a binary search; one card at a time, so a few encodes of one segment). Decoding
 * the ids instead is not exact for every tokenizer (byte-level pieces, decoders that join with spaces).
 */
function charsOfTokens(tokenizer: Tokenizer, text: string, k: number): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenizer.encode(text.slice(0, mid), { add_special_tokens: false }).ids.length <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function pieces(v: TrainerView, tokenizer: Tokenizer, maxLength: number | undefined): ViewPiece[] {
  const limit = maxLength ?? Infinity;
  const out: ViewPiece[] = [];
  let at = 0;
  for (const s of v.segments) {
    const end = at + s.ids.length;
    if (at >= limit) out.push({ text: s.text, trained: s.trained, pastCut: true });
    else if (end <= limit) out.push({ text: s.text, trained: s.trained, pastCut: false });
    else {
      const split = charsOfTokens(tokenizer, s.text, limit - at);
      out.push({ text: s.text.slice(0, split), trained: s.trained, pastCut: false }, { text: s.text.slice(split), trained: s.trained, pastCut: true });
    }
    at = end;
  }
  return out.filter((p) => p.text !== '');
}

/** The trainer's view of each conversation of a canonical record; [] for a record without one (pre-training text). */
export function recordTrainerViews(rec: CanonicalRecord, model: ChatModel, opts: TrainerViewOptions, renderer = new ChatTemplateRenderer(model.chatTemplate)): ConversationView[] {
  const special = { bos_token: model.bosToken, eos_token: model.eosToken };
  return conversations(rec).map(({ label, sft }) => {
    try {
      const v = trainerView(sft, renderer, model.tokenizer, opts, special);
      const dropped = droppedWords(v, chatMessages(sft));
      return { label, pieces: pieces(v, model.tokenizer, opts.maxLength), tokens: v.ids.length, trainedTokens: v.trainedTokens, overBy: v.overBy, trainedAfterCut: v.trainedAfterCut, dropped };
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      return { label, pieces: [], tokens: 0, trainedTokens: 0, overBy: 0, trainedAfterCut: 0, dropped: [], error: e.message };
    }
  });
}
