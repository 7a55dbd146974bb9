/**
 * The training-cost estimate of OpenAI's data-preparation cookbook: billing tokens are each
 * example's tokens capped at the context limit, summed, times the epochs; the default epoch count
 * follows the cookbook (3, raised for small sets so at least 100 examples are seen, lowered for
 * big sets to at most 25,000 example passes).
 */
export interface ModelPrice {
  /** Price per million training tokens, in the currency of the map (USD for OpenAI). */
  trainingPerMTok: number;
}

export type PriceMap = Record<string, ModelPrice>;

export interface CostEstimate {
  epochs: number;
  /** Sum over records of min(tokens, context limit): what one epoch bills. */
  billingTokensPerEpoch: number;
  /** billingTokensPerEpoch × epochs. */
  trainingTokens: number;
  /** Cost per model of the price map; empty when no prices were given. */
  costs: { model: string; trainingPerMTok: number; cost: number }[];
}

export function defaultEpochs(examples: number): number {
  const target = 3;
  const minExamples = 100;
  const maxExamples = 25000;
  if (examples === 0) return target;
  if (examples * target < minExamples) return Math.min(25, Math.floor(minExamples / examples));
  if (examples * target > maxExamples) return Math.max(1, Math.floor(maxExamples / examples));
  return target;
}

export function estimateCost(billingTokensPerEpoch: number, examples: number, epochs: number | undefined, prices: PriceMap | undefined): CostEstimate {
  const e = epochs ?? defaultEpochs(examples);
  const trainingTokens = billingTokensPerEpoch * e;
  const costs = Object.entries(prices ?? {}).map(([model, p]) => ({ model, trainingPerMTok: p.trainingPerMTok, cost: (trainingTokens / 1e6) * p.trainingPerMTok }));
  return { epochs: e, billingTokensPerEpoch, trainingTokens, costs };
}
