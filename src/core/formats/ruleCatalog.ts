/**
 * Every rule id a format module or the schema check can emit, with a short explanation for the
 * diagnostic's code link and the docs. A unit test keeps this list and the emitted ids in step.
 */

export interface RuleInfo {
  title: string;
  explanation: string;
  /** Trainers whose behaviour the rule describes. */
  trainers: readonly string[];
}

/** The rules of a message dialect (see openAiMessages.ts `Dialect`), one set per namespace. */
function dialectRules(ns: string, trainer: string, strictKeys: boolean): Record<string, RuleInfo> {
  const t = [trainer];
  const out: Record<string, RuleInfo> = {
    [`${ns}/sharegpt-message-keys`]: {
      title: 'ShareGPT keys in a role/content message',
      explanation: `A message uses "from"/"value" (ShareGPT) where ${trainer} reads "role"/"content". Rename the keys; the quick fix does it.`,
      trainers: t,
    },
    [`${ns}/message-missing-key`]: {
      title: 'Message without a role',
      explanation: `Every message needs a "role" for ${trainer} to know who speaks.`,
      trainers: t,
    },
    [`${ns}/sharegpt-role`]: {
      title: 'ShareGPT tag used as a role',
      explanation: `"human"/"gpt"/"observation" are ShareGPT tags; ${trainer} expects the OpenAI roles "user"/"assistant"/"tool" and does not map them.`,
      trainers: t,
    },
    [`${ns}/unrecognized-role`]: {
      title: 'Unknown role',
      explanation: `The role is none of the roles ${trainer} accepts (system, user, assistant, tool…).`,
      trainers: t,
    },
    [`${ns}/missing-content`]: {
      title: 'Message without content',
      explanation: `The message has no "content" (only an assistant message that makes tool calls may omit it). ${trainer} rejects it.`,
      trainers: t,
    },
  };
  if (strictKeys) {
    out[`${ns}/unknown-message-key`] = {
      title: 'Unrecognised key in a message',
      explanation: `${trainer} accepts only role, content, name, tool_calls, tool_call_id, function_call and weight in a message (cookbook error "message_unrecognized_key"). LLaMA-Factory v1 records may add loss_weight.`,
      trainers: t,
    };
  }
  return out;
}

const SCHEMA = ['JSON Schema'];
const LF = ['LLaMA-Factory'];
const TRL = ['TRL'];
const TT = ['torchtune'];
const ALL = ['LLaMA-Factory', 'TRL', 'Axolotl', 'torchtune', 'OpenAI fine-tuning'];

