/**
 * The project's own datasets, for the tests and benchmarks that need realistic files of some size:
 * records in the shapes the trainers' demo files use (LLaMA-Factory's Alpaca, ShareGPT preference,
 * KTO, tool-calling ShareGPT, plain text and its v1 typed-content schema), written from our own
 * templates by a seeded generator, so every run on every machine sees the same bytes. Nothing here
 * comes from ../shared/corpus (which a clone elsewhere does not have, and which may not be copied):
 * that corpus only adds checks where it exists (test/support/corpus.ts).
 *
 * Each dataset says what the tests check against: its format, its records, and which records repeat
 * an earlier one byte for byte (the `common/duplicate-record` warnings).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FormatId } from '../../src/core/formats/formatModule';
import { seededRandom } from '../../src/core/base/random';

export type OwnRecord = Record<string, unknown>;

export interface OwnDataset {
  /** File name, without folder. `.json` files are a JSON array printed with two-space indents (as LLaMA-Factory's are), `.jsonl` one record per line. */
  name: string;
  format: FormatId;
  records: OwnRecord[];
  /** Indexes of the records that repeat an earlier record exactly, ascending. */
  duplicates: number[];
  /** For each index in `duplicates`, the index of the record it repeats. */
  duplicateOf: Map<number, number>;
}

/** The core's seeded generator (mulberry32), so the datasets are the same bytes everywhere. */
const seeded = seededRandom;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Topic {
  name: string;
  things: string[];
}

const TOPICS: Topic[] = [
  { name: 'sourdough baking', things: ['the starter', 'the flour', 'the proofing time', 'the oven temperature', 'the scoring blade'] },
  { name: 'bicycle maintenance', things: ['the chain', 'the tyre pressure', 'the brake pads', 'the gear cable', 'the saddle height'] },
  { name: 'container gardening', things: ['the potting mix', 'the drainage holes', 'the watering schedule', 'the pot size', 'the afternoon sun'] },
  { name: 'photosynthesis', things: ['chlorophyll', 'the light reactions', 'carbon dioxide uptake', 'the stomata', 'glucose storage'] },
  { name: 'learning the guitar', things: ['the chord shapes', 'the metronome', 'the string action', 'finger calluses', 'the practice log'] },
  { name: 'home budgeting', things: ['the monthly review', 'the emergency fund', 'recurring subscriptions', 'the grocery list', 'the spreadsheet'] },
  { name: 'birdwatching', things: ['the binoculars', 'the field guide', 'early mornings', 'the feeder', 'bird calls'] },
  { name: 'writing unit tests', things: ['the test names', 'the fixtures', 'edge cases', 'the assertion messages', 'flaky timing'] },
  { name: 'marathon training', things: ['the long run', 'recovery days', 'the running shoes', 'the pace chart', 'hydration'] },
  { name: 'tide pools', things: ['the low tide table', 'sea anemones', 'slippery rocks', 'hermit crabs', 'the rock pools at dawn'] },
  { name: 'composting', things: ['the green waste', 'the brown leaves', 'the moisture level', 'turning the heap', 'the bin lid'] },
  { name: 'public speaking', things: ['the opening line', 'eye contact', 'the slides', 'the rehearsal', 'the pause before a key point'] },
  { name: 'keeping chickens', things: ['the coop', 'fresh water', 'the nesting boxes', 'the feed', 'the fox-proof fence'] },
  { name: 'astronomy for beginners', things: ['the star chart', 'dark skies', 'the red torch', 'the moon phase', 'a steady tripod'] },
  { name: 'fermenting vegetables', things: ['the brine', 'the salt ratio', 'the jar weight', 'the room temperature', 'the tasting schedule'] },
  { name: 'touch typing', things: ['the home row', 'posture', 'short drills', 'accuracy before speed', 'the keyboard height'] },
  { name: 'watercolour painting', things: ['the paper weight', 'the water jar', 'wet-on-wet washes', 'the brush size', 'drying time'] },
  { name: 'beekeeping', things: ['the smoker', 'the queen', 'the frames', 'the varroa count', 'the winter stores'] },
  { name: 'reading a map', things: ['the contour lines', 'the scale bar', 'the compass bearing', 'the legend', 'grid references'] },
  { name: 'learning a language', things: ['daily vocabulary', 'listening practice', 'a conversation partner', 'the grammar notes', 'spaced repetition'] },
  { name: 'woodworking', things: ['the chisel edge', 'the grain direction', 'clamps', 'the glue-up', 'measuring twice'] },
  { name: 'houseplant care', things: ['the light level', 'overwatering', 'the humidity', 'the repotting season', 'yellow leaves'] },
  { name: 'camping in the rain', things: ['the tent fly', 'a dry bag', 'the groundsheet', 'wool socks', 'the campsite slope'] },
  { name: 'making pasta', things: ['the egg dough', 'the resting time', 'the rolling pin', 'the salted water', 'the flour dusting'] },
  { name: 'saving energy at home', things: ['the thermostat', 'draught excluders', 'the washing temperature', 'standby power', 'the loft insulation'] },
  { name: 'chess openings', things: ['the centre squares', 'piece development', 'castling early', 'the opening book', 'tempo'] },
];

