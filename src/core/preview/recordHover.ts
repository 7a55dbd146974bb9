/**
 * The hover text of a record: token counts (prompt, response, total) and its turns rendered as
 * Markdown. Dataset text is hostile: every ASCII punctuation character is backslash-escaped, so no
 * link, image, HTML tag, heading or code fence can come out of it, and long turns are cut.
 *
 * A hover runs on the extension host's only thread, so its work is bounded: at most
 * HOVER_COUNTED_CHARS characters of a record are tokenized (tens of milliseconds even on text
 * that misses every cache); the tokens of the rest are estimated from the tokens per character
 * counted so far, and the hover says so.
 */
import type { CanonicalRecord, Message } from '../model';
import * as l10n from '@vscode/l10n';

export interface TokenCounting {
  /** Shown with the counts, e.g. "o200k_base (GPT-4o) tokens; approximate for other model families". */
  label: string;
  count(text: string): number;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Text as literal Markdown: punctuation escaped, line breaks kept. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(PUNCTUATION, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c))
    .replace(/\r?\n/g, '  \n');
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + l10n.t(' … ({0} more characters)', text.length - max) : text;
}

interface Turn {
  label: string;
  text: string;
  side: 'prompt' | 'response' | 'rejected';
}

function messageText(m: Message): string {
  if (m.toolCalls?.length) {
    const calls = m.toolCalls.map((c) => `${c.name}(${c.arguments})`).join('; ');
    return m.content ? m.content + '\n' + l10n.t('[tool calls] {0}', calls) : l10n.t('[tool calls] {0}', calls);
  }
  return m.content;
}

function turnsOf(rec: CanonicalRecord): Turn[] {
  const msgs = (ms: Message[], side: Turn['side'], prefix = '') => ms.map((m) => ({ label: prefix + m.role, text: messageText(m), side }));
  switch (rec.type) {
    case 'sft': {
      const out: Turn[] = rec.system !== undefined ? [{ label: 'system', text: rec.system, side: 'prompt' }] : [];
      for (const m of rec.messages) out.push({ label: m.role, text: messageText(m), side: m.role === 'assistant' ? 'response' : 'prompt' });
      return out;
    }
    case 'text':
      return [{ label: 'text', text: rec.text, side: 'response' }];
    case 'preference':
      return [...msgs(rec.prompt, 'prompt'), ...msgs(rec.chosen, 'response', 'chosen · '), ...msgs(rec.rejected, 'rejected', 'rejected · ')];
    case 'unpaired':
      return [...msgs(rec.prompt, 'prompt'), ...msgs(rec.completion, 'response', l10n.t('completion ({0}) · ', rec.label ? l10n.t('desirable') : l10n.t('undesirable')))];
    case 'candidates':
      return [...msgs(rec.prompt, 'prompt'), ...rec.responses.map((r) => ({ label: `response · ${r.model}`, text: r.content, side: 'response' as const }))];
    case 'stepwise':
      return [...msgs(rec.prompt, 'prompt'), ...rec.completions.map((c, i) => ({ label: l10n.t('step {0} ({1})', i + 1, rec.labels[i] ? l10n.t('good') : l10n.t('bad')), text: c, side: 'response' as const }))];
    default:
      return [];
  }
}

export interface HoverOptions {
  /** Characters shown per turn. Default 600. */
  maxTurnChars?: number;
  /** Turns shown. Default 12. */
  maxTurns?: number;
  /** Characters of the record whose tokens are counted; the rest are estimated. Default HOVER_COUNTED_CHARS. */
  maxCountedChars?: number;
}

/** Characters a hover tokenizes at most (about 2k tokens of English; Show Dataset Statistics counts them all). */
export const HOVER_COUNTED_CHARS = 8192;
/** Characters of a turn's counted head from which its own tokens per character estimate its rest. */
const MIN_RATIO_SAMPLE = 1024;

/**
 * Token counts per turn within a budget of characters: a turn past the budget has its counted head
 * plus its remaining characters times the tokens per character of everything counted.
 */
function boundedCounts(turns: readonly Turn[], tokens: TokenCounting, budget: number): { counts: number[]; estimated: boolean } {
  let countedChars = 0;
  let countedTokens = 0;
  let estimated = false;
  const counts = turns.map((t) => {
    const room = Math.max(0, budget - countedChars);
    if (t.text.length <= room) {
      const n = tokens.count(t.text);
      countedChars += t.text.length;
      countedTokens += n;
      return n;
    }
    estimated = true;
    // Never end the head inside a surrogate pair (its half would count as a replacement character).
    const end = room > 0 && isHighSurrogate(t.text.charCodeAt(room - 1)) ? room - 1 : room;
    const head = tokens.count(t.text.slice(0, end));
    countedChars += end;
    countedTokens += head;
    // A long text has a steady tokens-per-character ratio: its own head's when the head is long
    // enough to measure it, else everything counted so far's; a plain quarter token per character
    // only if nothing could be counted (a zero budget).
    const perChar = end >= MIN_RATIO_SAMPLE ? head / end : countedChars > 0 ? countedTokens / countedChars : 0.25;
    return head + Math.round((t.text.length - end) * perChar);
  });
  return { counts, estimated };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Markdown for a record's hover (to be shown as untrusted Markdown without HTML). */
export function recordHoverMarkdown(rec: CanonicalRecord, index: number, formatTitle: string, tokens: TokenCounting, opts: HoverOptions = {}): string {
  const turns = turnsOf(rec);
  const budget = opts.maxCountedChars ?? HOVER_COUNTED_CHARS;
  const { counts: perTurn, estimated } = boundedCounts(turns, tokens, budget);
  let prompt = 0;
  let response = 0;
  let rejected = 0;
  turns.forEach((t, i) => {
    const n = perTurn[i];
    if (t.side === 'prompt') prompt += n;
    else if (t.side === 'response') response += n;
    else rejected += n;
  });
  const counts =
    (estimated ? '≈ ' : '') +
    (rec.type === 'preference'
      ? l10n.t('prompt **{0}** · chosen **{1}** · rejected **{2}** · total **{3}**', prompt, response, rejected, prompt + response + rejected)
      : l10n.t('prompt **{0}** · response **{1}** · total **{2}**', prompt, response, prompt + response));
  const lines = [l10n.t('**Record {0}** · {1}', index + 1, escapeMarkdown(formatTitle)), '', counts, '', `_${escapeMarkdown(tokens.label)}_`];
  if (estimated) lines.push('', `_${escapeMarkdown(l10n.t('Estimated: the first {0} characters were counted, the rest from their tokens per character (Show Dataset Statistics counts every character).', budget))}_`);
  lines.push('', '---');
  const max = opts.maxTurns ?? 12;
  for (const t of turns.slice(0, max)) {
    lines.push('', `**${escapeMarkdown(t.label)}**`, '', escapeMarkdown(cut(t.text, opts.maxTurnChars ?? 600)) || l10n.t('_(empty)_'));
  }
  if (turns.length > max) lines.push('', l10n.t('_… {0} more turns_', turns.length - max));
  return lines.join('\n');
}
