/** Axolotl DPO `chatml.intel`: `{"system"?, "question", "chosen", "rejected"}` strings. */
import { stringPreferenceFormat } from './stringPreference';

export const axolotlChatmlIntel = stringPreferenceFormat({
  id: 'axolotl-chatml-intel',
  title: 'Axolotl chatml.intel (question / chosen / rejected)',
  trainers: ['Axolotl'],
  promptKey: 'question',
  chosenKey: 'chosen',
  rejectedKey: 'rejected',
  example: { system: 'You are helpful.', question: 'Is water wet?', chosen: 'It makes other things wet.', rejected: 'No idea.' },
  detect: (r) => (typeof r.question === 'string' && r.chosen !== undefined && r.rejected !== undefined ? 0.95 : 0),
});