const VERBS = ['check', 'adjust', 'measure', 'replace', 'clean', 'review', 'test', 'write down'];
const ADJECTIVES = ['steady', 'noticeable', 'surprising', 'small but real', 'consistent', 'quick', 'lasting'];
const TIMES = ['day', 'week', 'fortnight', 'month', 'season'];

const SENTENCES: ((t: Topic, r: Rand) => string)[] = [
  (t, r) => `Start with ${pick(r, t.things)}: it decides much of what happens in ${t.name} later.`,
  (t, r) => `Most people see ${pick(r, ADJECTIVES)} results once they ${pick(r, VERBS)} ${pick(r, t.things)} every ${pick(r, TIMES)}.`,
  (t, r) => `If something goes wrong, look at ${pick(r, t.things)} first, because it is the usual cause.`,
  (t, r) => `A common mistake is to ${pick(r, VERBS)} ${pick(r, t.things)} too early.`,
  (t, r) => `Keep short notes on ${pick(r, t.things)}; after a ${pick(r, TIMES)} you will see a pattern.`,
  (t, r) => `People disagree about ${pick(r, t.things)}, but everyone agrees that ${t.name} rewards patience.`,
  (_t, r) => `Write down what you changed, so the ${pick(r, ['next attempt', 'next session', 'next try'])} starts from facts rather than memory.`,
  (t, r) => `Ask someone who knows ${t.name}; a short visit teaches more than a long article about ${pick(r, t.things)}.`,
  (t, r) => `Cheap equipment for ${pick(r, t.things)} works well enough for a beginner.`,
  (t, r) => `Change one thing at a time, for example ${pick(r, t.things)}, and wait a ${pick(r, TIMES)} before the next change.`,
  (t, r) => `The difference between ${pick(r, t.things)} and ${pick(r, t.things)} matters less than doing it regularly.`,
  (t, r) => `You can ${pick(r, VERBS)} ${pick(r, t.things)} in a few minutes, so make it a habit.`,
  (t, r) => `Beginners often underestimate ${pick(r, t.things)}, and experts often overthink it.`,
  (t) => `When in doubt, go back to the basics of ${t.name} and repeat them slowly.`,
];

const PROMPTS: ((t: Topic, r: Rand) => string)[] = [
  (t) => `How do I get started with ${t.name}?`,
  (t) => `Explain ${t.name} to a complete beginner.`,
  (t, r) => `What should I know about ${pick(r, t.things)} when it comes to ${t.name}?`,
  (t) => `Give me three practical tips for ${t.name}.`,
  (t) => `Write a short paragraph about ${t.name}.`,
  (t, r) => `Why does ${pick(r, t.things)} matter for ${t.name}?`,
  (t) => `Summarize the basics of ${t.name} in plain words.`,
  (t, r) => `I keep having trouble with ${pick(r, t.things)}. What am I doing wrong?`,
];

const WEAK_ANSWERS: ((t: Topic, r: Rand) => string)[] = [
  (t) => `${upper(t.name)} is a broad subject and it depends on many things.`,
  (t) => `I am not sure. You could search online for ${t.name}.`,
  (t, r) => `Just ${pick(r, VERBS)} ${pick(r, t.things)} and see what happens.`,
  (t) => `There is no single answer about ${t.name}; everyone does it differently.`,
  () => `That is a good question. It is hard to say without more details.`,
];

