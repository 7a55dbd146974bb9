/**
 * Token estimates before a call (for the tokens-per-minute budget) and cost after it.
 */

export interface ModelPrice {
  /** US dollars per million input (prompt) tokens. */
  inputPerMTok: number;
  /** US dollars per million output (completion) tokens. */
  outputPerMTok: number;
}

export type PriceTable = Record<string, ModelPrice>;

/** Completion budget assumed when a request sets no max_tokens. */
export const DEFAULT_COMPLETION_ESTIMATE = 512;

/** About 4 characters a token for English under common BPE vocabularies; only used to reserve budget. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens plus the largest completion the request may produce (how OpenAI counts a request against TPM). */
export function estimateRequestTokens(messages: { content?: unknown }[], maxTokens: number | undefined, n = 1): number {
  let prompt = 3;
  for (const m of messages) prompt += 4 + estimateTextTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''));
  return prompt + (maxTokens ?? DEFAULT_COMPLETION_ESTIMATE) * Math.max(1, n);
}

export interface UsageTotals {
  tokensIn: number;
  tokensOut: number;
  /** Dollars for the models with a known price; undefined while none has one. */
  cost?: number;
  /** Models used whose price is unknown: their tokens are counted but not priced. */
  unpricedModels: string[];
}

/** Accumulates usage per model and prices it. */
export class CostMeter {
  private readonly perModel = new Map<string, { tokensIn: number; tokensOut: number }>();

  constructor(private readonly prices: PriceTable = {}) {}

  add(model: string, promptTokens: number, completionTokens: number): void {
    const m = this.perModel.get(model) ?? { tokensIn: 0, tokensOut: 0 };
    m.tokensIn += promptTokens;
    m.tokensOut += completionTokens;
    this.perModel.set(model, m);
  }

  totals(): UsageTotals {
    let tokensIn = 0;
    let tokensOut = 0;
    let cost: number | undefined;
    const unpricedModels: string[] = [];
    for (const [model, u] of this.perModel) {
      tokensIn += u.tokensIn;
      tokensOut += u.tokensOut;
      const p = this.prices[model];
      if (p) cost = (cost ?? 0) + (u.tokensIn * p.inputPerMTok + u.tokensOut * p.outputPerMTok) / 1e6;
      else unpricedModels.push(model);
    }
    return { tokensIn, tokensOut, cost, unpricedModels };
  }
}
