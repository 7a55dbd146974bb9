/** Texts of the labeling page computed from numbers (no DOM). */
import * as l10n from '@vscode/l10n';

export function statsText(r: { chars: number; words: number; tokens: number }): string {
  const n = (x: number, one: string, many: string) => (x === 1 ? one : many).replace('{0}', x.toLocaleString());
  return l10n.t(
    '{0} · {1} · ~{2}',
    n(r.chars, l10n.t('{0} char'), l10n.t('{0} chars')),
    n(r.words, l10n.t('{0} word'), l10n.t('{0} words')),
    n(r.tokens, l10n.t('{0} token'), l10n.t('{0} tokens')),
  );
}

/** A time left: seconds under 90 s, minutes under 90 min, else hours and minutes. */
export function duration(seconds: number): string {
  if (seconds < 90) return l10n.t('{0} s', Math.round(seconds));
  const m = Math.round(seconds / 60);
  if (m < 90) return l10n.t('{0} min', m);
  return l10n.t('{0} h {1} min', Math.floor(m / 60), m % 60);
}
