/**
 * The labeling keys: setting names (`Ctrl+z`, `Shift+Z`, `?`, `Space`) and key presses brought to
 * one canonical name, so that a press finds its action. Pure: no DOM, unit-tested in plain Node.
 */
import type { KeyMap, LabelingAction } from '../../../src/protocol/labeling';

export interface Modifiers {
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

/** What the key map needs of a KeyboardEvent. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Canonical name of a key (see DEFAULT_KEYS): modifiers in a fixed order; a printable key stands for its shifted self. */
export function canonical(mods: Modifiers, key: string): string {
  const printable = [...key].length === 1;
  const parts: string[] = [];
  if (mods.ctrl) parts.push('Ctrl');
  if (mods.alt) parts.push('Alt');
  if (mods.meta) parts.push('Meta');
  if (mods.shift && !printable) parts.push('Shift');
  parts.push(printable && mods.shift ? key.toUpperCase() : key);
  return parts.join('+');
}

/** The canonical name of a key as the setting writes it. */
export function parseKeyName(name: string): string {
  const parts = name.split('+');
  let key = parts.pop() ?? '';
  if (key === '' && name.endsWith('+')) {
    key = '+';
    parts.pop();
  }
  const m = new Set(parts.map((p) => p.trim().toLowerCase()));
  if (key.length > 1 && key.toLowerCase() === 'space') key = ' ';
  return canonical({ ctrl: m.has('ctrl') || m.has('control'), alt: m.has('alt') || m.has('option'), meta: m.has('meta') || m.has('cmd'), shift: m.has('shift') }, key);
}

/** The canonical name of a key press. */
export function eventKeyName(e: KeyPress): string {
  const printable = [...e.key].length === 1;
  // e.key of a printable key is already the shifted character ('Z', '?').
  return canonical({ ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey, shift: e.shiftKey && !printable }, e.key);
}

/** Canonical key name → action; a key named for two actions goes to the later one. */
export function indexKeys(keys: KeyMap): Map<string, LabelingAction> {
  const index = new Map<string, LabelingAction>();
  for (const [action, names] of Object.entries(keys) as [LabelingAction, string[]][]) {
    for (const n of names) index.set(parseKeyName(n), action);
  }
  return index;
}

/** The action of a key press, if any. */
export function actionFor(index: ReadonlyMap<string, LabelingAction>, e: KeyPress): LabelingAction | undefined {
  return index.get(eventKeyName(e));
}
