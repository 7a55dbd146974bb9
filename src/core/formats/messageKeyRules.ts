/**
 * Message keys judged by each reader's profile (trainers/messageKeys.ts), beyond OpenAI's own
 * unknown-key rule (openAiMessages.ts): xtuner rejects keys its ChatMsg does not declare, ms-swift
 * deletes every key but role, content and loss, and an answer masked with one trainer's loss key
 * (`weight: 0`, `loss: false`, `loss_weight: 0`) is trained by the trainers that ignore that key.
 * One report per conversation and rule, at the first message concerned: the record fails (or is
 * changed) once, however many messages carry the key. One pass over the messages finds all three
 * (this runs on every record of a messages file); verdicts are worked out only for a finding.
 */
import { MESSAGE_KEYS, masksTurn, readerVerdict, trainerList, type ReaderContext, type TrainerId } from '../trainers';
import type { JsonPath } from './formatModule';
import { emitFor, nth, type Report } from './reportHelpers';
import { ownString, SHAREGPT_TO_OPENAI } from './roleNames';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

/** Roles xtuner reads: its generic ChatMsg (chat.py `ChatMsg.role`) and, for tool turns, its Qwen3.5 messages (qwen35_chat.py). */
const XTUNER_ROLES = new Set(['assistant', 'user', 'system', 'developer', 'pretrain', 'tool']);
const XTUNER_KEYS = MESSAGE_KEYS.xtuner.keys;
const SWIFT_KEYS = MESSAGE_KEYS['ms-swift'].keys;

/** The first message with keys outside a reader's set, and every such key in the conversation. */
interface KeyFinding {
  i: number;
  key: string;
  all: Set<string>;
}

function note(f: KeyFinding | undefined, i: number, key: string): KeyFinding {
  const out = f ?? { i, key, all: new Set<string>() };
  out.all.add(key);
  return out;
}

function keyList(keys: Set<string>): string {
  return [...keys].map((k) => JSON.stringify(k)).join(', ');
}

/** Readers that train a turn its loss key `key` masks: they do not read that key (and do not reject it outright). */
function ignoringReaders(readers: readonly TrainerId[], key: string): TrainerId[] {
  return readers.filter((r) => {
    const p = MESSAGE_KEYS[r];
    if (p.lossKey === key || p.configurableLoss) return false;
    // A trainer that rejects the key is told by its own unknown-key rule.
    return !(p.others === 'rejected' && !p.keys.has(key));
  });
}

function reportMask(msgs: readonly unknown[], i: number, key: string, path: JsonPath, reading: ReaderContext, report: Report): void {
  const m = msgs[i] as Record<string, unknown>;
  const honour = reading.readers.filter((r) => MESSAGE_KEYS[r].lossKey === key);
  const value = JSON.stringify(m[key]);
  emitFor(report, readerVerdict(reading, ignoringReaders(reading.readers, key)), [...path, i, key], 'messages/loss-mask-ignored', (v) =>
    honour.length
      ? l10n.t('message {0} sets {1}: {2} to leave it out of training (read by {3}); not read by {4}, where the turn is trained', nth(i), JSON.stringify(key), value, trainerList(honour), trainerList(v.hit))
      : l10n.t('message {0} sets {1}: {2} to leave it out of training; not read by {3}, where the turn is trained', nth(i), JSON.stringify(key), value, trainerList(v.hit)), 'key');
}

/** Every reader-profile rule about message keys for one conversation. */
export function checkMessageKeys(msgs: readonly unknown[], path: JsonPath, reading: ReaderContext, report: Report): void {
  const xtuner = reading.readers.includes('xtuner');
  const swift = reading.readers.includes('ms-swift');
  let xtunerKeys: KeyFinding | undefined;
  let swiftKeys: KeyFinding | undefined;
  /** xtuner's first role or thinking problem (one per conversation). */
  let xtunerTurn: { i: number; rule: 'role' | 'thinking'; role: string } | undefined;
  let mask: { i: number; key: string } | undefined;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isPlainObject(m)) continue;
    for (const k in m) {
      // Every reader reads these two: the common case costs two comparisons. ShareGPT's from/value
      // in a messages list are reported once, for every reader, by the message-list rules.
      if (k === 'role' || k === 'content' || k === 'from' || k === 'value') continue;
      if (xtuner && !XTUNER_KEYS.has(k)) xtunerKeys = note(xtunerKeys, i, k);
      if (swift && !SWIFT_KEYS.has(k)) swiftKeys = note(swiftKeys, i, k);
      // A masked user or system turn is what every trainer does by default; a masked answer is the point.
      if (!mask && m.role === 'assistant' && masksTurn(k, m[k])) mask = { i, key: k };
    }
    if (xtuner && !xtunerTurn && typeof m.role === 'string') {
      // A ShareGPT tag as a role (gpt, human) is reported once, for every reader, by the message-list rules.
      if (!XTUNER_ROLES.has(m.role) && ownString(SHAREGPT_TO_OPENAI, m.role) === undefined) xtunerTurn = { i, rule: 'role', role: m.role };
      else if (m.thinking !== undefined && m.role !== 'assistant') xtunerTurn = { i, rule: 'thinking', role: m.role };
    }
  }
  if (xtunerKeys || xtunerTurn) {
    const verdict = readerVerdict(reading, ['xtuner']);
    if (xtunerKeys) {
      const f = xtunerKeys;
      emitFor(report, verdict, [...path, f.i, f.key], 'xtuner/unknown-message-key', () =>
        l10n.t('xtuner rejects this conversation: message {0} has {1}, a key none of its chat message readers declares', nth(f.i), keyList(f.all)), 'key');
    }
    const t = xtunerTurn;
    if (t?.rule === 'role') {
      emitFor(report, verdict, [...path, t.i, 'role'], 'xtuner/unsupported-role', () =>
        l10n.t('xtuner rejects this conversation: message {0} has role {1} (its chat messages take assistant, user, system, developer, pretrain and tool)', nth(t.i), JSON.stringify(t.role)));
    } else if (t?.rule === 'thinking') {
      emitFor(report, verdict, [...path, t.i, 'thinking'], 'xtuner/thinking-not-assistant', () =>
        l10n.t('xtuner rejects this conversation: message {0} ({1}) has "thinking", which only assistant messages may have', nth(t.i), t.role), 'key');
    }
  }
  if (swiftKeys) {
    const f = swiftKeys;
    emitFor(report, readerVerdict(reading, ['ms-swift']), [...path, f.i, f.key], 'ms-swift/dropped-message-key', () =>
      l10n.t('ms-swift deletes every message key but role, content and loss, so {0} (first in message {1}) never reaches training', keyList(f.all), nth(f.i)), 'key');
  }
  if (mask) reportMask(msgs, mask.i, mask.key, path, reading, report);
}
