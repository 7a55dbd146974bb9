/**
 * torchtune `stack_exchange_paired_dataset`: `{"question", "response_j", "response_k"}` strings, the
 * j answer preferred. Its default column_map is exactly these keys
 * (pytorch/torchtune torchtune/datasets/_stack_exchange_paired.py:
 * `column_map={"prompt": "question", "chosen": "response_j", "rejected": "response_k"}`); the file
 * of torchtune's own tests (stack_exchange_paired_tiny.json) has this shape.
 */
import { stringPreferenceFormat } from './stringPreference';

export const torchtuneStackExchangePaired = stringPreferenceFormat({
  id: 'torchtune-stack-exchange-paired',
  title: 'torchtune stack_exchange_paired (question / response_j / response_k)',
  trainers: ['torchtune'],
  promptKey: 'question',
  chosenKey: 'response_j',
  rejectedKey: 'response_k',
  example: { question: 'How do I reverse a list in Python?', response_j: 'Use `xs[::-1]` or `xs.reverse()`.', response_k: 'You cannot.' },
  detect: (r) => (typeof r.question === 'string' && r.response_j !== undefined && r.response_k !== undefined ? 0.95 : 0),
});
