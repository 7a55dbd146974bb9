/** Small shared pieces for emitting rule reports, so every format words and places them alike. */
import type { JsonPath, RuleReport } from './formatModule';
import type { Severity } from '../base/problem';
import type { ReaderVerdict } from '../trainers';

export type Report = (r: RuleReport) => void;

/** Reports a finding whose severity follows the file's readers (undefined verdict: no reader is hit, nothing to say). */
export function emitFor(report: Report, verdict: ReaderVerdict | undefined, path: JsonPath, rule: string, message: (v: ReaderVerdict) => string, target?: 'key' | 'value'): void {
  if (!verdict) return;
  const r: RuleReport = { path, severity: verdict.severity, rule, message: message(verdict), trainers: verdict.hit };
  if (target) r.target = target;
  report(r);
}

export function emit(report: Report, path: JsonPath, rule: string, severity: Severity, message: string, target?: 'key' | 'value'): void {
  report(target ? { path, target, severity, rule, message } : { path, severity, rule, message });
}

/** "turn 3" style ordinal for messages: people count from 1, paths count from 0. */
export function nth(i: number): string {
  return String(i + 1);
}

/** Shortens user text quoted inside a diagnostic message. */
export function quote(s: string, max = 40): string {
  const t = s.length > max ? s.slice(0, max - 1) + '…' : s;
  return JSON.stringify(t);
}
