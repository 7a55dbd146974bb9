/**
 * Message keys judged by each reader's profile (trainers/messageKeys.ts), beyond OpenAI's own
 * unknown-key rule (openAiMessages.ts): xtuner rejects keys its ChatMsg does not declare, ms-swift
 * deletes every key but role, content and loss, and an answer masked with one trainer's loss key
 * (`weight: 0`, `loss: false`, `loss_weight: 0`) is trained by the trainers that ignore that key.
 * One report per conversation and rule, at the first message concerned: the record fails (or is
 * changed) once, however many messages carry the key.
 */
import { MESSAGE_KEYS, masksTurn, readerVerdict, trainerList, type ReaderContext, type TrainerId } from '../trainers';
import type { JsonPath } from './formatModule';
import { emitFor, nth, type Report } from './reportHelpers';
import { isPlainObject } from './textChecks';
import * as l10n from '@vscode/l10n';

/** Roles xtuner reads: its generic ChatMsg (chat.py `ChatMsg.role`) and, for tool turns, its Qwen3.5 messages (qwen35_chat.py). */
const XTUNER_ROLES = new Set(['assistant', 'user', 'system', 'developer', 'pretrain', 'tool']);

interface FirstKey {
  i: number;
  key: string;
  all: Set<string>;
}

function firstOutside(msgs: readonly unknown[], keys: ReadonlySet<string>): FirstKey | undefined {
  let first: FirstKey | undefined;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isPlainObject(m)) continue;
    for (const k in m) {
      if (keys.has(k)) continue;
      if (!first) first = { i, key: k, all: new Set() };
      first.all.add(k);
    }
  }
  return first;
}

function keyList(keys: Set<string>): string {
  return [...keys].map((k) => JSON.stringify(k)).join(', ');
}

function checkXtuner(msgs: readonly unknown[], path: JsonPath, reading: ReaderContext, report: Report): void {
  const verdict = readerVerdict(reading, ['xtuner']);
  if (!verdict) return;
  const bad = firstOutside(msgs, MESSAGE_KEYS.xtuner.keys);
  if (bad) {
    emitFor(report, verdict, [...path, bad.i, bad.key], 'xtuner/unknown-message-key', () =>
      l10n.t('xtuner rejects this conversation: message {0} has {1}, a key none of its chat message readers declares', nth(bad.i), keyList(bad.all)), 'key');
  }
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isPlainObject(m) || typeof m.role !== 'string') continue;
    const role = m.role;
    if (!XTUNER_ROLES.has(role)) {
      emitFor(report, verdict, [...path, i, 'role'], 'xtuner/unsupported-role', () =>
        l10n.t('xtuner rejects this conversation: message {0} has role {1} (its chat messages take assistant, user, system, developer, pretrain and tool)', nth(i), JSON.stringify(role)));
      return;
    }
    if (m.thinking !== undefined && role !== 'assistant') {
      emitFor(report, verdict, [...path, i, 'thinking'], 'xtuner/thinking-not-assistant', () =>
        l10n.t('xtuner rejects this conversation: message {0} ({1}) has "thinking", which only assistant messages may have', nth(i), role), 'key');
      return;
    }
  }
}

function checkSwift(msgs: readonly unknown[], path: JsonPath, reading: ReaderContext, report: Report): void {
  const verdict = readerVerdict(reading, ['ms-swift']);
  if (!verdict) return;
  const dropped = firstOutside(msgs, MESSAGE_KEYS['ms-swift'].keys);
  if (!dropped) return;
  emitFor(report, verdict, [...path, dropped.i, dropped.key], 'ms-swift/dropped-message-key', () =>
    l10n.t('ms-swift deletes every message key but role, content and loss, so {0} (first in message {1}) never reaches training', keyList(dropped.all), nth(dropped.i)), 'key');
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

function checkLossMasks(msgs: readonly unknown[], path: JsonPath, reading: ReaderContext, report: Report): void {
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    // A masked user or system turn is what every trainer does by default; a masked answer is the point.
    if (!isPlainObject(m) || m.role !== 'assistant') continue;
    for (const key of ['weight', 'loss', 'loss_weight']) {
      if (!masksTurn(key, m[key])) continue;
      const honour = reading.readers.filter((r) => MESSAGE_KEYS[r].lossKey === key);
      const value = JSON.stringify(m[key]);
      emitFor(report, readerVerdict(reading, ignoringReaders(reading.readers, key)), [...path, i, key], 'messages/loss-mask-ignored', (v) =>
        honour.length
          ? l10n.t('message {0} sets {1}: {2} to leave it out of training (read by {3}); not read by {4}, where the turn is trained', nth(i), JSON.stringify(key), value, trainerList(honour), trainerList(v.hit))
          : l10n.t('message {0} sets {1}: {2} to leave it out of training; not read by {3}, where the turn is trained', nth(i), JSON.stringify(key), value, trainerList(v.hit)), 'key');
      return;
    }
  }
}

/** Every reader-profile rule about message keys for one conversation. */
export function checkMessageKeys(msgs: readonly unknown[], path: JsonPath, reading: ReaderContext, report: Report): void {
  checkXtuner(msgs, path, reading, report);
  checkSwift(msgs, path, reading, report);
  checkLossMasks(msgs, path, reading, report);
}
