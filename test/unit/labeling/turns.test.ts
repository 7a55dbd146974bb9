import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start, type TestServer } from '../../support/openaiTestServer';
import { lines } from '../../support/generationFixtures';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { runCandidatesJob, type CandidatesLine } from '../../../src/core/generation/candidatesJob';
import { readDatasetPrompts } from '../../../src/core/generation/datasetPrompts';
import { readOpenFailures } from '../../../src/core/generation/candidatesFailures';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { makeDecision } from '../../../src/core/labeling/decisionLog';
import { exportPreferences, PREFERENCE_EXPORT_FORMATS } from '../../../src/core/labeling/exportPreferences';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import { openLabelingInput } from '../../../src/core/labeling/labelingInput';
import { makePair, type LabelPair } from '../../../src/core/labeling/pair';
import { responseOf } from '../../../src/core/labeling/auditSource';
import { promptHash } from '../../../src/core/labeling/hashing';
import { assistantTurnPrompts, isMultiTurnPrompt, sharedPrefix, turnView } from '../../../src/core/labeling/turns';
import { TurnOrderedQueue, turnStep } from '../../../src/core/labeling/turnsQueue';
import { LabelingSession } from '../../../src/core/labeling/session';
import { ArrayPairQueue } from '../../../src/core/labeling/pairQueue';
import { multiTurnText } from '../../../src/core/labeling/turnsExport';
import { validateFile } from '../../../src/core/validate/pipeline';
import type { Message } from '../../../src/core/model';

const u = (content: string): Message => ({ role: 'user', content });
const a = (content: string): Message => ({ role: 'assistant', content });

/** A candidates line of turn `turn` of conversation `conv`, as Generate Candidates writes it with turns `each`. */
function turnLine(conv: string, turn: number, turns: number, prompt: Message[], answers: string[]): string {
  return JSON.stringify({ id: `${conv}#${turn}`, prompt, responses: answers.map((content, i) => ({ model: `m${i + 1}`, content })), conversation: conv, turn, turns });
}

const TRIP: Message[] = [u('Plan a day in Lisbon.'), a('Morning: Belém. Afternoon: Alfama.'), u('Make it rain-proof.'), a('Museums: Gulbenkian, MAAT.'), u('And dinner?')];

