/** Axolotl DPO `chatml.argilla`: `{"system"?, "instruction", "chosen_response", "rejected_response"}` strings. */
import { stringPreferenceFormat } from './stringPreference';

export const axolotlChatmlArgilla = stringPreferenceFormat({
  id: 'axolotl-chatml-argilla',
  title: 'Axolotl chatml.argilla (instruction / chosen_response / rejected_response)',
  trainers: ['Axolotl'],
  promptKey: 'instruction',
  chosenKey: 'chosen_response',
  rejectedKey: 'rejected_response',
  example: { instruction: 'Name a prime number.', chosen_response: '7.', rejected_response: '9.' },
  detect: (r) => (r.chosen_response !== undefined && r.rejected_response !== undefined ? 0.95 : 0),
});
