/** The labeling key map (webview-ui/labeling/logic/keys.ts): setting names and key presses meet on one canonical name. */
import * as assert from 'node:assert/strict';
import { DEFAULT_KEYS, type KeyMap } from '../../../src/protocol/labeling';
import { actionFor, canonical, eventKeyName, indexKeys, parseKeyName, type KeyPress } from '../../../webview-ui/labeling/logic/keys';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });

describe('labeling keys', () => {
  it('writes modifiers in a fixed order, whatever order the setting uses', () => {
    assert.equal(parseKeyName('Shift+Ctrl+ArrowLeft'), 'Ctrl+Shift+ArrowLeft');
    assert.equal(parseKeyName('meta+alt+ctrl+x'), 'Ctrl+Alt+Meta+x');
    assert.equal(parseKeyName('Control+Option+Cmd+k'), 'Ctrl+Alt+Meta+k');
  });

  it('a shifted printable key is its shifted character: Shift+Z, Shift+z and Z are one key', () => {
    assert.equal(parseKeyName('Shift+Z'), 'Z');
    assert.equal(parseKeyName('Shift+z'), 'Z');
    assert.equal(parseKeyName('Z'), 'Z');
    assert.equal(parseKeyName('Ctrl+Shift+Z'), 'Ctrl+Z');
    // The browser reports Shift+z as key 'Z' with shiftKey set.
    assert.equal(eventKeyName(press('Z', { shiftKey: true })), 'Z');
    assert.equal(eventKeyName(press('Z', { shiftKey: true, ctrlKey: true })), 'Ctrl+Z');
    assert.equal(eventKeyName(press('?', { shiftKey: true })), '?');
  });

  it('Shift stays on a named key, and Space and + are keys', () => {
    assert.equal(parseKeyName('Shift+ArrowRight'), 'Shift+ArrowRight');
    assert.equal(eventKeyName(press('ArrowRight', { shiftKey: true })), 'Shift+ArrowRight');
    assert.equal(parseKeyName('Space'), ' ');
    assert.equal(parseKeyName('Ctrl+space'), 'Ctrl+ ');
    assert.equal(eventKeyName(press(' ', { ctrlKey: true })), 'Ctrl+ ');
    assert.equal(parseKeyName('+'), '+');
    assert.equal(parseKeyName('Ctrl++'), 'Ctrl++');
    assert.equal(eventKeyName(press('+', { ctrlKey: true })), 'Ctrl++');
  });

  it('canonical() of a printable key upper-cases it only when shifted', () => {
    assert.equal(canonical({ ctrl: false, alt: false, meta: false, shift: false }, 'z'), 'z');
    assert.equal(canonical({ ctrl: false, alt: false, meta: false, shift: true }, 'z'), 'Z');
  });

  it('the default keys reach every action, and the presses of the README find them', () => {
    const index = indexKeys(DEFAULT_KEYS);
    for (const action of Object.keys(DEFAULT_KEYS)) assert.ok([...index.values()].includes(action as keyof KeyMap), action);
    assert.equal(actionFor(index, press('1')), 'left');
    assert.equal(actionFor(index, press('ArrowRight')), 'right');
    assert.equal(actionFor(index, press('z')), 'undo');
    assert.equal(actionFor(index, press('z', { ctrlKey: true })), 'undo');
    assert.equal(actionFor(index, press('Z', { shiftKey: true })), 'redo');
    assert.equal(actionFor(index, press('Z', { shiftKey: true, ctrlKey: true })), 'redo');
    assert.equal(actionFor(index, press('y', { ctrlKey: true })), 'redo');
    assert.equal(actionFor(index, press('?', { shiftKey: true })), 'help');
    assert.equal(actionFor(index, press('x')), undefined);
    assert.equal(actionFor(index, press('1', { altKey: true })), undefined);
  });

  it('a setting that swaps keys is followed exactly', () => {
    const index = indexKeys({ ...DEFAULT_KEYS, left: ['ArrowRight'], right: ['ArrowLeft'] });
    assert.equal(actionFor(index, press('ArrowRight')), 'left');
    assert.equal(actionFor(index, press('ArrowLeft')), 'right');
  });
});
