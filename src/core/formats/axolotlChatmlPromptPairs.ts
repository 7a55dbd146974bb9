/**
 * Axolotl DPO `chatml.prompt_pairs`: `{"system"?, "prompt", "chosen", "rejected"}` strings. Without a
 * `system` key the record is indistinguishable from TRL standard preference, which wins the tie
 * (0.85 vs 0.9); with one, this format wins (0.92 vs 0.6). See trlPreference.detect.
 */
import { hasOwn } from './roleNames';
import { stringPreferenceFormat } from './stringPreference';

export const axolotlChatmlPromptPairs = stringPreferenceFormat({
  id: 'axolotl-chatml-prompt-pairs',
  title: 'Axolotl chatml.prompt_pairs (system / prompt / chosen / rejected)',
  trainers: ['Axolotl'],
  promptKey: 'prompt',
  chosenKey: 'chosen',
  rejectedKey: 'rejected',
  example: { system: 'You are concise.', prompt: 'Define entropy.', chosen: 'A measure of disorder.', rejected: 'A kind of energy drink.' },
  detect(r) {
    if (typeof r.prompt !== 'string' || typeof r.chosen !== 'string' || typeof r.rejected !== 'string') return 0;
    if (hasOwn(r, 'prompt_id') || hasOwn(r, 'chosen_model') || hasOwn(r, 'chosen_rating')) return 0.4;
    return hasOwn(r, 'system') ? 0.92 : 0.85;
  },
});