export const RULE_CATALOG: Readonly<Record<string, RuleInfo>> = {
  // ---- reading the file (src/core/jsonl) ----
  'jsonl/invalid-json': { title: 'Not valid JSON', explanation: 'The line (or array element) is not valid JSON; every trainer fails to load it or drops it. The problem points where parsing failed.', trainers: ALL },
  'jsonl/invalid-utf8': { title: 'Invalid UTF-8', explanation: 'The bytes are not valid UTF-8 text; JSON loaders reject the file or garble the text.', trainers: ALL },
  'jsonl/not-an-object': { title: 'Record is not an object', explanation: 'Each record must be a JSON object ({...}); a string, number or list is not a record.', trainers: ALL },
  'jsonl/binary-file': { title: 'Binary data', explanation: 'The file holds binary data (NUL bytes), not JSON text.', trainers: ALL },
  'jsonl/record-too-large': { title: 'Record too large', explanation: 'A single record is larger than Pairwise reads at once; it is skipped by validation. Trainers will likely run out of memory or context on it.', trainers: ALL },
  'json/not-an-array': { title: 'Not an array of records', explanation: 'A .json dataset must hold one top-level array of record objects (or be JSON Lines).', trainers: ALL },
  'json/missing-comma': { title: 'Missing comma between records', explanation: 'Two array elements are not separated by a comma.', trainers: ALL },
  'json/trailing-comma': { title: 'Trailing comma', explanation: 'JSON does not allow a comma after the last element of an array.', trainers: ALL },
  'json/missing-record': { title: 'Missing record', explanation: 'The array has an empty slot (two commas in a row, or a comma first).', trainers: ALL },
  'json/unclosed-array': { title: 'Unclosed array', explanation: 'The file ends before the closing ] of the array: it was probably truncated.', trainers: ALL },
  'json/trailing-content': { title: 'Content after the array', explanation: 'There is text after the closing ] of the top-level array.', trainers: ALL },
  // ---- the file as a whole (src/core/validate) ----
  'format/unknown-format': { title: 'Format not recognized', explanation: 'No known dataset format fits the records of this file. Set the format explicitly (Pairwise: Set Dataset Format, or --format) to see what is missing.', trainers: ALL },
  'format/mixed-format': { title: 'Record of another format', explanation: 'This record fits another format than the rest of the file; trainers read a file with one schema and drop or reject the odd ones.', trainers: ALL },
  'format/unrecognized-record': { title: 'Record fits no format', explanation: 'This record fits none of the known formats, so it is reported once instead of as a cascade of schema errors.', trainers: ALL },
  'common/duplicate-record': { title: 'Duplicate record', explanation: 'The same record text appears earlier in the file; duplicates over-weight one example in training.', trainers: ALL },
  'common/contradicting-preference': { title: 'Contradicting preference', explanation: 'The same prompt and pair of responses appear with chosen and rejected swapped: the two records cancel each other out.', trainers: ALL },
  'common/check-failed': { title: 'Check failed', explanation: 'A rule raised an internal error on this record; it is reported instead of stopping validation. Please report it.', trainers: ['Pairwise'] },
  // ---- schema ----
  'schema/type': { title: 'Wrong type', explanation: 'A field has the wrong JSON type (for example a number where text is needed), or the record is not a JSON object.', trainers: SCHEMA },
  'schema/required': { title: 'Missing field', explanation: 'A field the format requires is absent.', trainers: SCHEMA },
  'schema/additionalProperties': { title: 'Unexpected key', explanation: 'The format does not allow this key here.', trainers: SCHEMA },
  'schema/enum': { title: 'Value not allowed', explanation: 'The field must be one of a fixed set of values (for example OpenAI "weight" is 0 or 1).', trainers: SCHEMA },
  'schema/minItems': { title: 'Too few items', explanation: 'The list is shorter than the format allows (an alpaca "history" entry is a [user, assistant] pair).', trainers: SCHEMA },
  'schema/maxItems': { title: 'Too many items', explanation: 'The list is longer than the format allows (an alpaca "history" entry is a [user, assistant] pair).', trainers: SCHEMA },
  'schema/minLength': { title: 'Empty text', explanation: 'The field must not be an empty string.', trainers: SCHEMA },
  'schema/minimum': { title: 'Number too small', explanation: 'The number is below the allowed minimum (LLaMA-Factory loss_weight is not negative).', trainers: SCHEMA },
  'schema/anyOf': { title: 'None of the allowed shapes', explanation: 'The record matches none of the alternative shapes of the format, e.g. it has neither "messages" nor "conversations".', trainers: SCHEMA },
  'schema/oneOf': { title: 'Not exactly one allowed shape', explanation: 'The record must match exactly one of the alternative shapes of the format.', trainers: SCHEMA },

  // ---- common ----
  'common/misspelt-key': { title: 'Misspelt key', explanation: 'A required key is missing and another key looks like its misspelling; trainers see neither. Rename it.', trainers: ALL },
  'common/empty-content': { title: 'Empty or whitespace-only text', explanation: 'A turn, answer or text is empty or only whitespace: the trainer learns from nothing, or to answer with nothing.', trainers: ALL },
  'common/identical-chosen-rejected': { title: 'Identical chosen and rejected', explanation: 'The preferred and the rejected answer are the same: the pair carries no preference and only adds noise to DPO/ORPO/reward training.', trainers: ALL },
  'common/identical-responses': { title: 'Identical responses', explanation: 'Two responses offered for comparison are the same text; any judgement between them is meaningless.', trainers: ['Pairwise', 'Label Studio', 'Axolotl'] },
  'common/last-not-assistant': { title: 'Conversation does not end with the assistant', explanation: 'Nothing after the last assistant turn is learned; LLaMA-Factory drops such records (Invalid message count) and reward models score an unfinished exchange.', trainers: ALL },
  'common/prompt-last-not-user': { title: 'Prompt does not end with a user turn', explanation: 'A preference or generation prompt should end with the user turn the answers reply to.', trainers: ['TRL', 'OpenAI fine-tuning', 'Pairwise'] },

  // ---- LLaMA-Factory ----
  'llamafactory/role-alternation': { title: 'Turns do not alternate', explanation: 'LLaMA-Factory wants user-side tags (human/observation) at odd positions and assistant-side tags (gpt/function_call) at even ones, after an optional leading system turn; otherwise it logs "Invalid role tag" and drops the record.', trainers: LF },
  'llamafactory/message-count': { title: 'Wrong number of turns', explanation: 'An SFT or KTO conversation needs an even number of turns (ending with the assistant); a preference prompt an odd number (ending with the user). Otherwise LLaMA-Factory logs "Invalid message count" and drops the record; if all are dropped, "Cannot find valid samples".', trainers: LF },
  'llamafactory/misplaced-system': { title: 'System turn not first', explanation: 'LLaMA-Factory takes a system turn only at position 0; anywhere else it is an invalid role tag and the record is dropped. Move it to the "system" column.', trainers: LF },
  'llamafactory/unknown-role-tag': { title: 'Unknown role tag', explanation: 'The role tag is none of the tags configured for the dataset (defaults human, gpt, observation, function_call, system); LLaMA-Factory drops the record.', trainers: LF },
  'llamafactory/missing-turn-key': { title: 'Turn without role or content', explanation: 'A turn lacks the role key or the content key (or they are not strings); LLaMA-Factory cannot read it.', trainers: LF },
  'llamafactory/response-not-assistant': { title: 'Answer is not an assistant turn', explanation: 'In a ShareGPT preference record, "chosen" and "rejected" must be assistant-side turns (gpt or function_call); otherwise LLaMA-Factory drops the record.', trainers: LF },
  'llamafactory/function-call-json': { title: 'function_call is not a JSON call', explanation: 'A function_call turn must hold JSON {"name", "arguments"} (or a list of them); LLaMA-Factory parses it to build the tool-call prompt and fails otherwise.', trainers: LF },
  'llamafactory/tools-not-json': { title: 'tools is not JSON', explanation: 'The "tools" column must be JSON text of a list of function definitions; LLaMA-Factory parses it to build the system prompt.', trainers: LF },
  'llamafactory/kto-tag-not-boolean': { title: 'KTO tag is not a boolean', explanation: 'LLaMA-Factory treats a record as KTO only when its tag column (kto_tag, or label in the shipped demo) is a real true/false; a string "true" or a number is silently ignored.', trainers: LF },
  ...dialectRules('llamafactory', 'LLaMA-Factory', false),

  // ---- ShareGPT dialect leaks ----
  'sharegpt/openai-role-tag': { title: 'OpenAI role used as a ShareGPT tag', explanation: '"user"/"assistant"/"tool" in "from" are OpenAI roles; with the default tags LLaMA-Factory expects "human"/"gpt"/"observation" and drops the record (Invalid role tag). Replace the tag, or set tags in dataset_info.json.', trainers: LF },
  'sharegpt/openai-message-keys': { title: 'OpenAI keys in a ShareGPT turn', explanation: 'The turn uses "role"/"content" where the dataset reads "from"/"value". Rename the keys, or set role_tag/content_tag in dataset_info.json.', trainers: LF },

  // ---- OpenAI ----
  ...dialectRules('openai', 'OpenAI fine-tuning', true),
  'openai/missing-assistant': { title: 'No assistant message', explanation: 'OpenAI rejects an example without an assistant message (cookbook error "example_missing_assistant_message"): there is nothing to learn.', trainers: ['OpenAI fine-tuning'] },
  'openai/tools-as-text': { title: 'tools written as JSON text', explanation: 'OpenAI wants "tools" as a list of {"type": "function", "function": {...}} objects; JSON text in a string (the LLaMA-Factory style) is rejected. Parse it into a list.', trainers: ['OpenAI fine-tuning'] },
  'openai/no-user-message': { title: 'No user message', explanation: 'The example has no user message (a cookbook warning): the assistant answers nobody.', trainers: ['OpenAI fine-tuning'] },
  'openai/dpo-output-count': { title: 'DPO output is not one message', explanation: 'OpenAI preference fine-tuning wants exactly one assistant message in preferred_output and in non_preferred_output.', trainers: ['OpenAI fine-tuning'] },
  'openai/dpo-output-role': { title: 'DPO output is not from the assistant', explanation: 'The message in preferred_output / non_preferred_output must have role "assistant".', trainers: ['OpenAI fine-tuning'] },

  // ---- TRL ----
  ...dialectRules('trl', 'TRL', false),
  'trl/mixed-variant': { title: 'Standard and conversational fields mixed', explanation: 'TRL reads either strings (standard) or message lists (conversational) for all of prompt/chosen/rejected/completion, and one shape for the whole dataset.', trainers: TRL },
  'trl/prompt-in-chosen': { title: 'Prompt repeated in the answer', explanation: 'With an explicit "prompt", TRL appends chosen/rejected (or completion) to it; repeating the prompt inside the answer trains it twice and skews the log-probabilities.', trainers: TRL },
  'trl/chosen-user-role': { title: 'User turn inside "chosen"', explanation: 'A "chosen" message with role "user" is tokenised as part of the answer, so the model learns to say the user\'s words (TRL #2385).', trainers: TRL },
  'trl/rejected-user-role': { title: 'User turn inside "rejected"', explanation: 'A "rejected" message with role "user" is tokenised as part of the answer and pushed down as if the assistant said it (TRL #2385).', trainers: TRL },
  'trl/completion-user-role': { title: 'User turn inside "completion"', explanation: 'A completion message with role "user" is trained as if the assistant said it.', trainers: TRL },
  'trl/no-shared-prompt': { title: 'chosen and rejected share no prompt', explanation: 'With an implicit prompt TRL takes the common beginning of chosen and rejected as the prompt; these start differently, so they compare two different conversations.', trainers: TRL },
  'trl/label-not-boolean': { title: 'Label is not a boolean', explanation: 'KTO/BCO "label" and stepwise "labels" must be true or false, not strings or numbers.', trainers: TRL },
  'trl/stepwise-length-mismatch': { title: 'Steps and labels differ in number', explanation: 'Stepwise supervision needs exactly one label per completion step.', trainers: TRL },

  // ---- torchtune ----
  ...dialectRules('torchtune', 'torchtune', false),
  'torchtune/too-few-messages': { title: 'Fewer than two messages', explanation: 'torchtune validate_messages needs at least two messages.', trainers: TT },
  'torchtune/system-not-first': { title: 'System message not first', explanation: 'torchtune validate_messages allows a system message only at index 0.', trainers: TT },
  'torchtune/consecutive-user': { title: 'Two user messages in a row', explanation: 'torchtune validate_messages rejects two consecutive user messages.', trainers: TT },
  'torchtune/assistant-order': { title: 'Assistant message out of order', explanation: 'torchtune validate_messages wants every assistant message right after a user, tool or ipython message.', trainers: TT },

  // ---- Axolotl ----
  'axolotl/ultra-answer-position': { title: 'Answer not at position 1', explanation: 'Axolotl chatml.ultra reads the answer from chosen[1] / rejected[1]: each list must be [user prompt, assistant answer].', trainers: ['Axolotl'] },
  'axolotl/ultra-extra-turns': { title: 'Turns after the answer are ignored', explanation: 'Axolotl chatml.ultra trains only on the message at index 1; later turns are silently dropped (torchtune keeps them).', trainers: ['Axolotl'] },

  // ---- distilabel ----
  'distilabel/rating-order': { title: 'Chosen rated below rejected', explanation: 'The judge rated the chosen answer lower than the rejected one: the pair is probably swapped.', trainers: ['distilabel'] },
  'distilabel/tied-ratings': { title: 'Tied ratings', explanation: 'Both answers got the same rating, so which one is "chosen" is arbitrary.', trainers: ['distilabel'] },

  // ---- ranked / candidates ----
  'ranked/too-few-answers': { title: 'Fewer than two answers', explanation: 'A ranked record needs at least two answers to produce a preference pair.', trainers: ['Axolotl'] },
  'ranked/tied-ranks': { title: 'Tied ranks', explanation: 'Two answers share a rank; no pair can be made between them.', trainers: ['Axolotl'] },
  'candidates/too-few-responses': { title: 'Fewer than two responses', explanation: 'The labeling panel pairs responses; a prompt with fewer than two produces no pair.', trainers: ['Pairwise'] },
  ...dialectRules('pairwise', 'Pairwise', false),
};

/** Catalog entry of a rule id, or undefined for an unknown id. */
export function ruleInfo(rule: string): RuleInfo | undefined {
  return Object.prototype.hasOwnProperty.call(RULE_CATALOG, rule) ? RULE_CATALOG[rule] : undefined;
}
