/**
 * Quick fixes for the problems of one record, as text edits of the record's text: only the key, the
 * value or the two turns that must change are touched, so formatting and everything else stay as
 * the user wrote them. The record text is re-parsed with jsonc-parser to find exact ranges; what to
 * write comes from the rule's own message (which names the tag or key this dataset uses), so custom
 * `dataset_info.json` tags are respected.
 */
import { findNodeAtOffset, getNodePath, parseTree, type Node } from 'jsonc-parser';
import type { FormatModule, FormatOptions } from '../formats/formatModule';
import { checkRecord } from '../formats/registry';
import { recordValueOf } from '../jsonl/bareMessageList';
import * as l10n from '@vscode/l10n';

/** Replaces `[offset, offset + length)` of the record text. */
export interface RecordEdit {
  offset: number;
  length: number;
  text: string;
}

export interface RecordFix {
  title: string;
  edits: RecordEdit[];
  /** The one fix an editor may apply on its own ("preferred"). */
  preferred?: boolean;
}

export interface FixTarget {
  rule: string;
  message: string;
  /** The problem's range as offsets into the record text. */
  start: number;
  end: number;
}

const ROLE_VALUE_RULES = /^(sharegpt\/openai-role-tag|[a-z]+\/sharegpt-role)$/;
const KEY_RULES = /^(sharegpt\/openai-message-keys|[a-z]+\/sharegpt-message-keys)$/;
/** Rules about the order of turns, which a swap of two neighbours can settle. */
export const ORDER_RULES: ReadonlySet<string> = new Set([
  'llamafactory/role-alternation',
  'llamafactory/message-count',
  'torchtune/consecutive-user',
  'torchtune/assistant-order',
  'common/last-not-assistant',
  'common/prompt-last-not-user',
]);
const SWAPPABLE = new Set(['llamafactory/role-alternation', 'torchtune/consecutive-user', 'torchtune/assistant-order']);

const QUOTED = '("(?:[^"\\\\]|\\\\.)*")';

function unquote(s: string): string | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function tree(text: string): Node | undefined {
  try {
    return parseTree(text, [], { disallowComments: true });
  } catch {
    return undefined;
  }
}

/** The string node the range starts on (a key or a value). */
function nodeAt(root: Node, start: number): Node | undefined {
  const n = findNodeAtOffset(root, start + 1, true);
  return n && n.offset === start ? n : undefined;
}

function replaceNode(n: Node, text: string): RecordEdit {
  return { offset: n.offset, length: n.length, text };
}

/** Fixes for one problem of a record; empty when the rule has none or the text no longer matches. */
export function fixesFor(target: FixTarget, recordText: string, format?: FormatModule, options?: FormatOptions): RecordFix[] {
  const root = tree(recordText);
  if (!root) return [];
  if (ROLE_VALUE_RULES.test(target.rule)) {
    const m = new RegExp(`\\buses? ${QUOTED}$`).exec(target.message);
    const to = m ? unquote(m[1]) : undefined;
    const n = nodeAt(root, target.start);
    if (to === undefined || !n || n.type !== 'string') return [];
    return [{ title: l10n.t('Replace {0} with {1}', JSON.stringify(n.value), JSON.stringify(to)), edits: [replaceNode(n, JSON.stringify(to))], preferred: true }];
  }
  if (KEY_RULES.test(target.rule)) {
    const m = new RegExp(`rename ${QUOTED} to ${QUOTED}`).exec(target.message);
    const from = m ? unquote(m[1]) : undefined;
    const to = m ? unquote(m[2]) : undefined;
    const n = nodeAt(root, target.start);
    const obj = n?.parent?.parent;
    if (from === undefined || to === undefined || !n || n.value !== from || n.parent?.type !== 'property' || !obj) return [];
    // Renaming onto a key the object already has would make a duplicate key.
    if (obj.children?.some((p) => p.children?.[0]?.value === to)) return [];
    return [{ title: l10n.t('Rename {0} to {1}', JSON.stringify(from), JSON.stringify(to)), edits: [replaceNode(n, JSON.stringify(to))], preferred: true }];
  }
  if (target.rule === 'llamafactory/kto-tag-not-boolean') {
    const m = /\(write (true|false)\)$/.exec(target.message);
    const n = findNodeAtOffset(root, target.start + 1, true);
    if (!m || !n || n.offset !== target.start || n.parent?.type !== 'property' || n.parent.children?.[1] !== n) return [];
    return [{ title: l10n.t('Write {0}', m[1]), edits: [replaceNode(n, m[1])], preferred: true }];
  }
  if (target.rule === 'llamafactory/old-reward-layout') return oldRewardLayoutFix(target, recordText, root);
  if (target.rule === 'xtuner/bare-message-list' && root.type === 'array') {
    return [{ title: l10n.t('Wrap the list as {"messages": [...]}'), edits: [{ offset: root.offset, length: 0, text: '{"messages": ' }, { offset: root.offset + root.length, length: 0, text: '}' }], preferred: true }];
  }
  if (SWAPPABLE.has(target.rule) && format) return swapFixes(target, recordText, root, format, options);
  return [];
}

