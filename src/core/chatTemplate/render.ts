/**
 * Renders a chat template and reports the characters between `{% generation %}` and
 * `{% endgeneration %}`: the spans transformers' `apply_chat_template(return_assistant_tokens_mask=True)`
 * marks as assistant tokens (transformers/utils/chat_template_utils.py AssistantTracker), which TRL's
 * `assistant_only_loss` trains (trl/trainer/sft_trainer.py, `assistant_masks`).
 *
 * The tags are rewritten to print private-use sentinels, then removed from the output, so the text
 * is exactly what the plain render gives. Whitespace control is kept: transformers renders with
 * trim_blocks and lstrip_blocks, so a tag's own newline goes and `-` strips around it.
 */
import { getHeapStatistics } from 'node:v8';
import { Environment, Interpreter, Template } from '@huggingface/jinja';

const START = '\uE000';
const END = '\uE001';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Rendered {
  readonly text: string;
  /** Character spans inside {% generation %} blocks, in order. */
  readonly generation: readonly Span[];
  readonly hasGenerationMarkers: boolean;
}

const GENERATION_TAG = /^([ \t]*)\{%(-?)\s*(end)?generation\s*(-?)%\}(\n?)/gm;
const GENERATION_TAG_INLINE = /\{%(-?)\s*(end)?generation\s*(-?)%\}(\n?)/g;

function rewrite(source: string): string {
  const sentinel = (end: string | undefined, l: string, r: string): string => `{{${l} "${end ? END : START}" ${r}}}`;
  // lstrip_blocks: leading blanks of a line that starts with a block tag go.
  let out = source.replace(GENERATION_TAG, (_m, _indent: string, l: string, end: string | undefined, r: string) => sentinel(end, l, r));
  // trim_blocks: the newline right after a block tag goes.
  out = out.replace(GENERATION_TAG_INLINE, (_m, l: string, end: string | undefined, r: string) => sentinel(end, l, r));
  return out;
}

/**
 * The longest one render may take. A chat template comes from a model folder or the Hub, and runs
 * on the calling thread (the extension host's, for a hover): `{% for i in range(100000) %}{% for j
 * in range(100000) %}` froze the host with no end. A real template renders a record in well under
 * a millisecond.
 */
export const RENDER_TIME_LIMIT_MS = 2000;

/** The render in progress on this thread: its deadline, the evaluations so far, the heap it started with. */
let budget: { deadline: number; steps: number; limitMs: number; heapAtStart: number } | undefined;

function checkHeap(b: NonNullable<typeof budget>): void {
  if (getHeapStatistics().used_heap_size - b.heapAtStart > RENDER_MAX_HEAP_GROWTH) {
    throw new Error(`the chat template used more than ${RENDER_MAX_HEAP_GROWTH / (1024 * 1024)} MB of memory on one record and was stopped`);
  }
}

/**
 * The most items a list, and characters a string, may have while a template renders. The clock
 * cannot stop one builtin call: `range(10**9)` built a billion numbers, and doubling a string or a
 * list forty times takes forty steps and more memory than the machine has. A real template's
 * largest value is the conversation it prints (1M tokens are about 4M characters).
 */
export const RENDER_MAX_ITEMS = 1_000_000;
export const RENDER_MAX_CHARS = 32 * 1024 * 1024;
/**
 * How much the JavaScript heap may grow during one render. Values under the bounds above can still
 * pile up (a list of lists of a million items each took 2.3 GB within the 2 s): the heap is read
 * every 1,024 evaluations and after each value of 64K items or characters or more.
 */
export const RENDER_MAX_HEAP_GROWTH = 512 * 1024 * 1024;
const LARGE_VALUE = 1 << 16;

// @huggingface/jinja has no step, time or size limit, and Template#render makes its Interpreter
// inside: its one entry point for every node is wrapped, to check the clock every 16 evaluations (a
// single evaluation can take long: building `range(100000)`) and the size of what each evaluation
// made.
const evaluateNode = Interpreter.prototype.evaluate;
Interpreter.prototype.evaluate = function (this: Interpreter, ...args: Parameters<Interpreter['evaluate']>) {
  const b = budget;
  if (b && (++b.steps & 15) === 0) {
    if (performance.now() > b.deadline) throw new Error(`the chat template ran longer than ${b.limitMs / 1000} s on one record and was stopped`);
    if ((b.steps & 1023) === 0) checkHeap(b);
  }
  const value = evaluateNode.apply(this, args) as { type?: string; value?: unknown };
  const size = value?.type === 'StringValue' ? (value.value as string).length : value?.type === 'ArrayValue' ? (value.value as unknown[]).length : 0;
  if (size >= LARGE_VALUE) {
    if (value.type === 'StringValue' && size > RENDER_MAX_CHARS) throw new Error(`the chat template built a text of more than ${RENDER_MAX_CHARS} characters and was stopped`);
    if (value.type === 'ArrayValue' && size > RENDER_MAX_ITEMS) throw new Error(`the chat template built a list of more than ${RENDER_MAX_ITEMS} items and was stopped`);
    if (b) checkHeap(b);
  }
  return value as ReturnType<Interpreter['evaluate']>;
};

// The global `range` is a plain function the library defines and sets on each render's Environment:
// it is swapped there for one that refuses, before building anything, a range past RENDER_MAX_ITEMS.
const setVariable = Environment.prototype.set;
Environment.prototype.set = function (this: Environment, name: string, value: unknown) {
  return setVariable.call(this, name, name === 'range' && typeof value === 'function' ? boundedRange(value as (...a: number[]) => number[]) : value);
};

function boundedRange(range: (...a: number[]) => number[]): (...a: number[]) => number[] {
  return (...a: number[]) => {
    // The arguments as the library reads them: without a stop (absent or undefined, as a missing
    // variable is), the start is the stop. `-` coerces as its loop's `<` does; where it gives NaN
    // (a start or stop that is no number) the loop runs once at most.
    let [start, stop] = [a[0], a[1]];
    const step = a[2] ?? 1;
    if (step === 0) return range(...a); // the library's own error
    if (stop === undefined) [start, stop] = [0, start];
    const items = (stop - start) / step;
    if (items > RENDER_MAX_ITEMS) throw new Error(`the chat template asked for range() of ${items} items, more than ${RENDER_MAX_ITEMS}, and was stopped`);
    return range(...a);
  };
}

export class ChatTemplateRenderer {
  private readonly template: Template;
  readonly hasGenerationMarkers: boolean;

  constructor(source: string) {
    this.hasGenerationMarkers = /\{%-?\s*generation\s*-?%\}/.test(source);
    this.template = new Template(this.hasGenerationMarkers ? rewrite(source) : source);
  }

  render(context: Record<string, unknown>, limitMs = RENDER_TIME_LIMIT_MS): Rendered {
    const outer = budget;
    budget = { deadline: performance.now() + limitMs, steps: 0, limitMs, heapAtStart: getHeapStatistics().used_heap_size };
    let raw: string;
    try {
      raw = this.template.render(context);
    } finally {
      budget = outer;
    }
    if (!this.hasGenerationMarkers) return { text: raw, generation: [], hasGenerationMarkers: false };
    let text = '';
    const generation: Span[] = [];
    let open = -1;
    for (const ch of raw) {
      if (ch === START) open = text.length;
      else if (ch === END) {
        if (open >= 0) generation.push({ start: open, end: text.length });
        open = -1;
      } else text += ch;
    }
    return { text, generation, hasGenerationMarkers: true };
  }
}