function paragraph(t: Topic, r: Rand, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(pick(r, SENTENCES)(t, r));
  return out.join(' ');
}

/** An answer of 1 to `max` sentences, most of them short: a long tail like real answers. */
function answer(t: Topic, r: Rand, max: number): string {
  const n = 1 + Math.floor(r() * r() * max);
  if (n <= 4) return paragraph(t, r, n);
  // Longer answers come in paragraphs, sometimes as a numbered list.
  const parts: string[] = [];
  let left = n;
  while (left > 0) {
    const k = Math.min(left, 2 + Math.floor(r() * 3));
    parts.push(paragraph(t, r, k));
    left -= k;
  }
  if (r() < 0.3) return parts.map((p, i) => `${i + 1}. ${p}`).join('\n');
  return parts.join('\n\n');
}

const ZH_TOPICS: Topic[] = [
  { name: '种番茄', things: ['土壤', '浇水的时间', '阳光', '搭架子', '施肥'] },
  { name: '练书法', things: ['握笔的姿势', '墨的浓淡', '字帖', '每天的练习', '纸张'] },
  { name: '整理书架', things: ['书的分类', '常读的书', '书架的高度', '旧杂志', '标签'] },
  { name: '骑车上班', things: ['路线', '头盔', '车灯', '雨衣', '车胎气压'] },
  { name: '煮米饭', things: ['米和水的比例', '淘米', '火候', '焖的时间', '锅'] },
  { name: '养金鱼', things: ['水温', '换水', '鱼食的量', '过滤器', '鱼缸的位置'] },
  { name: '练长跑', things: ['配速', '跑鞋', '休息日', '热身', '补水'] },
  { name: '记笔记', things: ['标题', '关键词', '复习的时间', '笔记本', '提纲'] },
  { name: '学做面包', things: ['面粉', '酵母', '发酵的时间', '烤箱温度', '揉面'] },
  { name: '准备考试', things: ['复习计划', '错题本', '睡眠', '模拟题', '休息'] },
];
const ZH_ADJ = ['明显', '稳定', '意外', '持久', '很快'];
const ZH_VERBS = ['检查', '调整', '记录', '更换', '清理'];
const ZH_TIMES = ['天', '周', '个月'];
const ZH_SENTENCES: ((t: Topic, r: Rand) => string)[] = [
  (t, r) => `先从${pick(r, t.things)}开始，这会影响${t.name}后面的每一步。`,
  (t, r) => `很多人每${pick(r, ZH_TIMES)}${pick(r, ZH_VERBS)}一次${pick(r, t.things)}之后，会看到${pick(r, ZH_ADJ)}的变化。`,
  (t, r) => `如果${t.name}出了问题，先看看${pick(r, t.things)}。`,
  (t, r) => `${pick(r, t.things)}不必追求最好，初学者用普通的就够了。`,
  (t) => `把每次的改动记下来，下一次${t.name}就有依据。`,
  (t, r) => `不要太早${pick(r, ZH_VERBS)}${pick(r, t.things)}，耐心比技巧更重要。`,
  (t, r) => `一次只改一件事，比如${pick(r, t.things)}，然后观察一${pick(r, ZH_TIMES)}。`,
  (t) => `遇到困难时，回到${t.name}的基本步骤，慢慢重复。`,
];
const ZH_PROMPTS: ((t: Topic, r: Rand) => string)[] = [
  (t) => `怎样开始${t.name}？`,
  (t) => `请简单介绍一下${t.name}。`,
  (t, r) => `${t.name}的时候，${pick(r, t.things)}要注意什么？`,
  (t) => `关于${t.name}，给我三个建议。`,
  (t) => `用通俗的话讲讲${t.name}的要点。`,
];
const ZH_WEAK: ((t: Topic, r: Rand) => string)[] = [
  (t) => `${t.name}因人而异，很难说。`,
  (t) => `你可以上网查一查${t.name}。`,
  () => `这个问题不好回答。`,
];

function zhAnswer(t: Topic, r: Rand, max: number): string {
  const n = 1 + Math.floor(r() * r() * max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(r, ZH_SENTENCES)(t, r));
  return out.join('');
}