/** `"output": [a, b]` → `"chosen": a, "rejected": b` (the answers' text as written), unless those keys exist. */
function oldRewardLayoutFix(target: FixTarget, text: string, root: Node): RecordFix[] {
  const list = nodeAt(root, target.start) ?? findNodeAtOffset(root, target.start, true);
  const prop = list?.parent;
  if (!list || list.type !== 'array' || list.children?.length !== 2 || prop?.type !== 'property' || prop.children?.[0]?.value !== 'output') return [];
  if (root.children?.some((p) => p.children?.[0]?.value === 'chosen' || p.children?.[0]?.value === 'rejected')) return [];
  const [a, b] = list.children.map((n) => text.slice(n.offset, n.offset + n.length));
  return [{ title: l10n.t('Convert to alpaca-preference: "chosen" and "rejected"'), edits: [{ offset: prop.offset, length: prop.length, text: `"chosen": ${a}, "rejected": ${b}` }], preferred: true }];
}

function orderErrors(format: FormatModule, value: unknown, options?: FormatOptions): number {
  let n = 0;
  for (const r of checkRecord(format, value, options)) if (r.severity === 'error' || ORDER_RULES.has(r.rule)) n++;
  return n;
}

/** Swapping the flagged turn with a neighbour, when that alone puts the conversation in order. */
function swapFixes(target: FixTarget, text: string, root: Node, format: FormatModule, options?: FormatOptions): RecordFix[] {
  let turn = findNodeAtOffset(root, target.start + 1, true);
  while (turn && !(turn.type === 'object' && turn.parent?.type === 'array')) turn = turn.parent;
  const list = turn?.parent;
  if (!turn || !list?.children) return [];
  const i = list.children.indexOf(turn);
  const read = () => recordValueOf(JSON.parse(text));
  let value: Record<string, unknown> | undefined;
  try {
    value = read();
  } catch {
    return [];
  }
  if (!value) return [];
  // A bare message list (xtuner) is read as {"messages": list}.
  const path = root.type === 'array' ? ['messages', ...getNodePath(list)] : getNodePath(list);
  const before = orderErrors(format, value, options);
  for (const j of [i - 1, i + 1]) {
    if (j < 0 || j >= list.children.length) continue;
    const copy = read()!;
    let arr: unknown = copy;
    for (const k of path) arr = (arr as Record<string | number, unknown>)[k];
    if (!Array.isArray(arr)) return [];
    [arr[i], arr[j]] = [arr[j], arr[i]];
    const reports = checkRecord(format, copy, options);
    if (reports.some((r) => ORDER_RULES.has(r.rule) && r.severity === 'error') || orderErrors(format, copy, options) >= before) continue;
    const a = list.children[Math.min(i, j)];
    const b = list.children[Math.max(i, j)];
    const ta = text.slice(a.offset, a.offset + a.length);
    const tb = text.slice(b.offset, b.offset + b.length);
    return [{ title: l10n.t('Swap turns {0} and {1}', Math.min(i, j) + 1, Math.max(i, j) + 1), edits: [{ offset: a.offset, length: a.length, text: tb }, { offset: b.offset, length: b.length, text: ta }], preferred: true }];
  }
  return [];
}

/**
 * Offsets to delete for removing an element of a JSON array together with one comma: from the end
 * of the previous element, or up to the start of the next one when it is the first.
 */
export function arrayElementDeletion(rec: { offset: number; endOffset: number }, prev?: { endOffset: number }, next?: { offset: number }): { start: number; end: number } {
  if (prev) return { start: prev.endOffset, end: rec.endOffset };
  if (next) return { start: rec.offset, end: next.offset };
  return { start: rec.offset, end: rec.endOffset };
}
