import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChatTemplateRenderer, loadModelFolder, trainerView, TemplateError } from '../../../src/core/chatTemplate';
import type { Message, SftRecord } from '../../../src/core/model';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

interface Case {
  name: string;
  messages: Message[];
}
interface RefCase {
  name: string;
  text?: string;
  ids?: number[];
  assistant_masks?: number[];
  error?: string;
}

const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8')) as Case[];

function record(c: Case): SftRecord {
  return { type: 'sft', messages: c.messages };
}

for (const family of ['chatml', 'llama3', 'nosystem', 'reasoning']) {
  describe(`chatTemplate: ${family} against transformers' apply_chat_template`, () => {
    const dir = path.join(FIXTURES, family);
    const model = loadModelFolder(dir);
    const renderer = new ChatTemplateRenderer(model.chatTemplate);
    const reference = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8')) as { cases: RefCase[] };
    for (const c of cases) {
      const ref = reference.cases.find((r) => r.name === c.name);
      it(c.name, () => {
        assert.ok(ref, 'reference case recorded');
        const special = { bos_token: model.bosToken, eos_token: model.eosToken };
        if (ref.error !== undefined) {
          assert.throws(() => trainerView(record(c), renderer, model.tokenizer, { trainer: 'trl', assistantOnlyLoss: true }, special), (e: unknown) => e instanceof TemplateError && e.message === ref.error);
          return;
        }
        const all = trainerView(record(c), renderer, model.tokenizer, { trainer: 'trl' }, special);
        assert.equal(all.text, ref.text);
        assert.deepEqual(all.ids, ref.ids);
        assert.ok(all.mask.every((m) => m === 1), 'TRL without assistant_only_loss trains every token');
        if (renderer.hasGenerationMarkers) {
          const masked = trainerView(record(c), renderer, model.tokenizer, { trainer: 'trl', assistantOnlyLoss: true }, special);
          assert.deepEqual(masked.ids, ref.ids);
          assert.deepEqual(masked.mask, ref.assistant_masks);
        }
      });
    }
  });
}

describe('chatTemplate: trainer masks, cut and what the template drops', () => {
  const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
  const renderer = new ChatTemplateRenderer(model.chatTemplate);
  const rec: SftRecord = { type: 'sft', system: 'be brief.', messages: [{ role: 'user', content: 'the sum?' }, { role: 'assistant', content: '42.', weight: 0 }, { role: 'user', content: 'why' }, { role: 'assistant', content: 'it is.' }] };

  it('the default of the non-TRL trainers trains assistant content only, minus a turn with weight 0', () => {
    const v = trainerView(rec, renderer, model.tokenizer, { trainer: 'openai' });
    const trained = v.segments.filter((s) => s.trained).map((s) => s.text);
    assert.deepEqual(trained, ['it is.']);
    assert.equal(v.trainedTokens, v.mask.filter((m) => m === 1).length);
    assert.ok(v.trainedTokens > 0);
  });

  it('train_on_prompt trains every token', () => {
    const v = trainerView(rec, renderer, model.tokenizer, { trainer: 'llamafactory', trainOnPrompt: true });
    assert.equal(v.trainedTokens, v.ids.length);
  });

  it('a max length that cuts before the last answer leaves no trained token', () => {
    const full = trainerView(rec, renderer, model.tokenizer, { trainer: 'openai' });
    const firstTrained = full.mask.indexOf(1);
    const cut = trainerView(rec, renderer, model.tokenizer, { trainer: 'openai', maxLength: firstTrained });
    assert.equal(cut.overBy, full.ids.length - firstTrained);
    assert.equal(cut.trainedAfterCut, 0);
    assert.equal(trainerView(rec, renderer, model.tokenizer, { trainer: 'openai', maxLength: full.ids.length }).overBy, 0);
  });

  it('reports a message whose content the template leaves out', () => {
    const dropping = new ChatTemplateRenderer("{% for m in messages %}{% if m.role != 'system' %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endif %}{% endfor %}");
    const v = trainerView(rec, dropping, model.tokenizer, { trainer: 'openai' });
    assert.deepEqual(v.missing, [0]);
    assert.deepEqual(trainerView(rec, renderer, model.tokenizer, { trainer: 'openai' }).missing, []);
  });

  it('assistant_only_loss without {% generation %} markers is an error, as in TRL', () => {
    const plain = new ChatTemplateRenderer('{% for m in messages %}{{ m.content }}{% endfor %}');
    assert.throws(() => trainerView(rec, plain, model.tokenizer, { trainer: 'trl', assistantOnlyLoss: true }), TemplateError);
  });

  it('a reasoning template that drops the thinking of earlier turns: that turn is reported as rewritten', () => {
    const reasoning = loadModelFolder(path.join(FIXTURES, 'reasoning'));
    const c = cases.find((x) => x.name === 'reasoning-history');
    assert.ok(c);
    const v = trainerView(record(c), new ChatTemplateRenderer(reasoning.chatTemplate), reasoning.tokenizer, { trainer: 'trl' });
    assert.deepEqual(v.missing, [1]);
  });
});