/** Copies of earlier records placed later in `records`; indexes are found by identity once every copy is in. */
function placeCopies(records: OwnRecord[], count: number, r: Rand, copy: (rec: OwnRecord) => OwnRecord, eligible: (rec: OwnRecord) => boolean = () => true): Map<OwnRecord, OwnRecord> {
  const copies = new Map<OwnRecord, OwnRecord>();
  const originals = records.filter((x) => eligible(x));
  for (let k = 0; k < count && originals.length > 0; k++) {
    const src = originals.splice(Math.floor(r() * Math.min(originals.length, Math.max(1, originals.length / 2))), 1)[0];
    const from = records.indexOf(src);
    // Somewhere after its original, spread over the file.
    const at = Math.min(records.length, from + 1 + Math.floor(r() * (records.length - from)));
    const c = copy(src);
    records.splice(at, 0, c);
    copies.set(c, src);
  }
  return copies;
}

function indexesOf(records: OwnRecord[], copies: Map<OwnRecord, OwnRecord>): Map<number, number> {
  const index = new Map(records.map((x, i) => [x, i]));
  return new Map([...copies].map(([c, s]) => [index.get(c)!, index.get(s)!] as [number, number]).sort((a, b) => a[0] - b[0]));
}

/** `count` exact repeats of earlier records, each a deep copy placed after its original. */
function withDuplicates(name: string, format: FormatId, unique: OwnRecord[], count: number, r: Rand): OwnDataset {
  const records = unique.slice();
  const duplicateOf = indexesOf(records, placeCopies(records, count, r, (x) => structuredClone(x)));
  return { name, format, records, duplicates: [...duplicateOf.keys()], duplicateOf };
}

