/**
 * One valid record per format and one invalid record per rule, with the exact reports expected
 * (rule, path, severity, target). Shared by rules.test.ts and ruleCatalog.test.ts.
 */
import type { FormatId, FormatOptions, JsonPath } from '../../../src/core/formats/formatModule';
import type { Severity } from '../../../src/core/base/problem';

export interface Expected {
  rule: string;
  path: JsonPath;
  severity: Severity;
  target?: 'key';
}

export interface RuleCase {
  name: string;
  format: FormatId;
  record: unknown;
  options?: FormatOptions;
  expect: Expected[];
}

const e = (rule: string, path: JsonPath, severity: Severity = 'error', target?: 'key'): Expected => (target ? { rule, path, severity, target } : { rule, path, severity });
const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });
const s = (content: string) => ({ role: 'system', content });
const h = (value: string) => ({ from: 'human', value });
const g = (value: string) => ({ from: 'gpt', value });
/** An assistant message calling `name` with `args` (a JSON string as OpenAI writes it, or an object as TRL does), call id c1. */
const call = (name: string, args: unknown) => ({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name, arguments: args } }] });
const toolTurn = (id: string) => ({ role: 'tool', tool_call_id: id, content: '42' });
const fnTool = (name: string, required: string[]) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: Object.fromEntries(required.map((p) => [p, { type: 'integer' }])), required } } });

export const VALID: { format: FormatId; record: Record<string, unknown>; options?: FormatOptions }[] = [
  { format: 'alpaca', record: { instruction: 'Add.', input: '2 and 3', output: '5', history: [['hi', 'hello']], system: 'Be brief.' } },
  { format: 'alpaca-preference', record: { instruction: 'Add 2 and 3.', chosen: '5', rejected: '6' } },
  { format: 'sharegpt', record: { conversations: [{ from: 'system', value: 'sys' }, h('q'), { from: 'function_call', value: '{"name": "f", "arguments": {"x": 1}}' }, { from: 'observation', value: '{"y": 2}' }, g('done')], tools: '[{"name": "f"}]' } },
  { format: 'sharegpt-preference', record: { conversations: [h('q1'), g('a1'), h('q2')], chosen: g('good'), rejected: g('bad') } },
  { format: 'openai-chat', record: { messages: [{ role: 'user', content: [{ type: 'text', value: 'hi' }], loss_weight: 0 }, { role: 'assistant', content: [{ type: 'reasoning', value: 'think' }, { type: 'text', value: 'hello' }], loss_weight: 1 }], tools: '[]' } },
  { format: 'openai-dpo', record: { input: { messages: [u('hi')] }, preferred_output: [a('Hello!')], non_preferred_output: [a('Go away.')] } },
  { format: 'trl-text', record: { text: 'Some text.' } },
  { format: 'trl-prompt-completion', record: { prompt: 'The sky is', completion: ' blue.' } },
  { format: 'trl-prompt-completion', record: { prompt: [s('sys'), u('q')], completion: [a('answer')] } },
  { format: 'trl-prompt-only', record: { prompt: 'Write a haiku.' } },
  { format: 'trl-prompt-only', record: { prompt: [s('sys'), u('q'), a('a'), u('q2')] } },
  { format: 'trl-preference', record: { prompt: 'The sky is', chosen: ' blue.', rejected: ' green.' } },
  { format: 'instruct-response', record: { instruction: 'Name a prime.', response: '7' } },
  { format: 'rl-prompt-messages', record: { messages: [u('Play the level.')], env_config: { seed: 3 } } },
  { format: 'torchtune-stack-exchange-paired', record: { question: 'Reverse a list?', response_j: 'xs[::-1]', response_k: 'No.' } },
  { format: 'trl-preference', record: { prompt: [u('q')], chosen: [a('good')], rejected: [a('bad')] } },
  // TRL's own tool-calling data: object arguments, tool turns answering by name, a rejected answer calling the wrong (undeclared) tool on purpose.
  { format: 'trl-preference', record: { prompt: [u('q')], chosen: [call('f', { x: 1 }), { role: 'tool', name: 'f', content: '1' }, a('one')], rejected: [call('g', { x: 1 }), { role: 'tool', name: 'g', content: '2' }, a('two')], tools: [fnTool('f', ['x'])] } },
  { format: 'trl-preference-implicit', record: { chosen: [u('q'), a('good')], rejected: [u('q'), a('bad')] } },
  { format: 'trl-preference-implicit', record: { chosen: 'The sky is blue.', rejected: 'The sky is green.' } },
  { format: 'trl-unpaired', record: { prompt: 'The sky is', completion: ' blue.', label: true } },
  { format: 'trl-stepwise', record: { prompt: '1+1?', completions: ['1+1=2.', 'So 2.'], labels: [true, true] } },
  { format: 'llamafactory-kto', record: { messages: [u('q'), a('ans')], label: false } },
  { format: 'llamafactory-kto', record: { conversations: [h('q'), g('ans')], kto_tag: true } },
  { format: 'axolotl-chatml-intel', record: { system: 'sys', question: 'q', chosen: 'good', rejected: 'bad' } },
  { format: 'axolotl-chatml-argilla', record: { instruction: 'q', chosen_response: 'good', rejected_response: 'bad' } },
  { format: 'axolotl-chatml-prompt-pairs', record: { system: 'sys', prompt: 'q', chosen: 'good', rejected: 'bad' } },
  { format: 'axolotl-chatml-ultra', record: { prompt: 'q', chosen: [u('q'), a('good')], rejected: [u('q'), a('bad')] } },
  { format: 'distilabel-dpo', record: { prompt: 'q', prompt_id: 'p1', chosen: [u('q'), a('good')], chosen_model: 'm1', chosen_rating: 5, rejected: [u('q'), a('bad')], rejected_model: 'm2', rejected_rating: 1 } },
  { format: 'labelstudio-pairwise', record: { prompt: 'q', answer1: 'one', answer2: 'two' } },
  { format: 'ranked', record: { prompt: 'q', answers: [{ answer: 'best', rank: 1 }, { answer: 'worse', rank: 2, model: 'm' }] } },
  { format: 'candidates', record: { id: 'x1', prompt: [u('q')], responses: [{ model: 'm1', content: 'one', usage: { total_tokens: 3 } }, { model: 'm2', content: 'two', params: { temperature: 0.7 } }] } },
  { format: 'query-response', record: { query: 'And of Italy?', response: 'Rome.', history: [['Capital of France?', 'Paris.']], system: 'Be terse.' } },
  { format: 'swift-preference', record: { messages: [s('Be terse.'), u('Capital of France?'), a('Paris.')], rejected_response: 'Lyon.', images: [] } },
  { format: 'swift-conversation', record: { system: 'Be terse.', conversation: [{ human: 'Capital of France?', assistant: 'Paris.' }], id: 3 } },
];

