/**
 * The Getting Started walkthrough as package.json declares it: every command link and completion
 * event names a command the extension contributes (or one of the few VS Code commands listed
 * here), every text is a %key% with English and Chinese, the Chinese keeps the same links, the media
 * exist, are theme-aware and hold no text to translate, and the samples it opens ship in the .vsix
 * and show what each step promises.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateText } from '../../../src/core/validate/pipeline';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs?: Walkthrough[] };
};
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string; markdown?: string; svg?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}

/** VS Code's own commands the walkthrough links to. */
const BUILT_IN = new Set(['workbench.actions.view.problems']);
const SAMPLES_DIR = path.join(root, 'media', 'walkthrough', 'samples');

const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
const walkthrough = pkg.contributes.walkthroughs?.find((w) => w.id === 'pairwise.gettingStarted');

function key(value: string): string {
  const m = /^%(.+)%$/.exec(value);
  assert.ok(m, `"${value}" is a %key% for package.nls.json`);
  return m[1];
}

/** [label](command:id?args) links in a description: the id and its decoded arguments. */
function commandLinks(text: string): { id: string; args: unknown[] }[] {
  return [...text.matchAll(/\]\(command:([\w.-]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({ id: m[1], args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : [] }));
}

describe('Getting Started walkthrough', () => {
  it('is declared with five steps in the order of the issue', () => {
    assert.ok(walkthrough, 'contributes.walkthroughs has pairwise.gettingStarted');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id.replace('pairwise.gettingStarted.', '')),
      ['openSample', 'datasetView', 'label', 'generate', 'train'],
    );
  });

  it('every text is a %key% with English and Chinese, and the Chinese keeps the same command links', () => {
    const w = walkthrough!;
    const texts = [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description, s.media.altText ?? ''])];
    for (const t of texts) {
      const k = key(t);
      assert.ok(nls[k]?.trim(), `${k} in package.nls.json`);
      assert.ok(nlsZh[k]?.trim(), `${k} in package.nls.zh-cn.json`);
      assert.notEqual(nlsZh[k], nls[k], `${k} is translated`);
      assert.deepEqual(commandLinks(nlsZh[k]), commandLinks(nls[k]), `${k}: the same links in both languages`);
    }
  });

  it('every command link and completion event names a command that exists', () => {
    const named: string[] = [];
    for (const s of walkthrough!.steps) {
      const links = commandLinks(nls[key(s.description)]);
      assert.ok(links.length > 0, `${s.id} links to at least one command`);
      named.push(...links.map((l) => l.id));
      const events = s.completionEvents ?? [];
      assert.ok(events.length > 0, `${s.id} has a completion event`);
      for (const e of events) {
        const ctx = /^onContext:(.+)$/.exec(e);
        if (ctx) {
          // A context key must be one the extension sets: find the setter in src/extension.
          assert.ok(contextKeysSet().has(ctx[1]), `${s.id}: completion event ${e} names a context key that src/extension sets`);
          continue;
        }
        const m = /^onCommand:(.+)$/.exec(e);
        assert.ok(m, `${s.id}: ${e} is an onCommand event`);
        assert.ok(contributed.has(m[1]), `${s.id}: completion event ${e} names a contributed command`);
        assert.ok(links.some((l) => l.id === m[1]), `${s.id}: the step links to ${m[1]}, the command that completes it`);
      }
    }
    for (const id of named) assert.ok(contributed.has(id) || BUILT_IN.has(id), `command link ${id} is contributed by package.json (or a listed VS Code command)`);
  });

  it('sample links open samples that ship in the extension and show what the step promises', () => {
    const opened = walkthrough!.steps.flatMap((s) => commandLinks(nls[key(s.description)]).filter((l) => l.id === 'pairwise.openSample').map((l) => ({ step: s.id, args: l.args })));
    assert.ok(opened.length >= 3);
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!media\/(walkthrough\/)?\*\*$/m, 'media/walkthrough/ (and so the samples) is packaged');
    const by = new Map<string, string>();
    for (const o of opened) {
      assert.equal(o.args.length, 1, `${o.step}: one sample name`);
      const name = o.args[0] as string;
      const file = path.join(SAMPLES_DIR, name);
      assert.ok(fs.existsSync(file), `${name} is in media/walkthrough/samples`);
      by.set(o.step.replace('pairwise.gettingStarted.', ''), name);
    }
    const check = (name: string) => validateText(fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8'), { fileName: name });
    const diag = check(by.get('openSample')!);
    assert.ok(diag.problems.length > 0, 'the first sample has something for the Problems panel');
    const label = check(by.get('label')!);
    assert.equal(label.format, 'candidates');
    assert.ok(label.records >= 5, 'enough pairs to label five');
    assert.equal(label.problems.length, 0);
    const gen = check(by.get('generate')!);
    assert.equal(gen.format, 'trl-prompt-only');
    assert.equal(gen.problems.length, 0);
  });

  it('media are theme-aware SVGs with no text in them', () => {
    for (const s of walkthrough!.steps) {
      const image = s.media.image ?? '';
      assert.ok(image.endsWith('.svg'), `${s.id} shows an SVG`);
      const svg = fs.readFileSync(path.join(root, image), 'utf8');
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(svg, /var\(--vscode-[\w-]+/, `${image} uses theme colours`);
      assert.doesNotMatch(svg, /<text|<tspan|<foreignObject/, `${image} has no text to translate`);
      assert.doesNotMatch(svg, /<script|href=/i, `${image} is static`);
    }
  });

  it('Create Training Config is in the palette, the explorer menu and the editor menus', () => {
    assert.ok(contributed.has('pairwise.createTrainingConfig'));
    const menus = (pkg.contributes as unknown as { menus: Record<string, { command: string; when?: string }[]> }).menus;
    for (const m of ['explorer/context', 'editor/title', 'editor/context']) {
      const entry = menus[m]?.find((e) => e.command === 'pairwise.createTrainingConfig');
      assert.ok(entry, `${m} has the command`);
      assert.match(entry.when ?? '', /resourceExtname == \.jsonl/);
    }
    assert.ok(!menus.commandPalette?.some((e) => e.command === 'pairwise.createTrainingConfig' && e.when === 'false'));
  });
});

/** Context keys src/extension sets: string constants passed to setContext, or named *_CONTEXT_KEY. */
function contextKeysSet(): Set<string> {
  const dir = path.join(root, 'src', 'extension');
  const keys = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    if (!text.includes("'setContext'")) continue;
    for (const m of text.matchAll(/(?:'setContext',\s*|_CONTEXT_KEY\s*=\s*)'([\w.]+)'/g)) keys.add(m[1]);
  }
  return keys;
}