describe('chatTemplate: a template that never ends', () => {
  const messages = { messages: [{ role: 'user', content: 'hi' }] };

  it('is stopped after its time limit with an error that says so, and the next render works', () => {
    // From a model folder or the Hub, run on the extension host's thread for a hover: it froze it.
    const hostile = new ChatTemplateRenderer('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x');
    const t0 = Date.now();
    assert.throws(() => hostile.render(messages, 200), /the chat template ran longer than 0\.2 s on one record and was stopped/);
    assert.ok(Date.now() - t0 < 10_000, `stopped after ${Date.now() - t0} ms`);
    const fine = new ChatTemplateRenderer('{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}');
    assert.equal(fine.render(messages).text, '<user>hi');
    // A long but finite template is not cut short at the default limit.
    assert.equal(new ChatTemplateRenderer('{% for i in range(20000) %}{% endfor %}ok').render(messages).text, 'ok');
  });

  /** How a render whose values pile up under the per-value bounds is stopped: by memory, or by the clock on a busy machine. */
  const PILED_UP = /used more than 512 MB of memory on one record and was stopped|ran longer than 2 s/;

  it('is stopped before it builds what no machine holds: a range of a billion, a text or a list doubled forty times', () => {
    // One builtin call or a few dozen steps: the clock cannot catch these before memory runs out.
    const cases: [string, RegExp][] = [
      ['{{ range(10**9) | length }}', /asked for range\(\) of 1000000000 items, more than 1000000, and was stopped/],
      ['{% for i in range(5, 10**12, 2) %}{% endfor %}', /asked for range\(\) of .* items, more than 1000000/],
      ["{% set ns = namespace(v='ab') %}{% for i in range(40) %}{% set ns.v = ns.v ~ ns.v %}{% endfor %}{{ ns.v | length }}", /built a text of more than 33554432 characters and was stopped/],
      ['{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l | length }}', /built a list of more than 1000000 items and was stopped/],
      // A missing variable as the stop: the library then counts to the start (found by review: it crashed the process).
      ['{{ range(10**9, nothere) | length }}', /asked for range\(\) of 1000000000 items/],
      ['{{ range(10**7, nothere) | length }}', /asked for range\(\) of 10000000 items/],
      // Values under the bounds that pile up: a list of lists of a million items, a list of 32 MB texts.
      // The memory bound stops them within a second on an idle machine; on two busy cores the 2 s
      // clock can come first (it did, with two test suites running at once), and either stop holds.
      ['{% set ns = namespace(b=range(999999), all=[]) %}{% for i in range(100000) %}{% set ns.all = ns.all + [ns.b + []] %}{% endfor %}', PILED_UP],
      ["{% set ns = namespace(v='ab', all=[]) %}{% for i in range(24) %}{% set ns.v = ns.v ~ ns.v %}{% endfor %}{% for i in range(100000) %}{% set ns.all = ns.all + [ns.v | upper] %}{% endfor %}", PILED_UP],
    ];
    for (const [source, error] of cases) {
      const t0 = Date.now();
      assert.throws(() => new ChatTemplateRenderer(source).render(messages), error, source);
      assert.ok(Date.now() - t0 < 10_000, `${source}: stopped after ${Date.now() - t0} ms`);
    }
    // What real templates do stays as it was, up to the limits.
    assert.equal(new ChatTemplateRenderer('{{ range(1000000) | length }} {{ range(10, 0, -3) | join(",") }} {{ range(3, nothere) | join(",") }} {{ range(nothere) | length }}').render(messages).text, '1000000 10,7,4,1 0,1,2 0');
    assert.throws(() => new ChatTemplateRenderer('{{ range(1, 5, 0) }}').render(messages), /step must not be zero/);
    assert.equal(new ChatTemplateRenderer("{% set ns = namespace(v='ab') %}{% for i in range(20) %}{% set ns.v = ns.v ~ ns.v %}{% endfor %}{{ ns.v | length }}").render(messages).text, String(2 ** 21));
  });

  it('reaches the trainer view as a template error', () => {
    // Its inner ranges, a hundred thousand items each, are garbage the collector may not have taken
    // yet: the memory bound can stop it before the clock does.
    const hostile = new ChatTemplateRenderer('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}');
    const t0 = Date.now();
    assert.throws(() => trainerView({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] } as SftRecord, hostile, undefined as never, {} as never), (e: Error) => e instanceof TemplateError && /ran longer than 2 s|used more than 512 MB of memory/.test(e.message));
    assert.ok(Date.now() - t0 < 15_000);
  });
});
