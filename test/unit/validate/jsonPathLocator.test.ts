/**
 * locateJsonPath against jsonc-parser, which placed reports before it: on random JSON text (escapes
 * in keys and strings, duplicate keys, every kind of value, whitespace of every kind between
 * tokens) and random paths (whole, cut short, past a leaf, through the wrong kind of value), the
 * same value, key, exactness and root as parseTree + findNodeAtLocation give.
 */
import * as assert from 'node:assert/strict';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { seededRandom } from '../../../src/core/base/random';
import { locateJsonPath, type PathLocation } from '../../../src/core/validate/jsonPathLocator';
import type { JsonPath } from '../../../src/core/formats/formatModule';

/** What RecordLocator found with jsonc-parser: the node at the path or its deepest existing part. */
function withJsonc(text: string, path: JsonPath): PathLocation | undefined {
  const root = parseTree(text, [], { disallowComments: true });
  if (!root) return undefined;
  const steps = root.type === 'array' && path[0] === 'messages' ? path.slice(1) : path;
  let node: Node = root;
  let exact = true;
  for (let i = 0; i < steps.length; i++) {
    const next = findNodeAtLocation(root, steps.slice(0, i + 1));
    if (!next) {
      exact = false;
      break;
    }
    node = next;
  }
  const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return {
    value: { offset: node.offset, length: node.length },
    key: keyNode ? { offset: keyNode.offset, length: keyNode.length } : undefined,
    exact,
    root: node === root,
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json } | [string, Json][];

const KEYS = ['a', 'role', 'content', 'messages', 'é', 'a"b', 'back\\slash', 'line\nbreak', '', 'tool_calls', '日本'];
const STRINGS = ['', 'x', 'say "hi"', 'C:\\path\\', '{not [an] object}', 'é 日本 😀', '\\"', 'tab\there', '\u2028'];

function randomValue(r: () => number, depth: number): Json {
  const k = r();
  if (depth > 4 || k < 0.35) {
    const s = r();
    if (s < 0.45) return STRINGS[Math.floor(r() * STRINGS.length)];
    if (s < 0.7) return [0, -1.5, 3e21, 42, -0.001][Math.floor(r() * 5)];
    return [true, false, null][Math.floor(r() * 3)];
  }
  if (k < 0.65) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  // An object as a list of entries, so that a key may come twice (JSON.parse keeps the last).
  const entries = Array.from({ length: Math.floor(r() * 5) }, (): [string, Json] => [KEYS[Math.floor(r() * KEYS.length)], randomValue(r, depth + 1)]);
  return Object.assign(entries, { object: true });
}

function isObject(v: Json): v is [string, Json][] {
  return Array.isArray(v) && (v as unknown as { object?: boolean }).object === true;
}

/** A string literal, sometimes with characters escaped that need not be. */
function literal(s: string, r: () => number): string {
  const plain = JSON.stringify(s);
  if (r() < 0.5) return plain;
  return plain.replace(/[é/日]/g, (c) => (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function space(r: () => number): string {
  return ['', '', ' ', '\n  ', '\t', '\r\n', '  '][Math.floor(r() * 7)];
}

function write(v: Json, r: () => number): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return literal(v, r);
  if (isObject(v)) return '{' + space(r) + v.map(([k, x]) => literal(k, r) + space(r) + ':' + space(r) + write(x, r)).join(space(r) + ',' + space(r)) + space(r) + '}';
  return '[' + space(r) + (v as Json[]).map((x) => write(x, r)).join(space(r) + ',' + space(r)) + space(r) + ']';
}

/** A path into `v`: mostly one that exists, then sometimes bent (a missing key, an index too far, a step past it). */
function randomPath(v: Json, r: () => number): JsonPath {
  const path: (string | number)[] = [];
  let cur: Json = v;
  while (r() < 0.8) {
    if (isObject(cur) && cur.length > 0) {
      const [k, x] = cur[Math.floor(r() * cur.length)];
      path.push(k);
      cur = x;
    } else if (Array.isArray(cur) && !isObject(cur) && cur.length > 0) {
      const i = Math.floor(r() * cur.length);
      path.push(i);
      cur = cur[i];
    } else break;
  }
  const bend = r();
  if (bend < 0.15) path.push('missing');
  else if (bend < 0.25) path.push(7);
  else if (bend < 0.3) path.push(-1);
  else if (bend < 0.35 && path.length > 0) path[0] = typeof path[0] === 'string' ? 0 : 'a';
  return path;
}

describe('locateJsonPath', () => {
  it('finds what jsonc-parser finds, on random JSON text and paths', () => {
    const r = seededRandom(18);
    let compared = 0;
    let exact = 0;
    let keyed = 0;
    for (let i = 0; i < 1500; i++) {
      const v = randomValue(r, 0);
      const text = space(r) + write(v, r) + space(r);
      for (let j = 0; j < 4; j++) {
        const path = r() < 0.05 ? ['messages', ...randomPath(v, r)] : randomPath(v, r);
        const got = locateJsonPath(text, path);
        assert.deepEqual(got, withJsonc(text, path), `${JSON.stringify(text)} at ${JSON.stringify(path)}`);
        compared++;
        if (got?.exact) exact++;
        if (got?.key) keyed++;
      }
    }
    assert.equal(compared, 6000);
    assert.ok(exact > 2000 && exact < 5500 && keyed > 1000, `${exact} exact, ${keyed} with a key`);
  });

  it('takes the first of two properties of one name, as jsonc-parser does', () => {
    const text = '{"role": "user", "x": [1, {"role": 2}], "role": "bot"}';
    assert.deepEqual(locateJsonPath(text, ['role']), { value: { offset: 9, length: 6 }, key: { offset: 1, length: 6 }, exact: true, root: false });
    assert.deepEqual(locateJsonPath(text, ['x', 1, 'role']), withJsonc(text, ['x', 1, 'role']));
  });

  it('walks any nesting (jsonc-parser overflowed its stack) and says undefined for text that is not JSON', () => {
    const depth = 200000;
    const text = '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + ', "b": 1}';
    assert.deepEqual(locateJsonPath(text, ['b']), { value: { offset: text.length - 2, length: 1 }, key: { offset: text.length - 7, length: 3 }, exact: true, root: false });
    // Two levels down, then an index the list does not have: the deepest list found.
    assert.deepEqual(locateJsonPath(text, ['a', 0, 0, 5]), { value: { offset: 7, length: 2 * (depth - 2) }, key: undefined, exact: false, root: false });
    for (const bad of ['', '   ', '{"a": "open', '{"a" 1}', '[1, 2', '{"a": [}']) assert.equal(locateJsonPath(bad, ['a', 0]), undefined, JSON.stringify(bad));
  });
});