/** Alpaca (instruction, input, output) in English; some records carry an input text. */
export function alpacaDataset(opts: { name?: string; count?: number; duplicates?: number; seed?: number; maxSentences?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 11);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  while (unique.length < (opts.count ?? 240) - (opts.duplicates ?? 6)) {
    const t = pick(r, TOPICS);
    const withInput = r() < 0.2;
    const rec = withInput
      ? { instruction: `Rewrite the note below about ${t.name} so that a beginner can follow it.`, input: paragraph(t, r, 2 + Math.floor(r() * 3)), output: answer(t, r, 12) }
      : { instruction: pick(r, PROMPTS)(t, r), input: '', output: answer(t, r, opts.maxSentences ?? 40) };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  return withDuplicates(opts.name ?? 'alpaca_tips.json', 'alpaca', unique, opts.duplicates ?? 6, r);
}

/** Alpaca in Simplified Chinese. */
export function alpacaZhDataset(opts: { name?: string; count?: number; duplicates?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 12);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  while (unique.length < (opts.count ?? 120) - (opts.duplicates ?? 3)) {
    const t = pick(r, ZH_TOPICS);
    const rec = { instruction: pick(r, ZH_PROMPTS)(t, r), input: '', output: zhAnswer(t, r, 16) };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  return withDuplicates(opts.name ?? 'alpaca_zh_tips.json', 'alpaca', unique, opts.duplicates ?? 3, r);
}

/** A small assistant-identity set (Alpaca, empty inputs, no repeats), like the identity files trainers ship for self-introductions. */
export function identityDataset(opts: { name?: string } = {}): OwnDataset {
  const greetings = ['', 'Hello! ', 'Hi there. ', 'Good morning. ', 'Quick question: '];
  const questions: [string, string][] = [
    ['What is your name?', 'My name is Wren. I am a writing assistant made by the Pairwise test team.'],
    ['Who made you?', 'I was made by the Pairwise test team to help people write and edit text.'],
    ['What can you do?', 'I can draft, shorten and proofread text, and explain what I changed.'],
    ['Are you a person?', 'No, I am Wren, a language model. I have no body and no memories of my own.'],
    ['Do you remember our last chat?', 'No. Each conversation starts fresh, so please tell me what you need again.'],
    ['Can you browse the web?', 'Not in this setup. I can only work with the text you give me.'],
    ['What languages do you speak?', 'I write best in English, and I can help with simple texts in several other languages.'],
    ['Introduce yourself.', 'I am Wren, an assistant for writing and editing, built by the Pairwise test team.'],
  ];
  const records: OwnRecord[] = [];
  for (const [q, a] of questions) for (const g of greetings) records.push({ instruction: `${g}${q}`, input: '', output: g ? `${g.trim().replace(/:$/, '.')} ${a}` : a });
  return { name: opts.name ?? 'assistant_identity.json', format: 'alpaca', records, duplicates: [], duplicateOf: new Map() };
}

/** ShareGPT preference (conversations, chosen, rejected) in English; some prompts have a system turn or an earlier exchange. */
export function preferenceDataset(opts: { name?: string; count?: number; duplicates?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 13);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  while (unique.length < (opts.count ?? 120) - (opts.duplicates ?? 4)) {
    const t = pick(r, TOPICS);
    const conversations: { from: string; value: string }[] = [];
    const shape = r();
    if (shape < 0.2) conversations.push({ from: 'system', value: `You are a patient tutor who explains ${t.name} in simple steps.` });
    if (shape > 0.85) {
      conversations.push({ from: 'human', value: pick(r, PROMPTS)(t, r) }, { from: 'gpt', value: answer(t, r, 6) });
    }
    conversations.push({ from: 'human', value: pick(r, PROMPTS)(t, r) });
    const rec = { conversations, chosen: { from: 'gpt', value: answer(t, r, 30) }, rejected: { from: 'gpt', value: r() < 0.6 ? pick(r, WEAK_ANSWERS)(t, r) : answer(t, r, 10) } };
    if (rec.chosen.value === rec.rejected.value) continue;
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  return withDuplicates(opts.name ?? 'preference_pairs.json', 'sharegpt-preference', unique, opts.duplicates ?? 4, r);
}

/** ShareGPT preference in Simplified Chinese. */
export function preferenceZhDataset(opts: { name?: string; count?: number; duplicates?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 14);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  while (unique.length < (opts.count ?? 60) - (opts.duplicates ?? 2)) {
    const t = pick(r, ZH_TOPICS);
    const rec = { conversations: [{ from: 'human', value: pick(r, ZH_PROMPTS)(t, r) }], chosen: { from: 'gpt', value: zhAnswer(t, r, 12) }, rejected: { from: 'gpt', value: pick(r, ZH_WEAK)(t, r) } };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  return withDuplicates(opts.name ?? 'preference_zh.json', 'sharegpt-preference', unique, opts.duplicates ?? 2, r);
}

/** LLaMA-Factory KTO (OpenAI-style messages and a boolean label), as many true as false; some prompts are multi-turn. */
export function ktoDataset(opts: { name?: string; count?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 15);
  const records: OwnRecord[] = [];
  const seen = new Set<string>();
  const count = opts.count ?? 80;
  while (records.length < count) {
    const t = pick(r, TOPICS);
    const label = records.length % 2 === 0;
    const messages: { role: string; content: string }[] = [];
    if (r() < 0.25) messages.push({ role: 'user', content: pick(r, PROMPTS)(t, r) }, { role: 'assistant', content: answer(t, r, 5) });
    messages.push({ role: 'user', content: pick(r, PROMPTS)(t, r) }, { role: 'assistant', content: label ? answer(t, r, 20) : pick(r, WEAK_ANSWERS)(t, r) });
    const rec = { messages, label };
    const key = JSON.stringify(messages);
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(rec);
  }
  return { name: opts.name ?? 'kto_feedback.json', format: 'llamafactory-kto', records, duplicates: [], duplicateOf: new Map() };
}

interface Tool {
  name: string;
  description: string;
  parameters: Record<string, { type: string; description: string }>;
  ask: (r: Rand) => { question: string; args: Record<string, unknown>; result: Record<string, unknown>; reply: string };
}

const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Nairobi', 'Montreal', 'Valparaiso', 'Tallinn', 'Hobart'];
const INGREDIENTS = ['lentils', 'spinach', 'chickpeas', 'leeks', 'mushrooms', 'barley', 'squash', 'tofu'];

const TOOLS: Tool[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { city: { type: 'string', description: 'The city name' } },
    ask: (r) => {
      const city = pick(r, CITIES);
      const temp = Math.round(r() * 30);
      return { question: `What is the weather like in ${city} right now?`, args: { city }, result: { city, temperature_c: temp, sky: pick(r, ['clear', 'cloudy', 'light rain']) }, reply: `It is ${temp} °C in ${city} at the moment.` };
    },
  },
  {
    name: 'convert_currency',
    description: 'Convert an amount between two currencies',
    parameters: { amount: { type: 'number', description: 'The amount' }, from: { type: 'string', description: 'ISO code to convert from' }, to: { type: 'string', description: 'ISO code to convert to' } },
    ask: (r) => {
      const amount = 10 * (1 + Math.floor(r() * 50));
      const [from, to] = pick(r, [['EUR', 'JPY'], ['USD', 'CAD'], ['GBP', 'NOK'], ['AUD', 'NZD']]);
      const rate = Math.round((0.5 + r() * 2) * 100) / 100;
      return { question: `How much is ${amount} ${from} in ${to}?`, args: { amount, from, to }, result: { converted: Math.round(amount * rate * 100) / 100, rate }, reply: `${amount} ${from} is about ${Math.round(amount * rate)} ${to} at a rate of ${rate}.` };
    },
  },
  {
    name: 'search_recipes',
    description: 'Find recipes that use the given ingredients',
    parameters: { ingredients: { type: 'array', description: 'Ingredients to use' } },
    ask: (r) => {
      const a = pick(r, INGREDIENTS);
      const b = pick(r, INGREDIENTS.filter((x) => x !== a));
      return { question: `I have ${a} and ${b}. What can I cook tonight?`, args: { ingredients: [a, b] }, result: { recipes: [{ name: `${upper(a)} and ${b} stew`, minutes: 40 }, { name: `Warm ${b} salad`, minutes: 15 }] }, reply: `You could make a ${a} and ${b} stew (about 40 minutes) or a quick warm ${b} salad.` };
    },
  },
  {
    name: 'calculate_tip',
    description: 'Work out the tip for a bill',
    parameters: { bill: { type: 'number', description: 'The bill total' }, percent: { type: 'number', description: 'The tip percentage' } },
    ask: (r) => {
      const bill = 20 + Math.floor(r() * 180);
      const percent = pick(r, [10, 12, 15, 18, 20]);
      return { question: `My bill is ${bill} dollars. How much is a ${percent}% tip?`, args: { bill, percent }, result: { tip: Math.round(bill * percent) / 100 }, reply: `A ${percent}% tip on ${bill} dollars is ${Math.round(bill * percent) / 100} dollars.` };
    },
  },
  {
    name: 'find_trail',
    description: 'Suggest a hiking trail in a region',
    parameters: { region: { type: 'string', description: 'Region or park' }, difficulty: { type: 'string', description: 'easy, moderate or hard' } },
    ask: (r) => {
      const region = pick(r, ['the Lake District', 'the Dolomites', 'Snowdonia', 'the Blue Mountains', 'Patagonia']);
      const difficulty = pick(r, ['easy', 'moderate', 'hard']);
      const km = 4 + Math.floor(r() * 20);
      return { question: `Can you suggest a ${difficulty} hike in ${region}?`, args: { region, difficulty }, result: { trail: `Ridge loop ${km}`, length_km: km }, reply: `Try the Ridge loop ${km} in ${region}: ${km} km, rated ${difficulty}.` };
    },
  },
];

/**
 * JSON text as Python's json.dumps writes it (", " and ": " between items), the way JSON inside
 * the trainers' files (tool calls, tool lists) is written, and the way Pairwise writes it back.
 */
export function pyJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

function toolsJson(tools: Tool[]): string {
  return pyJson(tools.map((t) => ({ name: t.name, description: t.description, parameters: { type: 'object', properties: t.parameters, required: Object.keys(t.parameters) } })));
}

/**
 * ShareGPT with tool calls (`function_call` and `observation` turns, a `tools` JSON string), as
 * LLaMA-Factory's tool-calling data is laid out; some conversations need no tool, some end in a
 * long explanation, and `nearDuplicates` records repeat an earlier long one with a few words changed.
 */
export function toolCallDataset(opts: { name?: string; count?: number; duplicates?: number; nearDuplicates?: number; seed?: number } = {}): OwnDataset & { nearDuplicateOf: Map<number, number> } {
  const r = seeded(opts.seed ?? 16);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  const target = (opts.count ?? 120) - (opts.duplicates ?? 5) - (opts.nearDuplicates ?? 2);
  while (unique.length < target) {
    const offered = TOOLS.filter(() => r() < 0.5);
    const tool = offered.length ? pick(r, offered) : pick(r, TOOLS);
    if (!offered.includes(tool)) offered.push(tool);
    const topic = pick(r, TOPICS);
    const turns: { from: string; value: string }[] = [];
    if (r() < 0.25) {
      // No tool needed: a plain answer, sometimes a long one.
      turns.push({ from: 'human', value: pick(r, PROMPTS)(topic, r) }, { from: 'gpt', value: answer(topic, r, 70) });
    } else {
      const q = tool.ask(r);
      turns.push({ from: 'human', value: q.question });
      if (r() < 0.3) turns.push({ from: 'gpt', value: 'Sure, let me look that up for you.' }, { from: 'human', value: 'Thanks, go ahead.' });
      turns.push({ from: 'function_call', value: pyJson({ name: tool.name, arguments: q.args }) });
      turns.push({ from: 'observation', value: pyJson(q.result) });
      const extra = r() < 0.35 ? `\n\nWhile you wait, a note on ${topic.name}: ${answer(topic, r, 60)}` : '';
      turns.push({ from: 'gpt', value: q.reply + extra });
    }
    const rec = { conversations: turns, tools: toolsJson(offered) };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  const records = unique.slice();
  // Near duplicates: a long record again with every 80th word of its last answer changed (Jaccard of 3-word shingles about 0.92: well above the 0.8 default threshold, and below 1).
  const lastWords = (x: OwnRecord) => (x.conversations as { value: string }[]).at(-1)!.value.split(' ');
  const near = placeCopies(records, opts.nearDuplicates ?? 2, r, (x) => {
    const c = structuredClone(x) as { conversations: { value: string }[] };
    c.conversations.at(-1)!.value = lastWords(x).map((w, i) => (i % 80 === 40 ? `changed${i}` : w)).join(' ');
    return c;
  }, (x) => lastWords(x).length > 200);
  const exact = placeCopies(records, opts.duplicates ?? 5, r, (x) => structuredClone(x), (x) => !near.has(x));
  const duplicateOf = indexesOf(records, exact);
  return { name: opts.name ?? 'tool_calls.json', format: 'sharegpt', records, duplicates: [...duplicateOf.keys()], duplicateOf, nearDuplicateOf: indexesOf(records, near) };
}

/** Plain text records (`{"text"}`, TRL's language-modeling shape), JSON Lines. */
export function textDataset(opts: { name?: string; count?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 17);
  const records: OwnRecord[] = [];
  const seen = new Set<string>();
  while (records.length < (opts.count ?? 100)) {
    const t = pick(r, TOPICS);
    const text = `${upper(t.name)}: notes from a weekend course. ${paragraph(t, r, 3 + Math.floor(r() * 10))}`;
    if (seen.has(text)) continue;
    seen.add(text);
    records.push({ text });
  }
  return { name: opts.name ?? 'course_notes.jsonl', format: 'trl-text', records, duplicates: [], duplicateOf: new Map() };
}

const part = (value: string, type = 'text') => ({ type, value });

/** LLaMA-Factory's v1 message schema: content as typed parts and a `loss_weight` per message (single turns), JSON Lines. */
export function typedPartsDataset(opts: { name?: string; count?: number; duplicates?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 18);
  const unique: OwnRecord[] = [];
  const seen = new Set<string>();
  while (unique.length < (opts.count ?? 60) - (opts.duplicates ?? 1)) {
    const t = pick(r, TOPICS);
    const rec = { messages: [{ role: 'user', content: [part(pick(r, PROMPTS)(t, r))], loss_weight: 0.0 }, { role: 'assistant', content: [part(answer(t, r, 8))], loss_weight: 1.0 }] };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(rec);
  }
  return withDuplicates(opts.name ?? 'typed_parts.jsonl', 'openai-chat', unique, opts.duplicates ?? 1, r);
}

/** v1 schema with reasoning parts, tool-call parts, tool turns and `tools` as a JSON string, JSON Lines. */
export function reasoningToolsDataset(opts: { name?: string; count?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 19);
  const records: OwnRecord[] = [];
  const seen = new Set<string>();
  while (records.length < (opts.count ?? 20)) {
    const tools = TOOLS.filter(() => r() < 0.6);
    if (!tools.length) continue;
    const tool = pick(r, tools);
    const q = tool.ask(r);
    const messages: { role: string; content: { type: string; value: string }[] }[] = [
      { role: 'system', content: [part('You are a careful assistant. Think before you call a tool, and call one only when it helps.')] },
      { role: 'user', content: [part(q.question)] },
    ];
    if (r() < 0.3) {
      messages.push({ role: 'assistant', content: [part(`None of my tools is needed to answer this; I will answer from what the user said.`, 'reasoning'), part(`I cannot look that up right now, but I can explain how to work it out yourself.`)] });
    } else {
      messages.push({ role: 'assistant', content: [part(`The user wants something ${tool.name} provides, so I will call it with what they told me.`, 'reasoning'), part(pyJson({ name: tool.name, arguments: q.args }), 'tool_call')] });
      messages.push({ role: 'tool', content: [part(pyJson([{ name: tool.name, content: q.result }]))] });
      messages.push({ role: 'assistant', content: [part('The tool answered; I will report its result plainly.', 'reasoning'), part(q.reply)] });
    }
    const rec = { messages, tools: pyJson(tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: { type: 'object', properties: t.parameters } } }))) };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(rec);
  }
  return { name: opts.name ?? 'reasoning_tools.jsonl', format: 'openai-chat', records, duplicates: [], duplicateOf: new Map() };
}

