/**
 * Every rule id a format module or the schema check can emit, with a short explanation for the
 * diagnostic's code link and the docs. A unit test keeps this list and the emitted ids in step.
 */
import * as l10n from '@vscode/l10n';

export interface RuleInfo {
  title: string;
  explanation: string;
  /** Trainers whose behaviour the rule describes. */
  trainers: readonly string[];
}

/**
 * An entry whose texts are translated when read, not when this module loads: @vscode/l10n is
 * configured at activation (or CLI start), after the catalog exists.
 */
function lazyRule(title: () => string, explanation: () => string, trainers: readonly string[]): RuleInfo {
  return {
    get title() {
      return title();
    },
    get explanation() {
      return explanation();
    },
    trainers,
  };
}

/** The rules of a message dialect (see openAiMessages.ts `Dialect`), one set per namespace. */
function dialectRules(ns: string, trainer: string, strictKeys: boolean): Record<string, RuleInfo> {
  const t = [trainer];
  const out: Record<string, RuleInfo> = {
    [`${ns}/sharegpt-message-keys`]: lazyRule(
      () => l10n.t('ShareGPT keys in a role/content message'),
      () => l10n.t('A message uses "from"/"value" (ShareGPT) where {0} reads "role"/"content". Rename the keys; the quick fix does it.', trainer),
      t,
    ),
    [`${ns}/message-missing-key`]: lazyRule(
      () => l10n.t('Message without a role'),
      () => l10n.t('Every message needs a "role" for {0} to know who speaks.', trainer),
      t,
    ),
    [`${ns}/sharegpt-role`]: lazyRule(
      () => l10n.t('ShareGPT tag used as a role'),
      () => l10n.t('"human"/"gpt"/"observation" are ShareGPT tags; {0} expects the OpenAI roles "user"/"assistant"/"tool" and does not map them.', trainer),
      t,
    ),
    [`${ns}/unrecognized-role`]: lazyRule(
      () => l10n.t('Unknown role'),
      () => l10n.t('The role is none of the roles {0} accepts (system, user, assistant, tool…).', trainer),
      t,
    ),
    [`${ns}/missing-content`]: lazyRule(
      () => l10n.t('Message without content'),
      () => l10n.t('The message has no "content" (only an assistant message that makes tool calls may omit it). {0} rejects it.', trainer),
      t,
    ),
  };
  if (strictKeys) {
    out[`${ns}/unknown-message-key`] = lazyRule(
      () => l10n.t('Unrecognised key in a message'),
      () => l10n.t('{0} accepts only role, content, name, tool_calls, tool_call_id, function_call and weight in a message (cookbook error "message_unrecognized_key"). LLaMA-Factory v1 records may add loss_weight.', trainer),
      t,
    );
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
  'jsonl/invalid-json': lazyRule(() => l10n.t('Not valid JSON'), () => l10n.t('The line (or array element) is not valid JSON; every trainer fails to load it or drops it. The problem points where parsing failed.'), ALL),
  'jsonl/invalid-utf8': lazyRule(() => l10n.t('Invalid UTF-8'), () => l10n.t('The bytes are not valid UTF-8 text; JSON loaders reject the file or garble the text.'), ALL),
  'jsonl/not-an-object': lazyRule(() => l10n.t('Record is not an object'), () => l10n.t('Each record must be a JSON object ({...}); a string, number or list is not a record.'), ALL),
  'jsonl/binary-file': lazyRule(() => l10n.t('Binary data'), () => l10n.t('The file holds binary data (NUL bytes), not JSON text.'), ALL),
  'jsonl/record-too-large': lazyRule(() => l10n.t('Record too large'), () => l10n.t('A single record is larger than Pairwise reads at once; it is skipped by validation. Trainers will likely run out of memory or context on it.'), ALL),
  'json/not-an-array': lazyRule(() => l10n.t('Not an array of records'), () => l10n.t('A .json dataset must hold one top-level array of record objects (or be JSON Lines).'), ALL),
  'json/missing-comma': lazyRule(() => l10n.t('Missing comma between records'), () => l10n.t('Two array elements are not separated by a comma.'), ALL),
  'json/trailing-comma': lazyRule(() => l10n.t('Trailing comma'), () => l10n.t('JSON does not allow a comma after the last element of an array.'), ALL),
  'json/missing-record': lazyRule(() => l10n.t('Missing record'), () => l10n.t('The array has an empty slot (two commas in a row, or a comma first).'), ALL),
  'json/unclosed-array': lazyRule(() => l10n.t('Unclosed array'), () => l10n.t('The file ends before the closing ] of the array: it was probably truncated.'), ALL),
  'json/trailing-content': lazyRule(() => l10n.t('Content after the array'), () => l10n.t('There is text after the closing ] of the top-level array.'), ALL),
  'parquet/unreadable': lazyRule(() => l10n.t('Unreadable Parquet file'), () => l10n.t('The file is not Parquet, or its footer or a row group is truncated or corrupt; the rows after the damage cannot be read.'), ALL),
  // ---- the file as a whole (src/core/validate) ----
  'format/unknown-format': lazyRule(() => l10n.t('Format not recognized'), () => l10n.t('No known dataset format fits the records of this file. Set the format explicitly (Pairwise: Set Dataset Format, or --format) to see what is missing.'), ALL),
  'format/mixed-format': lazyRule(() => l10n.t('Record of another format'), () => l10n.t('This record fits another format than the rest of the file; trainers read a file with one schema and drop or reject the odd ones.'), ALL),
  'format/unrecognized-record': lazyRule(() => l10n.t('Record fits no format'), () => l10n.t('This record fits none of the known formats, so it is reported once instead of as a cascade of schema errors.'), ALL),
  'common/duplicate-record': lazyRule(() => l10n.t('Duplicate record'), () => l10n.t('The same record text appears earlier in the file; duplicates over-weight one example in training.'), ALL),
  'common/contradicting-preference': lazyRule(() => l10n.t('Contradicting preference'), () => l10n.t('The same prompt and pair of responses appear with chosen and rejected swapped: the two records cancel each other out.'), ALL),
  'common/check-failed': lazyRule(() => l10n.t('Check failed'), () => l10n.t('A rule raised an internal error on this record; it is reported instead of stopping validation. Please report it.'), ['Pairwise']),
  // ---- schema ----
  'schema/type': lazyRule(() => l10n.t('Wrong type'), () => l10n.t('A field has the wrong JSON type (for example a number where text is needed), or the record is not a JSON object.'), SCHEMA),
  'schema/required': lazyRule(() => l10n.t('Missing field'), () => l10n.t('A field the format requires is absent.'), SCHEMA),
  'schema/additionalProperties': lazyRule(() => l10n.t('Unexpected key'), () => l10n.t('The format does not allow this key here.'), SCHEMA),
  'schema/enum': lazyRule(() => l10n.t('Value not allowed'), () => l10n.t('The field must be one of a fixed set of values (for example OpenAI "weight" is 0 or 1).'), SCHEMA),
  'schema/minItems': lazyRule(() => l10n.t('Too few items'), () => l10n.t('The list is shorter than the format allows (an alpaca "history" entry is a [user, assistant] pair).'), SCHEMA),
  'schema/maxItems': lazyRule(() => l10n.t('Too many items'), () => l10n.t('The list is longer than the format allows (an alpaca "history" entry is a [user, assistant] pair).'), SCHEMA),
  'schema/minLength': lazyRule(() => l10n.t('Empty text'), () => l10n.t('The field must not be an empty string.'), SCHEMA),
  'schema/minimum': lazyRule(() => l10n.t('Number too small'), () => l10n.t('The number is below the allowed minimum (LLaMA-Factory loss_weight is not negative).'), SCHEMA),
  'schema/anyOf': lazyRule(() => l10n.t('None of the allowed shapes'), () => l10n.t('The record matches none of the alternative shapes of the format, e.g. it has neither "messages" nor "conversations".'), SCHEMA),
  'schema/oneOf': lazyRule(() => l10n.t('Not exactly one allowed shape'), () => l10n.t('The record must match exactly one of the alternative shapes of the format.'), SCHEMA),

  // ---- common ----
  'common/misspelt-key': lazyRule(() => l10n.t('Misspelt key'), () => l10n.t('A required key is missing and another key looks like its misspelling; trainers see neither. Rename it.'), ALL),
  'common/empty-content': lazyRule(() => l10n.t('Empty or whitespace-only text'), () => l10n.t('A turn, answer or text is empty or only whitespace: the trainer learns from nothing, or to answer with nothing.'), ALL),
  'common/identical-chosen-rejected': lazyRule(() => l10n.t('Identical chosen and rejected'), () => l10n.t('The preferred and the rejected answer are the same: the pair carries no preference and only adds noise to DPO/ORPO/reward training.'), ALL),
  'common/identical-responses': lazyRule(() => l10n.t('Identical responses'), () => l10n.t('Two responses offered for comparison are the same text; any judgement between them is meaningless.'), ['Pairwise', 'Label Studio', 'Axolotl']),
  'common/last-not-assistant': lazyRule(() => l10n.t('Conversation does not end with the assistant'), () => l10n.t('Nothing after the last assistant turn is learned; LLaMA-Factory drops such records (Invalid message count) and reward models score an unfinished exchange.'), ALL),
  'common/prompt-last-not-user': lazyRule(() => l10n.t('Prompt does not end with a user turn'), () => l10n.t('A preference or generation prompt should end with the user turn the answers reply to.'), ['TRL', 'OpenAI fine-tuning', 'Pairwise']),

  // ---- LLaMA-Factory ----
  'llamafactory/role-alternation': lazyRule(() => l10n.t('Turns do not alternate'), () => l10n.t('LLaMA-Factory wants user-side tags (human/observation) at odd positions and assistant-side tags (gpt/function_call) at even ones, after an optional leading system turn; otherwise it logs "Invalid role tag" and drops the record.'), LF),
  'llamafactory/message-count': lazyRule(() => l10n.t('Wrong number of turns'), () => l10n.t('An SFT or KTO conversation needs an even number of turns (ending with the assistant); a preference prompt an odd number (ending with the user). Otherwise LLaMA-Factory logs "Invalid message count" and drops the record; if all are dropped, "Cannot find valid samples".'), LF),
  'llamafactory/misplaced-system': lazyRule(() => l10n.t('System turn not first'), () => l10n.t('LLaMA-Factory takes a system turn only at position 0; anywhere else it is an invalid role tag and the record is dropped. Move it to the "system" column.'), LF),
  'llamafactory/unknown-role-tag': lazyRule(() => l10n.t('Unknown role tag'), () => l10n.t('The role tag is none of the tags configured for the dataset (defaults human, gpt, observation, function_call, system); LLaMA-Factory drops the record.'), LF),
  'llamafactory/missing-turn-key': lazyRule(() => l10n.t('Turn without role or content'), () => l10n.t('A turn lacks the role key or the content key (or they are not strings); LLaMA-Factory cannot read it.'), LF),
  'llamafactory/response-not-assistant': lazyRule(() => l10n.t('Answer is not an assistant turn'), () => l10n.t('In a ShareGPT preference record, "chosen" and "rejected" must be assistant-side turns (gpt or function_call); otherwise LLaMA-Factory drops the record.'), LF),
  'llamafactory/old-reward-layout': lazyRule(() => l10n.t('2023 reward-model layout'), () => l10n.t('"output": [chosen, rejected] is how LLaMA-Factory read reward-model data in 2023. Today it reads a pair only from the chosen/rejected columns of a ranking entry and drops these records; ms-swift trains on one of the two answers at random. The quick fix rewrites the record as alpaca-preference.'), ['LLaMA-Factory', 'ms-swift']),
  'llamafactory/function-call-json': lazyRule(() => l10n.t('function_call is not a JSON call'), () => l10n.t('A function_call turn must hold JSON {"name", "arguments"} (or a list of them); LLaMA-Factory parses it to build the tool-call prompt and fails otherwise.'), LF),
  'llamafactory/tools-not-json': lazyRule(() => l10n.t('tools is not JSON'), () => l10n.t('The "tools" column must be JSON text of a list of function definitions; LLaMA-Factory parses it to build the system prompt.'), LF),
  'llamafactory/kto-tag-not-boolean': lazyRule(() => l10n.t('KTO tag is not a boolean'), () => l10n.t('LLaMA-Factory treats a record as KTO only when its tag column (kto_tag, or label in the shipped demo) is a real true/false; a string "true" or a number is silently ignored.'), LF),
  ...dialectRules('llamafactory', 'LLaMA-Factory', false),

  // ---- ShareGPT dialect leaks ----
  'sharegpt/openai-role-tag': lazyRule(() => l10n.t('OpenAI role used as a ShareGPT tag'), () => l10n.t('"user"/"assistant"/"tool" in "from" are OpenAI roles; with the default tags LLaMA-Factory expects "human"/"gpt"/"observation" and drops the record (Invalid role tag). Replace the tag, or set tags in dataset_info.json.'), LF),
  'sharegpt/openai-message-keys': lazyRule(() => l10n.t('OpenAI keys in a ShareGPT turn'), () => l10n.t('The turn uses "role"/"content" where the dataset reads "from"/"value". Rename the keys, or set role_tag/content_tag in dataset_info.json.'), LF),

  // ---- OpenAI ----
  ...dialectRules('openai', 'OpenAI fine-tuning', true),
  'openai/missing-assistant': lazyRule(() => l10n.t('No assistant message'), () => l10n.t('OpenAI rejects an example without an assistant message (cookbook error "example_missing_assistant_message"): there is nothing to learn.'), ['OpenAI fine-tuning']),
  'openai/too-few-examples': lazyRule(() => l10n.t('Fewer than 10 examples'), () => l10n.t('OpenAI fine-tuning refuses a training file with fewer than 10 examples (supervised fine-tuning guide, "Right number of examples"). Other trainers have no minimum, so a messages file is held to it only when OpenAI is its target trainer; an OpenAI DPO file always.'), ['OpenAI fine-tuning']),
  'openai/tools-as-text': lazyRule(() => l10n.t('tools written as JSON text'), () => l10n.t('OpenAI wants "tools" as a list of {"type": "function", "function": {...}} objects; JSON text in a string (the LLaMA-Factory style) is rejected. Parse it into a list.'), ['OpenAI fine-tuning']),
  'openai/no-user-message': lazyRule(() => l10n.t('No user message'), () => l10n.t('The example has no user message (a cookbook warning): the assistant answers nobody.'), ['OpenAI fine-tuning']),
  'openai/dpo-output-count': lazyRule(() => l10n.t('DPO output is not one message'), () => l10n.t('OpenAI preference fine-tuning wants exactly one assistant message in preferred_output and in non_preferred_output.'), ['OpenAI fine-tuning']),
  'openai/dpo-output-role': lazyRule(() => l10n.t('DPO output is not from the assistant'), () => l10n.t('The message in preferred_output / non_preferred_output must have role "assistant".'), ['OpenAI fine-tuning']),

  // ---- tool calls (toolCallRules.ts), judged per reader ----
  'xtuner/bare-message-list': lazyRule(() => l10n.t('Line is a bare message list'), () => l10n.t('xtuner reads a JSON Lines record that is a bare list of messages (xtuner/v1/datasets/sft_tokenize_fn/openai.py); every other trainer needs an object with "messages". Checked as xtuner data unless another trainer is the target; the quick fix wraps the list.'), ['xtuner']),
  'xtuner/unknown-message-key': lazyRule(() => l10n.t('Message key xtuner rejects'), () => l10n.t('xtuner\'s chat message models forbid extra keys: role, content, loss and thinking (xtuner/v1/data_proto/messages/chat.py ChatMsg), plus tool_calls and reasoning_content for the Qwen3.5 models (qwen35_chat.py). Any other key, such as weight, fails the record.'), ['xtuner']),
  'xtuner/unsupported-role': lazyRule(() => l10n.t('Role xtuner rejects'), () => l10n.t('xtuner\'s chat messages take the roles assistant, user, system, developer, pretrain and (Qwen3.5 models) tool; any other role fails the record (xtuner/v1/data_proto/messages/chat.py, qwen35_chat.py).'), ['xtuner']),
  'xtuner/thinking-not-assistant': lazyRule(() => l10n.t('Thinking outside an assistant turn'), () => l10n.t('xtuner accepts "thinking" on assistant messages only ("Only assistant can have thinking.", xtuner/v1/data_proto/messages/chat.py).'), ['xtuner']),
  'ms-swift/dropped-message-key': lazyRule(() => l10n.t('Message key ms-swift deletes'), () => l10n.t('ms-swift keeps only role, content and loss on each message and deletes the rest before training (swift/llm/dataset/preprocessor/core.py _check_messages): tool_calls, tool_call_id, name, thinking, reasoning_content and weight are lost.'), ['ms-swift']),
  'messages/loss-mask-ignored': lazyRule(() => l10n.t('Loss mask another trainer ignores'), () => l10n.t('An assistant turn left out of training with one trainer\'s key (OpenAI "weight": 0, ms-swift and xtuner "loss": false, LLaMA-Factory v1 "loss_weight": 0) is trained by the readers that do not read that key (TRL, torchtune). Axolotl reads whichever key message_field_training names.'), ['OpenAI fine-tuning', 'ms-swift', 'xtuner', 'LLaMA-Factory', 'TRL', 'torchtune']),
  'media/placeholder-count': lazyRule(() => l10n.t('Media and tags do not match'), () => l10n.t('LLaMA-Factory and ms-swift put each item of images, videos or audios where its <image>, <video> or <audio> tag stands. LLaMA-Factory stops on a count that differs ("The number of images does not match the number of <image> tokens.", data/mm_plugin.py); ms-swift inserts the tags itself only when there are none (Custom-dataset.md, "Multimodal").'), ['LLaMA-Factory', 'ms-swift']),
  'ms-swift/chosen-not-last': lazyRule(() => l10n.t('Chosen answer not last'), () => l10n.t('In ms-swift preference data the chosen answer is the last message of "messages", an assistant turn; "rejected_response" holds the other answer (Custom-dataset.md, "RLHF").'), ['ms-swift']),
  'ms-swift/rejected-equals-chosen': lazyRule(() => l10n.t('Rejected answer equals the chosen one'), () => l10n.t('ms-swift deletes a row whose rejected_response is the same text as the chosen answer (swift/llm/dataset/preprocessor/core.py _check_rejected_response).'), ['ms-swift']),
  'tools/arguments-object': lazyRule(() => l10n.t('Tool-call arguments as an object'), () => l10n.t('OpenAI fine-tuning wants function.arguments as JSON text ("{\\"x\\": 1}"); TRL, Axolotl and xtuner take an object. An error when OpenAI will read the file, a warning otherwise.'), ['OpenAI fine-tuning', 'TRL', 'Axolotl']),
  'tools/arguments-not-json': lazyRule(() => l10n.t('Tool-call arguments are not JSON'), () => l10n.t('The arguments text does not parse as JSON: Axolotl stops on it, and every other trainer teaches the model a call no tool runtime can parse.'), ALL),
  'tools/arguments-double-encoded': lazyRule(() => l10n.t('Tool-call arguments encoded twice'), () => l10n.t('The arguments are a JSON string holding JSON text (encoded twice), so the model learns to emit an escaped string where an object belongs. Decode them once.'), ALL),
  'tools/arguments-not-object': lazyRule(() => l10n.t('Tool-call arguments are not an object'), () => l10n.t('Function arguments are a JSON object of named parameters; a list, number or null is no call a tool can take.'), ALL),
  'tools/undeclared-tool': lazyRule(() => l10n.t('Call to an undeclared tool'), () => l10n.t('The record declares its tools, and this call names none of them: the model learns to call a function that does not exist. (Not checked in a rejected answer, where the wrong call may be the point.)'), ALL),
  'tools/missing-required-argument': lazyRule(() => l10n.t('Call without a required parameter'), () => l10n.t('The call omits a parameter its declaration in "tools" lists as required; the model learns calls that fail.'), ALL),
  'tools/unanswered-tool-turn': lazyRule(() => l10n.t('Tool result without a call'), () => l10n.t('A tool message must answer a call made before it (its tool_call_id or name matching one); chat templates and OpenAI pair each result with its call.'), ALL),

  // ---- TRL ----
  ...dialectRules('trl', 'TRL', false),
  'trl/mixed-variant': lazyRule(() => l10n.t('Standard and conversational fields mixed'), () => l10n.t('TRL reads either strings (standard) or message lists (conversational) for all of prompt/chosen/rejected/completion, and one shape for the whole dataset.'), TRL),
  'trl/prompt-in-chosen': lazyRule(() => l10n.t('Prompt repeated in the answer'), () => l10n.t('With an explicit "prompt", TRL appends chosen/rejected (or completion) to it; repeating the prompt inside the answer trains it twice and skews the log-probabilities.'), TRL),
  'trl/chosen-user-role': lazyRule(() => l10n.t('User turn inside "chosen"'), () => l10n.t('A "chosen" message with role "user" is tokenised as part of the answer, so the model learns to say the user\'s words (TRL #2385).'), TRL),
  'trl/rejected-user-role': lazyRule(() => l10n.t('User turn inside "rejected"'), () => l10n.t('A "rejected" message with role "user" is tokenised as part of the answer and pushed down as if the assistant said it (TRL #2385).'), TRL),
  'trl/completion-user-role': lazyRule(() => l10n.t('User turn inside "completion"'), () => l10n.t('A completion message with role "user" is trained as if the assistant said it.'), TRL),
  'trl/no-shared-prompt': lazyRule(() => l10n.t('chosen and rejected share no prompt'), () => l10n.t('With an implicit prompt TRL takes the common beginning of chosen and rejected as the prompt; these start differently, so they compare two different conversations.'), TRL),
  'trl/label-not-boolean': lazyRule(() => l10n.t('Label is not a boolean'), () => l10n.t('KTO/BCO "label" and stepwise "labels" must be true or false, not strings or numbers.'), TRL),
  'trl/stepwise-length-mismatch': lazyRule(() => l10n.t('Steps and labels differ in number'), () => l10n.t('Stepwise supervision needs exactly one label per completion step.'), TRL),

  // ---- torchtune ----
  ...dialectRules('torchtune', 'torchtune', false),
  'torchtune/too-few-messages': lazyRule(() => l10n.t('Fewer than two messages'), () => l10n.t('torchtune validate_messages needs at least two messages.'), TT),
  'torchtune/system-not-first': lazyRule(() => l10n.t('System message not first'), () => l10n.t('torchtune validate_messages allows a system message only at index 0.'), TT),
  'torchtune/consecutive-user': lazyRule(() => l10n.t('Two user messages in a row'), () => l10n.t('torchtune validate_messages rejects two consecutive user messages.'), TT),
  'torchtune/assistant-order': lazyRule(() => l10n.t('Assistant message out of order'), () => l10n.t('torchtune validate_messages wants every assistant message right after a user, tool or ipython message.'), TT),

  // ---- Axolotl ----
  'axolotl/ultra-answer-position': lazyRule(() => l10n.t('Answer not at position 1'), () => l10n.t('Axolotl chatml.ultra reads the answer from chosen[1] / rejected[1]: each list must be [user prompt, assistant answer].'), ['Axolotl']),
  'axolotl/ultra-extra-turns': lazyRule(() => l10n.t('Turns after the answer are ignored'), () => l10n.t('Axolotl chatml.ultra trains only on the message at index 1; later turns are silently dropped (torchtune keeps them).'), ['Axolotl']),

  // ---- distilabel ----
  'distilabel/rating-order': lazyRule(() => l10n.t('Chosen rated below rejected'), () => l10n.t('The judge rated the chosen answer lower than the rejected one: the pair is probably swapped.'), ['distilabel']),
  'distilabel/tied-ratings': lazyRule(() => l10n.t('Tied ratings'), () => l10n.t('Both answers got the same rating, so which one is "chosen" is arbitrary.'), ['distilabel']),

  // ---- ranked / candidates ----
  'ranked/too-few-answers': lazyRule(() => l10n.t('Fewer than two answers'), () => l10n.t('A ranked record needs at least two answers to produce a preference pair.'), ['Axolotl']),
  'ranked/tied-ranks': lazyRule(() => l10n.t('Tied ranks'), () => l10n.t('Two answers share a rank; no pair can be made between them.'), ['Axolotl']),
  'candidates/too-few-responses': lazyRule(() => l10n.t('Fewer than two responses'), () => l10n.t('The labeling panel pairs responses; a prompt with fewer than two produces no pair.'), ['Pairwise']),
  ...dialectRules('pairwise', 'Pairwise', false),
};

/** Catalog entry of a rule id, or undefined for an unknown id. */
export function ruleInfo(rule: string): RuleInfo | undefined {
  return Object.prototype.hasOwnProperty.call(RULE_CATALOG, rule) ? RULE_CATALOG[rule] : undefined;
}