describe('multi-turn labeling: turns', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-turns-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('each assistant turn becomes a prompt: the conversation before it, ending with its user turn', () => {
    const convo = [u('q1'), a('r1'), u('q2'), { role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: '{}' }] } as Message, { role: 'tool', content: '42' } as Message, a('r2'), u('q3'), a('r3')];
    const t = assistantTurnPrompts(convo, 'Be brief.');
    assert.deepEqual(t.map((x) => [x.turn, x.turns, x.prompt.length]), [[1, 3, 2], [2, 3, 4], [3, 3, 8]], 'the assistant message after a tool result continues turn 2');
    assert.deepEqual(t[0].prompt, [{ role: 'system', content: 'Be brief.' }, u('q1')]);
    assert.equal(t[2].prompt[t[2].prompt.length - 1].content, 'q3');
    // A conversation ending with a user message adds its open turn.
    assert.deepEqual(assistantTurnPrompts(TRIP).map((x) => x.prompt.length), [1, 3, 5]);
    assert.equal(isMultiTurnPrompt([u('x')]), false);
    assert.equal(isMultiTurnPrompt(TRIP), true);
  });

  it('Generate Candidates with turns each: one prompt per assistant turn, tagged with the record id and turn; last keeps one per record', async () => {
    const input = path.join(dir, 'chats.jsonl');
    await fsp.writeFile(input, [
      JSON.stringify({ id: 'c1', messages: [u('Hi'), a('Hello!'), u('Tell me a joke'), a('Why did…'), u('Another')] }),
      JSON.stringify({ id: 'c2', messages: [u('Solo question'), a('Solo answer')] }),
    ].join('\n') + '\n');
    const last = await readDatasetPrompts(input);
    assert.deepEqual(last.prompts.map((p) => [p.id, p.prompt.length, p.turn]), [['c1', 5, undefined], ['c2', 1, undefined]]);
    const each = await readDatasetPrompts(input, { turns: 'each' });
    assert.deepEqual(each.prompts.map((p) => [p.id, p.conversation, p.turn, p.turns, p.prompt.length]), [
      ['c1#1', 'c1', 1, 3, 1],
      ['c1#2', 'c1', 2, 3, 3],
      ['c1#3', 'c1', 3, 3, 5],
      ['c2#1', 'c2', 1, 1, 1],
    ]);
  });

  it('a failed turn keeps its conversation and turn in the failures file, so a retry writes them', async () => {
    const out = path.join(dir, 'x.candidates.jsonl');
    const base = { unit: 'u:0', endpoint: 'local', model: 'm', kind: 'server', reason: 'HTTP 500', attempts: 3, ts: '2026-12-05T00:00:00Z', prompt: [u('q1'), a('r1'), u('q2')] };
    await fsp.writeFile(`${out}.failures.jsonl`, [
      JSON.stringify({ ...base, id: 'c#2', conversation: 'c', turn: 2, turns: 3 }),
      JSON.stringify({ ...base, id: 'bad', conversation: 'c', turn: 'two' }),
    ].join('\n') + '\n');
    const open = await readOpenFailures(out);
    assert.deepEqual(open.prompts.map((p) => [p.id, p.conversation, p.turn, p.turns]), [['c#2', 'c', 2, 3], ['bad', undefined, undefined, undefined]]);
  });

  describe('the candidates job writes conversation and turn on each line', () => {
    let server: TestServer;
    before(async () => {
      server = await start({ latencyMs: 1 });
    });
    after(async () => server.close());
    it('the lines carry conversation/turn/turns, and the labeling queue reads them back in turn order', async () => {
      const input = path.join(dir, 'chats.jsonl');
      await fsp.writeFile(input, JSON.stringify({ id: 'c1', messages: [u('Hi'), a('Hello!'), u('Joke?'), a('No.'), u('Please?'), a('Fine.')] }) + '\n');
      const read = await readDatasetPrompts(input, { turns: 'each' });
      const out = path.join(dir, 'chats.candidates.jsonl');
      const pool = new EndpointPool({ endpoints: [{ name: 'local', baseURL: server.baseURL, models: ['test-model-a', 'test-model-b'], maxConcurrency: 4, timeoutSeconds: 5 }] });
      try {
        const job = await runCandidatesJob({ pool, prompts: read.prompts, targets: [{ endpoint: 'local', model: 'test-model-a', params: {} }, { endpoint: 'local', model: 'test-model-b', params: {} }], outputPath: out });
        assert.deepEqual([job.progress.failures, job.warnings], [0, []]);
      } finally {
        pool.close();
      }
      const rows = await lines<CandidatesLine>(out);
      assert.deepEqual(rows.map((r) => [r.id, r.conversation, r.turn, r.turns]).sort(), [['c1#1', 'c1', 1, 3], ['c1#2', 'c1', 2, 3], ['c1#3', 'c1', 3, 3]]);
      const opened = await openLabelingInput({ kind: 'candidates', path: out });
      try {
        assert.ok(opened.queue instanceof TurnOrderedQueue);
        await opened.queue.whenComplete();
        const shown = await Promise.all([0, 1, 2].map((i) => opened.queue.get(i)));
        assert.deepEqual(shown.map((p) => p?.turn), [1, 2, 3].map((turn) => ({ conversation: 'c1', turn, turns: 3 })));
      } finally {
        await opened.queue.close();
      }
    });
  });

  it('the queue orders a conversation’s turns in order whatever the file order, and steps between turns', async () => {
    const file = path.join(dir, 'mt.candidates.jsonl');
    const b1 = [u('B one')];
    const b2 = [u('B one'), a('b'), u('B two')];
    await fsp.writeFile(file, [
      turnLine('A', 2, 2, [u('A one'), a('a'), u('A two')], ['x2', 'y2', 'z2']),
      turnLine('B', 2, 2, b2, ['p', 'q']),
      turnLine('A', 1, 2, [u('A one')], ['x1', 'y1']),
      turnLine('B', 1, 2, b1, ['r', 's']),
    ].join('\n') + '\n');
    const inner = await CandidatesPairQueue.open(file);
    const q = new TurnOrderedQueue(inner);
    try {
      assert.equal(await q.whenComplete(), 1 + 3 + 1 + 1);
      const order: string[] = [];
      for (let i = 0; i < q.known; i++) {
        const p = (await q.get(i))!;
        order.push(`${p.turn!.conversation}${p.turn!.turn}`);
      }
      // A appears first in the file, so its turns come first; turn 2 of A has three answers, so three pairs.
      assert.deepEqual(order, ['A1', 'A2', 'A2', 'A2', 'B1', 'B2']);
      assert.equal(await turnStep(q, 0, 1), 1, 'next turn of A: its first pair');
      assert.equal(await turnStep(q, 3, -1), 0, 'previous turn from the last pair of A2');
      assert.equal(await turnStep(q, 2, 1), -1, 'A has no third turn');
      assert.equal(await turnStep(q, 4, -1), -1, 'B1 is the first turn of B');
      assert.equal(await turnStep(q, 4, 1), 5);
      // findNext honours filters in the new order.
      const second = (await q.get(1))!.id;
      assert.equal(await q.findNext(0, 1, { exclude: new Set([(await q.get(0))!.id, second]) }), 2);
    } finally {
      await q.close();
    }
    // A candidates file without turn lines keeps the file order (and streams).
    const plain = path.join(dir, 'plain.candidates.jsonl');
    await fsp.writeFile(plain, JSON.stringify({ id: 'p', prompt: [u('q')], responses: [{ model: 'a', content: '1' }, { model: 'b', content: '2' }] }) + '\n');
    const opened = await openLabelingInput({ kind: 'candidates', path: plain });
    assert.ok(opened.queue instanceof CandidatesPairQueue);
    assert.equal(await turnStep(opened.queue, 0, 1), -1);
    await opened.queue.close();
  });

  it('audit of multi-turn preference data: the turns chosen and rejected share are history, shown once', () => {
    const chosen = [a('Sure, Lisbon.'), u('Rain-proof?'), a('Museums.')];
    const rejected = [a('Sure, Lisbon.'), u('Rain-proof?'), a('Just get wet.')];
    assert.equal(sharedPrefix(chosen, rejected), 2);
    assert.equal(sharedPrefix([a('x')], [a('y')]), 0);
    assert.equal(sharedPrefix(chosen, chosen.slice(0, 1)), 0, 'each side keeps at least one message');
    const pair = makePair([u('Plan a day.')], promptHash([u('Plan a day.')]), responseOf(chosen, 'chosen'), responseOf(rejected, 'rejected'));
    const v = turnView(pair);
    assert.deepEqual(v.history, [u('Plan a day.'), a('Sure, Lisbon.'), u('Rain-proof?')]);
    assert.deepEqual([v.a, v.b].sort(), ['Just get wet.', 'Museums.']);
    // The pair keeps its identity (hashes of the whole continuations): logs of earlier audits still match.
    assert.equal(pair.a.content.includes('Sure, Lisbon.'), true);
  });

  it('the session shows the turn and its history once, steps between turns, and decides the turn on screen', async () => {
    const file = path.join(dir, 'mt.candidates.jsonl');
    await fsp.writeFile(file, [
      turnLine('A', 2, 2, [u('A one'), a('a'), u('A two')], ['x2', 'y2']),
      turnLine('A', 1, 2, [u('A one')], ['x1', 'y1']),
    ].join('\n') + '\n');
    const opened = await openLabelingInput({ kind: 'candidates', path: file });
    const log = path.join(dir, 'mt.labels.jsonl');
    const s = await LabelingSession.open({ queue: opened.queue, logPath: log, annotator: 'ana' });
    try {
      let st = s.state();
      assert.deepEqual([st.pair?.index, st.pair?.turn], [0, { turn: 1, turns: 2 }]);
      st = await s.turn(1);
      assert.deepEqual([st.pair?.index, st.pair?.turn, st.pair?.prompt.length], [1, { turn: 2, turns: 2 }, 3]);
      assert.equal((await s.turn(1)).pair?.index, 1, 'no turn after the last: stays');
      st = await s.turn(-1);
      assert.equal(st.pair?.index, 0);
      st = await s.decide('left');
      assert.deepEqual(st.pair?.turn, { turn: 2, turns: 2 }, 'after turn 1, turn 2 of the same conversation');
      const logged = JSON.parse((await fsp.readFile(log, 'utf8')).trim()) as { pair: string };
      assert.ok(logged.pair.startsWith(`${promptHash([u('A one')])}.`));
    } finally {
      await s.close();
      await opened.queue.close();
    }

    // Audit of multi-turn preference data: the shared turns are the history, the sides only what differs.
    const chosen = [a('Sure.'), u('Rain-proof?'), a('Museums.')];
    const rejected = [a('Sure.'), u('Rain-proof?'), a('Get wet.')];
    const pair = makePair([u('Plan a day.')], promptHash([u('Plan a day.')]), responseOf(chosen, 'chosen'), responseOf(rejected, 'rejected'));
    const audit = await LabelingSession.open({ queue: new ArrayPairQueue([pair]), logPath: path.join(dir, 'audit.labels.jsonl'), annotator: 'ana', diff: true });
    try {
      const st = audit.state();
      assert.deepEqual(st.pair?.prompt.map((m) => m.content), ['Plan a day.', 'Sure.', 'Rain-proof?']);
      assert.deepEqual([st.pair!.left.content, st.pair!.right.content].sort(), ['Get wet.', 'Museums.']);
      assert.ok(!st.pair!.diff!.some((d) => d.text.includes('Rain-proof')), 'the word diff compares what differs');
    } finally {
      await audit.close();
    }
  });

  describe('exports of multi-turn decisions validate in each preference format', () => {
    let queue: CandidatesPairQueue;
    let store: LabelStore;
    let file: string;
    let decided: LabelPair[];
    before(async () => {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-turns-export-'));
      file = path.join(dir, 'trip.candidates.jsonl');
      const sys: Message = { role: 'system', content: 'You are a travel agent.' };
      await fsp.writeFile(file, [
        turnLine('trip', 1, 3, [sys, ...TRIP.slice(0, 1)], ['Belém then Alfama.', 'Stay in.']),
        turnLine('trip', 2, 3, [sys, ...TRIP.slice(0, 3)], ['Museums: Gulbenkian, MAAT.', 'Umbrella.']),
        turnLine('trip', 3, 3, [sys, ...TRIP], ['Time Out Market.', 'Skip dinner.']),
      ].join('\n') + '\n');
      queue = await CandidatesPairQueue.open(file);
      await queue.whenComplete();
      store = new LabelStore();
      decided = [];
      for (let i = 0; i < queue.known; i++) {
        const p = (await queue.get(i))!;
        decided.push(p);
        const firstIsBetter = ['Belém then Alfama.', 'Museums: Gulbenkian, MAAT.', 'Time Out Market.'].includes(p.a.content);
        store.add(makeDecision({ pair: p, leftIsA: true, choice: firstIsBetter ? 'left' : 'right', annotator: 'ana', ms: 5 }, 1000 + i));
      }
    });
    after(async () => {
      await queue.close();
      await fsp.rm(dir, { recursive: true, force: true });
    });

    for (const format of PREFERENCE_EXPORT_FORMATS) {
      it(`${format}: the multi-turn pairs are written in its multi-turn shape, or the summary says they were dropped`, async () => {
        const out = path.join(dir, `${format}.jsonl`);
        const s = await exportPreferences({ queue, logs: store, format, output: out });
        assert.equal(s.multiTurn.pairs, 2, 'turns 2 and 3 have a history; turn 1 does not');
        const v = await validateFile(out, { format });
        const errors = v.problems.filter((p) => p.severity === 'error');
        // OpenAI refuses a file of fewer than 10 examples; that is the file's size, not the shape of a record.
        assert.deepEqual(errors.map((p) => p.rule), format === 'openai-dpo' ? ['openai/too-few-examples'] : [], JSON.stringify(errors.slice(0, 3)));
        assert.equal(v.records, s.written);
        const rows = (await fsp.readFile(out, 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        if (format === 'axolotl-chatml-intel') {
          assert.deepEqual([s.multiTurn.kept, s.multiTurn.dropped, s.written], [0, 2, 1]);
          assert.match(multiTurnText(s.multiTurn, s.format)!, /2 dropped.*chat_template\.default/);
          return;
        }
        assert.deepEqual([s.multiTurn.kept, s.multiTurn.changed, s.multiTurn.dropped], [2, 0, 0]);
        assert.equal(multiTurnText(s.multiTurn, s.format)?.includes('2 kept whole'), true);
        const last = rows.find((r) => JSON.stringify(r).includes('And dinner?'))!;
        switch (format) {
          case 'trl-preference':
            assert.deepEqual((last.prompt as Message[]).map((m) => m.content), ['You are a travel agent.', ...TRIP.map((m) => m.content)]);
            assert.deepEqual(last.chosen, [{ role: 'assistant', content: 'Time Out Market.' }]);
            break;
          case 'sharegpt-preference':
            assert.equal((last.conversations as unknown[]).length, 1 + TRIP.length, 'system turn + the five history turns');
            assert.deepEqual(last.chosen, { from: 'gpt', value: 'Time Out Market.' });
            break;
          case 'openai-dpo':
            assert.equal(((last.input as { messages: unknown[] }).messages).length, 1 + TRIP.length);
            assert.deepEqual(last.preferred_output, [{ role: 'assistant', content: 'Time Out Market.' }]);
            break;
          case 'alpaca-preference':
            assert.deepEqual(last.history, [[TRIP[0].content, TRIP[1].content], [TRIP[2].content, TRIP[3].content]]);
            assert.equal(last.instruction, 'And dinner?');
            break;
          default:
            break;
        }
      });
    }

    it('trl-preference, standard (string) variant: no place for a history, the two pairs are dropped and counted', async () => {
      const out = path.join(dir, 'std.jsonl');
      const s = await exportPreferences({ queue, logs: store, format: 'trl-preference', formatOptions: { variant: 'standard' }, output: out });
      assert.deepEqual([s.multiTurn.pairs, s.multiTurn.dropped, s.written], [2, 2, 1]);
      assert.match(multiTurnText(s.multiTurn, s.format)!, /2 dropped/);
    });
  });
});