/** v1 preference (chosen_messages, rejected_messages: the whole conversation twice), TRL's implicit-prompt shape, JSON Lines. */
export function implicitPreferenceDataset(opts: { name?: string; count?: number; seed?: number } = {}): OwnDataset {
  const r = seeded(opts.seed ?? 20);
  const records: OwnRecord[] = [];
  const seen = new Set<string>();
  while (records.length < (opts.count ?? 10)) {
    const t = pick(r, TOPICS);
    const head = [
      { role: 'system', content: [part('You are a helpful assistant. Answer in full sentences.')], loss_weight: 0.0 },
      { role: 'user', content: [part(pick(r, PROMPTS)(t, r))], loss_weight: 0.0 },
    ];
    const rec = {
      chosen_messages: [...head, { role: 'assistant', content: [part(answer(t, r, 10))], loss_weight: 1.0 }],
      rejected_messages: [...structuredClone(head), { role: 'assistant', content: [part(pick(r, WEAK_ANSWERS)(t, r))], loss_weight: 1.0 }],
    };
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(rec);
  }
  return { name: opts.name ?? 'implicit_preference.jsonl', format: 'trl-preference-implicit', records, duplicates: [], duplicateOf: new Map() };
}

/** The file's bytes: a `.json` name gets a JSON array with two-space indents, anything else JSON Lines. */
export function datasetText(ds: Pick<OwnDataset, 'name' | 'records'>): string {
  if (ds.name.endsWith('.json')) return JSON.stringify(ds.records, null, 2) + '\n';
  return ds.records.map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/** Writes the dataset into `dir` under its name; returns the path. */
export function writeDataset(dir: string, ds: Pick<OwnDataset, 'name' | 'records'>): string {
  const p = path.join(dir, ds.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(p, datasetText(ds));
  return p;
}

let sharedDir: string | undefined;

/**
 * The dataset's file in a temporary folder shared by the whole test process (written on first use,
 * removed when the process exits): for inputs that tests only read. Names are unique per content.
 */
export function sharedDatasetFile(ds: Pick<OwnDataset, 'name' | 'records'>): string {
  if (!sharedDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-own-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    sharedDir = dir;
  }
  const p = path.join(sharedDir, ds.name);
  const text = datasetText(ds);
  if (!fs.existsSync(p)) fs.writeFileSync(p, text);
  else if (fs.readFileSync(p, 'utf8') !== text) throw new Error(`two different datasets named ${ds.name}`);
  return p;
}

/** One dataset of every shape above, with default sizes (what the tests that once read the corpus check). */
export function ownCorpus(): OwnDataset[] {
  return [alpacaDataset(), alpacaZhDataset(), identityDataset(), preferenceDataset(), preferenceZhDataset(), ktoDataset(), toolCallDataset(), textDataset(), typedPartsDataset(), reasoningToolsDataset(), implicitPreferenceDataset()];
}
