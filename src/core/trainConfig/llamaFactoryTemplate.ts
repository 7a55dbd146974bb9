/**
 * LLaMA-Factory's `template` (its chat format) guessed from the model id, checked against the
 * names registered in LLaMA-Factory's src/llamafactory/data/template.py. Unknown models get
 * `default` and a note to check it: a wrong template trains the model on the wrong chat format.
 */
const RULES: readonly [RegExp, string][] = [
  [/llama-?4/i, 'llama4'],
  [/llama-?3|llama3/i, 'llama3'],
  [/llama-?2/i, 'llama2'],
  [/qwen3.*instruct-2507|qwen3.*2507.*instruct/i, 'qwen3_nothink'],
  [/qwen-?3/i, 'qwen3'],
  [/qwen/i, 'qwen'],
  [/mistral-small/i, 'mistral_small'],
  [/ministral/i, 'ministral'],
  [/mistral|mixtral/i, 'mistral'],
  [/gemma-?3n/i, 'gemma3n'],
  [/gemma-?3/i, 'gemma3'],
  [/gemma-?2/i, 'gemma2'],
  [/gemma/i, 'gemma'],
  [/phi-?4/i, 'phi4'],
  [/phi-?3/i, 'phi'],
  [/deepseek-?r1/i, 'deepseekr1'],
  [/deepseek-?v3/i, 'deepseek3'],
  [/glm-?4/i, 'glm4'],
  [/smollm2/i, 'smollm2'],
  [/(^|\/)yi-/i, 'yi'],
  [/gpt-oss/i, 'gpt_oss'],
];

export interface TemplateGuess {
  template: string;
  /** False when no rule matched and the fallback was used. */
  matched: boolean;
}

export function llamaFactoryTemplate(model: string): TemplateGuess {
  for (const [re, t] of RULES) if (re.test(model)) return { template: t, matched: true };
  return { template: 'default', matched: false };
}

/** Whether the model uses Llama 3's chat format (Axolotl has llama3.* dataset types for it). */
export function isLlama3Family(model: string): boolean {
  return llamaFactoryTemplate(model).template === 'llama3';
}