const kto = (messages: unknown[], label: unknown = true) => ({ messages, label });

export const INVALID: RuleCase[] = [
  // schema
  { name: 'record is not an object', format: 'alpaca', record: ['a'], expect: [e('schema/type', [])] },
  { name: 'output is a number', format: 'alpaca', record: { instruction: 'x', output: 5 }, expect: [e('schema/type', ['output'])] },
  { name: 'misspelt required key', format: 'alpaca', record: { instrution: 'x', output: 'y' }, expect: [e('common/misspelt-key', ['instrution'], 'error', 'key')] },
  { name: 'missing required key', format: 'alpaca', record: { output: 'y' }, expect: [e('schema/required', [])] },
  { name: 'history pair of one', format: 'alpaca', record: { instruction: 'x', output: 'y', history: [['only']] }, expect: [e('schema/minItems', ['history', 0])] },
  { name: 'history pair of three', format: 'alpaca', record: { instruction: 'x', output: 'y', history: [['a', 'b', 'c']] }, expect: [e('schema/maxItems', ['history', 0])] },
  { name: 'weight not 0/1', format: 'openai-chat', record: { messages: [u('q'), { role: 'assistant', content: 'a', weight: 2 }] }, expect: [e('schema/enum', ['messages', 1, 'weight'])] },
  { name: 'neither messages nor conversations', format: 'llamafactory-kto', record: { label: true }, expect: [e('schema/anyOf', [])] },
  { name: 'empty candidates id', format: 'candidates', record: { id: '', prompt: [u('q')], responses: [{ model: 'a', content: '1' }, { model: 'b', content: '2' }] }, expect: [e('schema/minLength', ['id'])] },
  { name: 'negative loss_weight', format: 'openai-chat', record: { messages: [u('q'), { role: 'assistant', content: 'a', loss_weight: -1 }] }, expect: [e('schema/minimum', ['messages', 1, 'loss_weight'])] },

  // alpaca
  { name: 'alpaca empty output', format: 'alpaca', record: { instruction: 'x', input: '', output: ' \n' }, expect: [e('common/empty-content', ['output'], 'warning')] },
  { name: 'alpaca empty instruction and input', format: 'alpaca', record: { instruction: '', input: '', output: 'y' }, expect: [e('common/empty-content', ['instruction'], 'warning')] },
  { name: 'alpaca empty history turn', format: 'alpaca', record: { instruction: 'x', output: 'y', history: [['q', '']] }, expect: [e('common/empty-content', ['history', 0, 1], 'warning')] },
  { name: 'alpaca-preference identical', format: 'alpaca-preference', record: { instruction: 'x', chosen: 'same', rejected: 'same' }, expect: [e('common/identical-chosen-rejected', ['rejected'], 'warning')] },
  { name: 'alpaca-preference empty chosen', format: 'alpaca-preference', record: { instruction: 'x', chosen: '', rejected: 'r' }, expect: [e('common/empty-content', ['chosen'], 'warning')] },

  // sharegpt
  { name: 'sharegpt turns do not alternate', format: 'sharegpt', record: { conversations: [h('a'), h('b'), g('c')] }, expect: [e('llamafactory/role-alternation', ['conversations', 1, 'from'])] },
  { name: 'sharegpt odd turn count', format: 'sharegpt', record: { conversations: [h('a'), g('b'), h('c')] }, expect: [e('llamafactory/message-count', ['conversations'])] },
  { name: 'sharegpt empty conversation', format: 'sharegpt', record: { conversations: [] }, expect: [e('llamafactory/message-count', ['conversations'])] },
  // ms-swift, Axolotl and TRL read OpenAI roles in "from"; LLaMA-Factory and torchtune drop the record.
  { name: 'sharegpt OpenAI role in from, no target', format: 'sharegpt', record: { conversations: [{ from: 'user', value: 'a' }, g('b')] }, expect: [e('sharegpt/openai-role-tag', ['conversations', 0, 'from'], 'warning')] },
  { name: 'sharegpt OpenAI roles throughout, no target: one warning', format: 'sharegpt', record: { conversations: [{ from: 'user', value: 'a' }, { from: 'assistant', value: 'b' }, { from: 'user', value: 'c' }, { from: 'assistant', value: 'd' }] }, expect: [e('sharegpt/openai-role-tag', ['conversations', 0, 'from'], 'warning')] },
  { name: 'sharegpt OpenAI role in from, LLaMA-Factory the target', format: 'sharegpt', options: { trainer: 'llamafactory' }, record: { conversations: [{ from: 'user', value: 'a' }, g('b')] }, expect: [e('sharegpt/openai-role-tag', ['conversations', 0, 'from'])] },
  { name: 'sharegpt OpenAI role in from, ms-swift the target: torchtune and LLaMA-Factory still warned of', format: 'sharegpt', options: { trainer: 'ms-swift' }, record: { conversations: [{ from: 'user', value: 'a' }, g('b')] }, expect: [e('sharegpt/openai-role-tag', ['conversations', 0, 'from'], 'warning')] },
  { name: 'sharegpt OpenAI role out of order still breaks the alternation', format: 'sharegpt', record: { conversations: [{ from: 'assistant', value: 'a' }, h('b')] }, expect: [e('sharegpt/openai-role-tag', ['conversations', 0, 'from'], 'warning'), e('llamafactory/role-alternation', ['conversations', 0, 'from'])] },
  { name: 'sharegpt role/content keys', format: 'sharegpt', record: { conversations: [u('a'), g('b')] }, expect: [e('sharegpt/openai-message-keys', ['conversations', 0, 'role'], 'error', 'key'), e('sharegpt/openai-message-keys', ['conversations', 0, 'content'], 'error', 'key')] },
  { name: 'sharegpt turn without keys', format: 'sharegpt', record: { conversations: [{ text: 'a' }, g('b')] }, expect: [e('llamafactory/missing-turn-key', ['conversations', 0]), e('llamafactory/missing-turn-key', ['conversations', 0])] },
  { name: 'sharegpt system turn not first', format: 'sharegpt', record: { conversations: [h('a'), g('b'), { from: 'system', value: 's' }, h('c'), g('d')] }, expect: [e('llamafactory/misplaced-system', ['conversations', 2, 'from'])] },
  { name: 'sharegpt unknown tag', format: 'sharegpt', record: { conversations: [h('a'), { from: 'bot', value: 'b' }] }, expect: [e('llamafactory/unknown-role-tag', ['conversations', 1, 'from'])] },
  { name: 'sharegpt function_call not JSON', format: 'sharegpt', record: { conversations: [h('a'), { from: 'function_call', value: 'call weather' }, { from: 'observation', value: 'sunny' }, g('It is sunny.')] }, expect: [e('llamafactory/function-call-json', ['conversations', 1, 'value'])] },
  { name: 'sharegpt tools not JSON', format: 'sharegpt', record: { conversations: [h('a'), g('b')], tools: 'weather tool' }, expect: [e('llamafactory/tools-not-json', ['tools'])] },
  { name: 'sharegpt empty value', format: 'sharegpt', record: { conversations: [h('a'), g('  ')] }, expect: [e('common/empty-content', ['conversations', 1, 'value'], 'warning')] },
  { name: 'sharegpt value not a string', format: 'sharegpt', record: { conversations: [h('a'), { from: 'gpt', value: 3 }] }, expect: [e('schema/type', ['conversations', 1, 'value'])] },
  {
    name: 'sharegpt with OpenAI-style tags sees a ShareGPT tag', format: 'sharegpt',
    record: { conversations: [{ role: 'human', content: 'a' }, a('b')] },
    options: { tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' } },
    expect: [e('openai/sharegpt-role', ['conversations', 0, 'role'])],
  },
  { name: 'sharegpt-preference prompt ends on gpt', format: 'sharegpt-preference', record: { conversations: [h('a'), g('b')], chosen: g('c'), rejected: g('d') }, expect: [e('llamafactory/message-count', ['conversations'])] },
  { name: 'sharegpt-preference chosen from human', format: 'sharegpt-preference', record: { conversations: [h('a')], chosen: h('c'), rejected: g('d') }, expect: [e('llamafactory/response-not-assistant', ['chosen', 'from'])] },
  { name: 'sharegpt-preference rejected uses OpenAI role', format: 'sharegpt-preference', record: { conversations: [h('a')], chosen: g('c'), rejected: { from: 'assistant', value: 'd' } }, expect: [e('sharegpt/openai-role-tag', ['rejected', 'from'])] },
  { name: 'sharegpt-preference identical', format: 'sharegpt-preference', record: { conversations: [h('a')], chosen: g('same'), rejected: g('same') }, expect: [e('common/identical-chosen-rejected', ['rejected', 'value'], 'warning')] },

  // LLaMA-Factory's 2023 reward layout: one error naming the conversion instead of "must be a string".
  { name: 'alpaca with output [chosen, rejected]', format: 'alpaca', record: { instruction: 'q', input: '', output: ['good', 'bad'] }, expect: [e('llamafactory/old-reward-layout', ['output'])] },
  { name: 'alpaca with three ranked outputs', format: 'alpaca', record: { instruction: 'q', output: ['best', 'middle', 'worst'], history: [] }, expect: [e('llamafactory/old-reward-layout', ['output'])] },

  { name: 'RL prompt set ending with a system turn', format: 'rl-prompt-messages', record: { messages: [u('q'), s('sys')], solution: '4' }, expect: [e('common/prompt-last-not-user', ['messages', 1, 'role'], 'warning')] },
  { name: 'instruct-response empty response', format: 'instruct-response', record: { instruction: 'q', response: ' ' }, expect: [e('common/empty-content', ['response'], 'warning')] },
  { name: 'stack_exchange_paired identical answers', format: 'torchtune-stack-exchange-paired', record: { question: 'q', response_j: 'same', response_k: 'same' }, expect: [e('common/identical-chosen-rejected', ['response_k'], 'warning')] },

  // openai-chat
  { name: 'openai no assistant', format: 'openai-chat', record: { messages: [u('q')] }, expect: [e('openai/missing-assistant', ['messages'])] },
  { name: 'openai from/value keys', format: 'openai-chat', record: { messages: [h('q'), a('x')] }, expect: [e('openai/sharegpt-message-keys', ['messages', 0, 'from'], 'error', 'key'), e('openai/sharegpt-message-keys', ['messages', 0, 'value'], 'error', 'key')] },
  { name: 'openai ShareGPT role value', format: 'openai-chat', record: { messages: [u('q'), { role: 'gpt', content: 'x' }] }, expect: [e('openai/sharegpt-role', ['messages', 1, 'role'])] },
  // Readers disagree on a messages file: OpenAI rejects what TRL, Axolotl, torchtune and LLaMA-Factory pass on.
  { name: 'openai unknown message key, OpenAI the target', format: 'openai-chat', options: { trainer: 'openai' }, record: { messages: [u('q'), { role: 'assistant', content: 'x', weigth: 1 }] }, expect: [e('openai/unknown-message-key', ['messages', 1, 'weigth'], 'error', 'key'), e('xtuner/unknown-message-key', ['messages', 1, 'weigth'], 'warning', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'weigth'], 'warning', 'key')] },
  { name: 'openai unknown message key, no target', format: 'openai-chat', record: { messages: [u('q'), { role: 'assistant', content: 'x', weigth: 1 }] }, expect: [e('openai/unknown-message-key', ['messages', 1, 'weigth'], 'warning', 'key'), e('xtuner/unknown-message-key', ['messages', 1, 'weigth'], 'warning', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'weigth'], 'warning', 'key')] },
  { name: 'assistant thinking, TRL the target', format: 'openai-chat', options: { trainer: 'trl' }, record: { messages: [u('q'), { role: 'assistant', content: 'x', thinking: 'hmm' }] }, expect: [e('openai/unknown-message-key', ['messages', 1, 'thinking'], 'warning', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'thinking'], 'warning', 'key')] },
  { name: 'tool-call arguments as an object, no target', format: 'openai-chat', record: { messages: [u('q'), call('f', { x: 1 }), toolTurn('c1'), a('y')], tools: [fnTool('f', ['x'])] }, expect: [e('tools/arguments-object', ['messages', 1, 'tool_calls', 0, 'function', 'arguments'], 'warning'), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool-call arguments as an object, OpenAI the target', format: 'openai-chat', options: { trainer: 'openai' }, record: { messages: [u('q'), call('f', { x: 1 }), toolTurn('c1'), a('y')] }, expect: [e('tools/arguments-object', ['messages', 1, 'tool_calls', 0, 'function', 'arguments']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool-call arguments not JSON', format: 'openai-chat', options: { trainer: 'trl' }, record: { messages: [u('q'), call('f', '{x: 1'), toolTurn('c1'), a('y')] }, expect: [e('tools/arguments-not-json', ['messages', 1, 'tool_calls', 0, 'function', 'arguments']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool-call arguments encoded twice', format: 'openai-chat', record: { messages: [u('q'), call('f', JSON.stringify(JSON.stringify({ x: 1 }))), toolTurn('c1'), a('y')] }, expect: [e('tools/arguments-double-encoded', ['messages', 1, 'tool_calls', 0, 'function', 'arguments']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool-call arguments a list', format: 'openai-chat', record: { messages: [u('q'), call('f', '[1, 2]'), toolTurn('c1'), a('y')] }, expect: [e('tools/arguments-not-object', ['messages', 1, 'tool_calls', 0, 'function', 'arguments']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'call to an undeclared tool', format: 'openai-chat', record: { messages: [u('q'), call('g', '{}'), toolTurn('c1'), a('y')], tools: [fnTool('f', [])] }, expect: [e('tools/undeclared-tool', ['messages', 1, 'tool_calls', 0, 'function', 'name']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'call without a required parameter', format: 'openai-chat', record: { messages: [u('q'), call('f', '{"y": 2}'), toolTurn('c1'), a('y')], tools: [fnTool('f', ['x'])] }, expect: [e('tools/missing-required-argument', ['messages', 1, 'tool_calls', 0, 'function', 'arguments'], 'warning'), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool turn before any call', format: 'openai-chat', record: { messages: [u('q'), toolTurn('c1'), a('y')] }, expect: [e('tools/unanswered-tool-turn', ['messages', 1, 'role']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_call_id'], 'warning', 'key')] },
  { name: 'tool turn answering an id no call has', format: 'openai-chat', record: { messages: [u('q'), call('f', '{}'), toolTurn('c9'), a('y')] }, expect: [e('tools/unanswered-tool-turn', ['messages', 2, 'tool_call_id']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')] },
  { name: 'tool turn naming a function no call named', format: 'trl-prompt-completion', record: { prompt: [u('q')], completion: [call('f', { x: 1 }), { role: 'tool', name: 'g', content: '1' }, a('y')] }, expect: [e('tools/unanswered-tool-turn', ['completion', 1, 'name'])] },
  {
    name: 'a schema problem does not hide the tool-call rules', format: 'openai-chat',
    record: { messages: [u('q'), call('f', JSON.stringify(JSON.stringify({ x: 1 }))), { role: 'tool', tool_call_id: 'c1', content: 42 }, a('y')] },
    expect: [e('schema/type', ['messages', 2, 'content']), e('tools/arguments-double-encoded', ['messages', 1, 'tool_calls', 0, 'function', 'arguments']), e('ms-swift/dropped-message-key', ['messages', 1, 'tool_calls'], 'warning', 'key')],
  },
  { name: 'dpo arguments as an object (OpenAI the only reader)', format: 'openai-dpo', record: { input: { messages: [u('q')] }, preferred_output: [call('f', { x: 1 })], non_preferred_output: [a('z')] }, expect: [e('tools/arguments-object', ['preferred_output', 0, 'tool_calls', 0, 'function', 'arguments'])] },
  // Valid OpenAI tool calls: only ms-swift, which deletes every message key but role, content and loss, is hit.
  { name: 'valid OpenAI tool calls, ms-swift among the readers', format: 'openai-chat', record: { messages: [s('sys'), u('q'), { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: '42' }, a('It is 42.')], tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }, expect: [e('ms-swift/dropped-message-key', ['messages', 2, 'tool_calls'], 'warning', 'key')] },
  { name: 'openai unrecognised role', format: 'openai-chat', record: { messages: [u('q'), { role: 'bot', content: 'x' }, a('y')] }, expect: [e('openai/unrecognized-role', ['messages', 1, 'role']), e('xtuner/unsupported-role', ['messages', 1, 'role'], 'warning')] },
  { name: 'openai missing role', format: 'openai-chat', record: { messages: [{ content: 'q' }, a('y')] }, expect: [e('openai/message-missing-key', ['messages', 0])] },
  { name: 'openai missing content', format: 'openai-chat', record: { messages: [{ role: 'user' }, a('y')] }, expect: [e('openai/missing-content', ['messages', 0])] },
  { name: 'openai null content without tool calls', format: 'openai-chat', record: { messages: [u('q'), { role: 'assistant', content: null }] }, expect: [e('openai/missing-content', ['messages', 1, 'content'])] },
  { name: 'openai empty content', format: 'openai-chat', record: { messages: [u('\t'), a('y')] }, expect: [e('common/empty-content', ['messages', 0, 'content'], 'warning')] },
  { name: 'openai ends with user', format: 'openai-chat', record: { messages: [u('q'), a('y'), u('more?')] }, expect: [e('common/last-not-assistant', ['messages', 2, 'role'], 'warning')] },
  { name: 'openai no user message', format: 'openai-chat', record: { messages: [s('sys'), a('y')] }, expect: [e('openai/no-user-message', ['messages'], 'warning'), e('torchtune/assistant-order', ['messages', 1, 'role'], 'warning')] },
  { name: 'torchtune system not first', format: 'openai-chat', record: { messages: [u('q'), a('y'), s('sys'), u('q2'), a('y2')] }, expect: [e('torchtune/system-not-first', ['messages', 2, 'role'], 'warning')] },
  { name: 'torchtune consecutive user', format: 'openai-chat', record: { messages: [u('q'), u('q2'), a('y')] }, expect: [e('torchtune/consecutive-user', ['messages', 1, 'role'], 'warning')] },
  { name: 'openai tools as text', format: 'openai-chat', record: { messages: [u('q'), a('y')], tools: '[]' }, expect: [e('openai/tools-as-text', ['tools'])] },

  // openai-dpo
  { name: 'dpo two preferred messages', format: 'openai-dpo', record: { input: { messages: [u('q')] }, preferred_output: [a('x'), a('y')], non_preferred_output: [a('z')] }, expect: [e('openai/dpo-output-count', ['preferred_output'])] },
  { name: 'dpo output from user', format: 'openai-dpo', record: { input: { messages: [u('q')] }, preferred_output: [a('x')], non_preferred_output: [u('z')] }, expect: [e('openai/dpo-output-role', ['non_preferred_output', 0, 'role'])] },
  { name: 'dpo identical outputs', format: 'openai-dpo', record: { input: { messages: [u('q')] }, preferred_output: [a('x')], non_preferred_output: [a('x')] }, expect: [e('common/identical-chosen-rejected', ['non_preferred_output'], 'warning')] },
  { name: 'dpo input ends with assistant', format: 'openai-dpo', record: { input: { messages: [u('q'), a('p')] }, preferred_output: [a('x')], non_preferred_output: [a('y')] }, expect: [e('common/prompt-last-not-user', ['input', 'messages', 1, 'role'], 'warning')] },
  { name: 'dpo without input', format: 'openai-dpo', record: { preferred_output: [a('x')], non_preferred_output: [a('y')] }, expect: [e('schema/required', [])] },

  // TRL
  { name: 'trl-text empty', format: 'trl-text', record: { text: '' }, expect: [e('common/empty-content', ['text'], 'warning')] },
  { name: 'trl-text not a string', format: 'trl-text', record: { text: ['a'] }, expect: [e('schema/type', ['text'])] },
  { name: 'prompt-only empty prompt', format: 'trl-prompt-only', record: { prompt: '  ' }, expect: [e('common/empty-content', ['prompt'], 'warning')] },
  { name: 'prompt-only ends with assistant', format: 'trl-prompt-only', record: { prompt: [u('q'), a('p')] }, expect: [e('common/prompt-last-not-user', ['prompt', 1, 'role'], 'warning')] },
  { name: 'prompt-only ShareGPT role value', format: 'trl-prompt-only', record: { prompt: [{ role: 'human', content: 'q' }] }, expect: [e('trl/sharegpt-role', ['prompt', 0, 'role'])] },
  { name: 'prompt-completion mixed shapes', format: 'trl-prompt-completion', record: { prompt: 'q', completion: [a('x')] }, expect: [e('trl/mixed-variant', ['completion'])] },
  { name: 'prompt-completion file variant', format: 'trl-prompt-completion', record: { prompt: [u('q')], completion: [a('x')] }, options: { variant: 'standard' }, expect: [e('trl/mixed-variant', ['prompt'])] },
  { name: 'completion with a user turn', format: 'trl-prompt-completion', record: { prompt: [u('q')], completion: [u('again'), a('x')] }, expect: [e('trl/completion-user-role', ['completion', 0, 'role'])] },
  { name: 'prompt ends with assistant', format: 'trl-prompt-completion', record: { prompt: [u('q'), a('p')], completion: [a('x')] }, expect: [e('common/prompt-last-not-user', ['prompt', 1, 'role'], 'warning')] },
  { name: 'TRL ShareGPT role value', format: 'trl-prompt-completion', record: { prompt: [{ role: 'human', content: 'q' }], completion: [a('x')] }, expect: [e('trl/sharegpt-role', ['prompt', 0, 'role'])] },
  { name: 'TRL from/value keys', format: 'trl-prompt-completion', record: { prompt: [h('q')], completion: [a('x')] }, expect: [e('trl/sharegpt-message-keys', ['prompt', 0, 'from'], 'warning', 'key'), e('trl/sharegpt-message-keys', ['prompt', 0, 'value'], 'warning', 'key')] },
  { name: 'TRL unknown role', format: 'trl-prompt-completion', record: { prompt: [{ role: 'narrator', content: 'q' }, u('q')], completion: [a('x')] }, expect: [e('trl/unrecognized-role', ['prompt', 0, 'role'])] },
  { name: 'TRL message without role', format: 'trl-prompt-completion', record: { prompt: [{ content: 'q' }], completion: [a('x')] }, expect: [e('trl/message-missing-key', ['prompt', 0])] },
  { name: 'TRL message without content', format: 'trl-prompt-completion', record: { prompt: [{ role: 'user' }], completion: [a('x')] }, expect: [e('trl/missing-content', ['prompt', 0])] },
  { name: 'standard prompt repeated in chosen', format: 'trl-preference', record: { prompt: 'What is the sky?', chosen: 'What is the sky? Blue.', rejected: 'Green.' }, expect: [e('trl/prompt-in-chosen', ['chosen'], 'warning')] },
  { name: 'conversational prompt repeated in chosen', format: 'trl-preference', record: { prompt: [u('q')], chosen: [u('q'), a('good')], rejected: [a('bad')] }, expect: [e('trl/prompt-in-chosen', ['chosen', 0], 'warning')] },
  { name: 'rejected with a user turn (TRL #2385)', format: 'trl-preference', record: { prompt: [u('q')], chosen: [a('good')], rejected: [u('other'), a('bad')] }, expect: [e('trl/rejected-user-role', ['rejected', 0, 'role'])] },
  { name: 'chosen with a user turn', format: 'trl-preference', record: { prompt: [u('q')], chosen: [a('good'), u('thanks')], rejected: [a('bad')] }, expect: [e('trl/chosen-user-role', ['chosen', 1, 'role'])] },
  { name: 'preference prompt ends with assistant', format: 'trl-preference', record: { prompt: [u('q'), a('p')], chosen: [a('good')], rejected: [a('bad')] }, expect: [e('common/prompt-last-not-user', ['prompt', 1, 'role'], 'warning')] },
  { name: 'trl-preference identical strings', format: 'trl-preference', record: { prompt: 'q', chosen: 'same', rejected: 'same' }, expect: [e('common/identical-chosen-rejected', ['rejected'], 'warning')] },
  { name: 'trl-preference identical lists', format: 'trl-preference', record: { prompt: [u('q')], chosen: [a('same')], rejected: [a('same')] }, expect: [e('common/identical-chosen-rejected', ['rejected'], 'warning')] },
  { name: 'trl-preference mixed shapes', format: 'trl-preference', record: { prompt: [u('q')], chosen: 'good', rejected: 'bad' }, expect: [e('trl/mixed-variant', ['chosen'])] },
  { name: 'implicit pair with no shared prompt', format: 'trl-preference-implicit', record: { chosen: [u('q1'), a('x')], rejected: [u('q2'), a('y')] }, expect: [e('trl/no-shared-prompt', ['rejected', 0], 'warning')] },
  { name: 'implicit chosen ends with user', format: 'trl-preference-implicit', record: { chosen: [u('q'), a('x'), u('?')], rejected: [u('q'), a('y')] }, expect: [e('common/last-not-assistant', ['chosen', 2, 'role'], 'warning')] },
  { name: 'implicit missing rejected', format: 'trl-preference-implicit', record: { chosen: 'x' }, expect: [e('schema/anyOf', [])] },
  { name: 'v1 preference with ShareGPT role', format: 'trl-preference-implicit', record: { chosen_messages: [{ role: 'human', content: [{ type: 'text', value: 'q' }] }, a('x')], rejected_messages: [u('q'), a('y')] }, expect: [e('llamafactory/sharegpt-role', ['chosen_messages', 0, 'role']), e('trl/no-shared-prompt', ['rejected_messages', 0], 'warning')] },
  { name: 'unpaired label as string', format: 'trl-unpaired', record: { prompt: 'q', completion: 'x', label: 'true' }, expect: [e('trl/label-not-boolean', ['label'])] },
  { name: 'stepwise lengths differ', format: 'trl-stepwise', record: { prompt: 'q', completions: ['a', 'b'], labels: [true] }, expect: [e('trl/stepwise-length-mismatch', ['labels'])] },
  { name: 'stepwise label not boolean', format: 'trl-stepwise', record: { prompt: 'q', completions: ['a', 'b'], labels: [true, 1] }, expect: [e('trl/label-not-boolean', ['labels', 1])] },
  { name: 'stepwise empty step', format: 'trl-stepwise', record: { prompt: 'q', completions: ['a', ''], labels: [true, false] }, expect: [e('common/empty-content', ['completions', 1], 'warning')] },

  // LLaMA-Factory KTO
  { name: 'KTO label as string', format: 'llamafactory-kto', record: kto([u('q'), a('x')], 'true'), expect: [e('llamafactory/kto-tag-not-boolean', ['label'])] },
  { name: 'KTO odd message count', format: 'llamafactory-kto', record: kto([u('q'), a('x'), u('y')]), expect: [e('llamafactory/message-count', ['messages'])] },
  { name: 'KTO ShareGPT role value', format: 'llamafactory-kto', record: kto([{ role: 'human', content: 'q' }, a('x')]), expect: [e('openai/sharegpt-role', ['messages', 0, 'role'])] },
  { name: 'KTO from/value keys', format: 'llamafactory-kto', record: kto([h('q'), a('x')]), expect: [e('openai/sharegpt-message-keys', ['messages', 0, 'from'], 'error', 'key'), e('openai/sharegpt-message-keys', ['messages', 0, 'value'], 'error', 'key')] },
  { name: 'KTO turns do not alternate', format: 'llamafactory-kto', record: kto([a('x'), u('q')]), expect: [e('llamafactory/role-alternation', ['messages', 0, 'role'])] },

  // Axolotl
  { name: 'intel identical', format: 'axolotl-chatml-intel', record: { question: 'q', chosen: 'same', rejected: 'same' }, expect: [e('common/identical-chosen-rejected', ['rejected'], 'warning')] },
  { name: 'intel empty question', format: 'axolotl-chatml-intel', record: { question: ' ', chosen: 'a', rejected: 'b' }, expect: [e('common/empty-content', ['question'], 'warning')] },
  { name: 'argilla identical', format: 'axolotl-chatml-argilla', record: { instruction: 'q', chosen_response: 'same', rejected_response: 'same' }, expect: [e('common/identical-chosen-rejected', ['rejected_response'], 'warning')] },
  { name: 'prompt-pairs rejected not a string', format: 'axolotl-chatml-prompt-pairs', record: { system: 's', prompt: 'q', chosen: 'a', rejected: null }, expect: [e('schema/type', ['rejected'])] },
  { name: 'ultra answer missing', format: 'axolotl-chatml-ultra', record: { prompt: 'q', chosen: [u('q')], rejected: [u('q'), a('b')] }, expect: [e('torchtune/too-few-messages', ['chosen']), e('axolotl/ultra-answer-position', ['chosen'])] },
  { name: 'ultra extra turns', format: 'axolotl-chatml-ultra', record: { prompt: 'q', chosen: [u('q'), a('a'), u('q2'), a('b')], rejected: [u('q'), a('c')] }, expect: [e('axolotl/ultra-extra-turns', ['chosen', 2], 'warning')] },
  { name: 'ultra assistant first', format: 'axolotl-chatml-ultra', record: { chosen: [a('a'), a('b')], rejected: [u('q'), a('c')] }, expect: [e('torchtune/assistant-order', ['chosen', 0, 'role'])] },
  { name: 'ultra ShareGPT role', format: 'axolotl-chatml-ultra', record: { chosen: [{ role: 'human', content: 'q' }, a('b')], rejected: [u('q'), a('c')] }, expect: [e('torchtune/sharegpt-role', ['chosen', 0, 'role'])] },

  // distilabel, Label Studio, ranked, candidates
  { name: 'distilabel swapped ratings', format: 'distilabel-dpo', record: { prompt: 'q', chosen: [u('q'), a('x')], rejected: [u('q'), a('y')], chosen_rating: 2, rejected_rating: 4 }, expect: [e('distilabel/rating-order', ['chosen_rating'], 'warning')] },
  { name: 'distilabel tied ratings', format: 'distilabel-dpo', record: { prompt: 'q', chosen: 'x', rejected: 'y', chosen_rating: 3, rejected_rating: 3 }, expect: [e('distilabel/tied-ratings', ['chosen_rating'], 'warning')] },
  { name: 'labelstudio identical answers', format: 'labelstudio-pairwise', record: { prompt: 'q', answer1: 'same', answer2: 'same' }, expect: [e('common/identical-responses', ['answer2'], 'warning')] },
  { name: 'ranked single answer', format: 'ranked', record: { prompt: 'q', answers: [{ answer: 'x', rank: 1 }] }, expect: [e('ranked/too-few-answers', ['answers'], 'warning')] },
  { name: 'ranked tie', format: 'ranked', record: { prompt: 'q', answers: [{ answer: 'x', rank: 1 }, { answer: 'y', rank: 1 }] }, expect: [e('ranked/tied-ranks', ['answers', 1, 'rank'], 'warning')] },
  { name: 'ranked rank as text', format: 'ranked', record: { prompt: 'q', answers: [{ answer: 'x', rank: '1' }, { answer: 'y', rank: 2 }] }, expect: [e('schema/type', ['answers', 0, 'rank'])] },
  { name: 'candidates single response', format: 'candidates', record: { id: 'a', prompt: [u('q')], responses: [{ model: 'm', content: 'x' }] }, expect: [e('candidates/too-few-responses', ['responses'], 'warning')] },
  { name: 'candidates identical responses', format: 'candidates', record: { id: 'a', prompt: [u('q')], responses: [{ model: 'm', content: 'x' }, { model: 'n', content: 'x' }] }, expect: [e('common/identical-responses', ['responses', 1, 'content'], 'warning')] },
  { name: 'candidates ShareGPT role', format: 'candidates', record: { id: 'a', prompt: [{ role: 'human', content: 'q' }], responses: [{ model: 'm', content: 'x' }, { model: 'n', content: 'y' }] }, expect: [e('pairwise/sharegpt-role', ['prompt', 0, 'role'])] },
  // Message keys judged by each reader's profile (src/core/trainers/messageKeys.ts).
  { name: 'xtuner rejects a weight key, xtuner the target', format: 'openai-chat', options: { trainer: 'xtuner' }, record: { messages: [u('q'), { role: 'assistant', content: 'x', weight: 1 }] }, expect: [e('xtuner/unknown-message-key', ['messages', 1, 'weight'], 'error', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'weight'], 'warning', 'key')] },
  { name: 'xtuner: thinking on a user turn', format: 'openai-chat', options: { trainer: 'xtuner' }, record: { messages: [{ role: 'user', content: 'q', thinking: 'h' }, a('y')] }, expect: [e('openai/unknown-message-key', ['messages', 0, 'thinking'], 'warning', 'key'), e('xtuner/thinking-not-assistant', ['messages', 0, 'thinking'], 'error', 'key'), e('ms-swift/dropped-message-key', ['messages', 0, 'thinking'], 'warning', 'key')] },
  { name: 'xtuner: a function turn', format: 'openai-chat', options: { trainer: 'xtuner' }, record: { messages: [u('q'), { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }, { role: 'function', name: 'f', content: '1' }, a('y')] }, expect: [e('torchtune/assistant-order', ['messages', 3, 'role'], 'warning'), e('xtuner/unknown-message-key', ['messages', 1, 'function_call'], 'error', 'key'), e('xtuner/unsupported-role', ['messages', 2, 'role']), e('ms-swift/dropped-message-key', ['messages', 1, 'function_call'], 'warning', 'key')] },
  { name: 'ms-swift the target: a thinking key is deleted', format: 'openai-chat', options: { trainer: 'ms-swift' }, record: { messages: [u('q'), { role: 'assistant', content: 'x', thinking: 'hmm' }] }, expect: [e('openai/unknown-message-key', ['messages', 1, 'thinking'], 'warning', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'thinking'], 'error', 'key')] },
  { name: 'an answer masked with loss: false, ms-swift the target', format: 'openai-chat', options: { trainer: 'ms-swift' }, record: { messages: [u('q'), { role: 'assistant', content: 'draft', loss: false }, u('q2'), a('y')] }, expect: [e('openai/unknown-message-key', ['messages', 1, 'loss'], 'warning', 'key'), e('messages/loss-mask-ignored', ['messages', 1, 'loss'], 'warning', 'key')] },
  { name: 'an answer masked with weight: 0, TRL the target', format: 'openai-chat', options: { trainer: 'trl' }, record: { messages: [u('q'), { role: 'assistant', content: 'draft', weight: 0 }, u('q2'), a('y')] }, expect: [e('xtuner/unknown-message-key', ['messages', 1, 'weight'], 'warning', 'key'), e('ms-swift/dropped-message-key', ['messages', 1, 'weight'], 'warning', 'key'), e('messages/loss-mask-ignored', ['messages', 1, 'weight'], 'error', 'key')] },
  { name: 'a masked user turn is no finding', format: 'openai-chat', options: { trainer: 'ms-swift' }, record: { messages: [{ role: 'user', content: 'q', loss: false }, a('y')] }, expect: [e('openai/unknown-message-key', ['messages', 0, 'loss'], 'warning', 'key')] },
  // Media lists and their tags (mediaRules.ts).
  { name: 'two images, one <image> tag, LLaMA-Factory the target', format: 'openai-chat', options: { trainer: 'llamafactory' }, record: { messages: [u('<image>What differs from this one?'), a('The colour.')], images: ['a.jpg', 'b.jpg'] }, expect: [e('media/placeholder-count', ['images'])] },
  { name: 'two images, one <image> tag, no target', format: 'openai-chat', record: { messages: [u('<image>What differs from this one?'), a('The colour.')], images: ['a.jpg', 'b.jpg'] }, expect: [e('media/placeholder-count', ['images'], 'warning')] },
  { name: 'an image with no tag: ms-swift places it, LLaMA-Factory stops', format: 'sharegpt', options: { trainer: 'ms-swift' }, record: { conversations: [h('What is this?'), { from: 'gpt', value: 'A cat.' }], images: 'cat.jpg' }, expect: [e('media/placeholder-count', ['images'], 'warning')] },
  { name: 'videos and their tags match', format: 'sharegpt', options: { trainer: 'llamafactory' }, record: { conversations: [h('<video><video>Which is longer?'), { from: 'gpt', value: 'The first.' }], videos: ['a.mp4', 'b.mp4'] }, expect: [] },
  // ms-swift layouts.
  { name: 'query-response: empty query and response', format: 'query-response', record: { query: ' ', response: '' }, expect: [e('common/empty-content', ['query'], 'warning'), e('common/empty-content', ['response'], 'warning')] },
  { name: 'query-response: a history pair of three', format: 'query-response', record: { query: 'q', response: 'r', history: [['a', 'b', 'c']] }, expect: [e('schema/maxItems', ['history', 0])] },
  { name: 'swift-preference: the chosen answer is not last', format: 'swift-preference', record: { messages: [u('q'), a('x'), u('again?')], rejected_response: 'y' }, expect: [e('ms-swift/chosen-not-last', ['messages', 2, 'role'])] },
  { name: 'swift-preference: rejected equals chosen', format: 'swift-preference', record: { messages: [u('q'), a('same')], rejected_response: 'same' }, expect: [e('ms-swift/rejected-equals-chosen', ['rejected_response'])] },
  { name: 'swift-preference: a thinking key ms-swift deletes', format: 'swift-preference', record: { messages: [u('q'), { role: 'assistant', content: 'x', thinking: 'hm' }], rejected_response: 'y' }, expect: [e('ms-swift/dropped-message-key', ['messages', 1, 'thinking'], 'error', 'key')] },
  { name: 'swift-preference: rejected_response missing', format: 'swift-preference', record: { messages: [u('q'), a('x')], rejected_response: null }, expect: [e('schema/type', ['rejected_response'])] },
  { name: 'swift-conversation: an empty answer', format: 'swift-conversation', record: { conversation: [{ human: 'q', assistant: ' ' }] }, expect: [e('common/empty-content', ['conversation', 0, 'assistant'], 'warning')] },
  { name: 'swift-conversation: a pair without its answer', format: 'swift-conversation', record: { conversation: [{ human: 'q' }] }, expect: [e('schema/required', ['conversation', 0])] },
];
