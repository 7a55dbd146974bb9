/**
 * The hover text of a record: token counts (prompt, response, total) and its turns rendered as
 * Markdown. Dataset text is hostile: every ASCII punctuation character is backslash-escaped, so no
 * link, image, HTML tag, heading or code fence can come out of it, and long turns are cut.
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
}

/** Markdown for a record's hover (to be shown as untrusted Markdown without HTML). */
export function recordHoverMarkdown(rec: CanonicalRecord, index: number, formatTitle: string, tokens: TokenCounting, opts: HoverOptions = {}): string {
  const turns = turnsOf(rec);
  let prompt = 0;
  let response = 0;
  let rejected = 0;
  for (const t of turns) {
    const n = tokens.count(t.text);
    if (t.side === 'prompt') prompt += n;
    else if (t.side === 'response') response += n;
    else rejected += n;
  }
  const counts =
    rec.type === 'preference'
      ? l10n.t('prompt **{0}** · chosen **{1}** · rejected **{2}** · total **{3}**', prompt, response, rejected, prompt + response + rejected)
      : l10n.t('prompt **{0}** · response **{1}** · total **{2}**', prompt, response, prompt + response);
  const lines = [l10n.t('**Record {0}** · {1}', index + 1, escapeMarkdown(formatTitle)), '', counts, '', `_${escapeMarkdown(tokens.label)}_`, '', '---'];
  const max = opts.maxTurns ?? 12;
  for (const t of turns.slice(0, max)) {
    lines.push('', `**${escapeMarkdown(t.label)}**`, '', escapeMarkdown(cut(t.text, opts.maxTurnChars ?? 600)) || l10n.t('_(empty)_'));
  }
  if (turns.length > max) lines.push('', l10n.t('_… {0} more turns_', turns.length - max));
  return lines.join('\n');
}
