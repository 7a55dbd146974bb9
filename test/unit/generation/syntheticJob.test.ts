import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start, type RecordedRequest, type TestServer } from '../../support/openaiTestServer';
import { lines } from '../../support/generationFixtures';
import { openFileHandles } from '../../support/openHandles';
import type { EndpointConfig } from '../../../src/core/generation/endpoint';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { runSyntheticJob, syntheticJobPaths, type RejectedLine, type SyntheticJobOptions, type SyntheticProgressLine } from '../../../src/core/generation/syntheticJob';
import { validateFile } from '../../../src/core/validate/pipeline';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, datasetText } from '../../support/ownDatasets';

const ALPACA = [
  { instruction: 'Explain why the sky is blue.', input: '', output: 'Sunlight scatters off air molecules, and blue light scatters the most (Rayleigh scattering).' },
  { instruction: 'Give a synonym for "happy".', input: '', output: 'Joyful.' },
  { instruction: 'Translate to French.', input: 'Good night', output: 'Bonne nuit.' },
  { instruction: 'What is the boiling point of water at sea level?', input: '', output: '100 °C, or 212 °F.' },
  { instruction: 'Summarize the plot of Hamlet in one sentence.', input: '', output: 'A Danish prince avenges his father’s murder by his uncle, and nearly everyone dies.' },
];

const SHAREGPT = [
  { conversations: [{ from: 'human', value: 'How do I reverse a list in Python?' }, { from: 'gpt', value: 'Use reversed(xs) or xs[::-1]; xs.reverse() reverses in place.' }] },
  { conversations: [{ from: 'human', value: 'What does HTTP 404 mean?' }, { from: 'gpt', value: 'The server found no resource at that URL.' }] },
  {
    conversations: [
      { from: 'human', value: 'Name a sorting algorithm.' },
      { from: 'gpt', value: 'Merge sort.' },
      { from: 'human', value: 'Its complexity?' },
      { from: 'gpt', value: 'O(n log n) in every case.' },
    ],
    system: 'You are a concise programming tutor.',
  },
];

function chats(server: TestServer): RecordedRequest[] {
  return server.requests.filter((r) => r.url === '/v1/chat/completions');
}

describe('synthetic records job', () => {
  let server: TestServer;
  let dir: string;
  let endpoints: EndpointConfig[];
  const base = (o: Partial<SyntheticJobOptions> & Pick<SyntheticJobOptions, 'datasetPath'>): SyntheticJobOptions => ({
    pool: new EndpointPool({ endpoints }),
    topic: 'everyday science questions',
    count: 4,
    endpoint: 'local',
    model: 'test-model-a',
    temperature: 0.7,
    ...o,
  });

  beforeEach(async () => {
    server = await start({ latencyMs: 2, synthetic: {} });
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-synth-'));
    endpoints = [{ name: 'local', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 3, timeoutSeconds: 5 }];
  });
  afterEach(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  async function dataset(name: string, records: object[]): Promise<string> {
    const file = path.join(dir, name);
    await fsp.writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return file;
  }

  it('alpaca JSONL: appends N records that validate without errors, each new, and sends the seeds in the dataset’s own shape', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    const r = await runSyntheticJob(base({ datasetPath: file, count: 6, seedCount: 2 }));
    assert.equal(r.cancelled, false);
    assert.equal(r.format, 'alpaca');
    assert.equal(r.layout, 'jsonl');
    assert.equal(r.progress.accepted, 6);
    assert.equal(r.progress.done, 6);
    assert.equal(r.progress.rejected + r.progress.duplicatesExact + r.progress.duplicatesNear + r.progress.failures, 0);
    const rows = await lines(file);
    assert.equal(rows.length, ALPACA.length + 6);
    assert.deepEqual(rows.slice(0, ALPACA.length), ALPACA, 'existing records untouched');
    const added = rows.slice(ALPACA.length);
    assert.equal(new Set(added.map((x) => JSON.stringify(x))).size, 6);
    for (const a of added) assert.deepEqual(Object.keys(a).sort(), ['input', 'instruction', 'output']);
    const v = await validateFile(file);
    assert.equal(v.format, 'alpaca');
    assert.equal(v.bySeverity.error, 0, JSON.stringify(v.problems.slice(0, 3)));
    // Exactly one request per record; each showed two seed records of the dataset as they are in the file.
    const reqs = chats(server);
    assert.equal(reqs.length, 6);
    const seeds = new Set(ALPACA.map((x) => JSON.stringify(x)));
    for (const q of reqs) {
      const body = q.body as { messages: { role: string; content: string }[]; seed: number; temperature: number; model: string };
      assert.equal(body.model, 'test-model-a');
      assert.equal(body.temperature, 0.7);
      const shown = [...body.messages[1].content.matchAll(/<example>\n([\s\S]*?)\n<\/example>/g)].map((m) => JSON.stringify(JSON.parse(m[1])));
      assert.equal(shown.length, 2);
      for (const s of shown) assert.ok(seeds.has(s), s);
      assert.ok(body.messages[1].content.includes('everyday science questions'));
    }
    assert.equal(new Set(reqs.map((q) => (q.body as { seed: number }).seed)).size, 6, 'every request has its own seed');
  });

  it('sharegpt: appended conversations keep their roles and validate; fenced replies are read', async () => {
    server.setSynthetic({ fenced: true });
    const file = await dataset('chat.jsonl', SHAREGPT);
    const r = await runSyntheticJob(base({ datasetPath: file, topic: 'programming help', count: 3, seedCount: 1 }));
    assert.equal(r.format, 'sharegpt');
    assert.equal(r.progress.accepted, 3);
    const rows = await lines<{ conversations: { from: string; value: string }[] }>(file);
    assert.equal(rows.length, SHAREGPT.length + 3);
    for (const a of rows.slice(SHAREGPT.length)) {
      assert.ok(a.conversations.length >= 2);
      assert.deepEqual(
        a.conversations.map((t) => t.from),
        a.conversations.map((_, i) => (i % 2 === 0 ? 'human' : 'gpt')),
      );
    }
    const v = await validateFile(file);
    assert.equal(v.format, 'sharegpt');
    assert.equal(v.bySeverity.error, 0, JSON.stringify(v.problems.slice(0, 3)));
  });

  it('an invalid reply is retried; after maxAttempts invalid replies the record is rejected and reported', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    // Record 1: not JSON, then JSON without "output" (schema error), then a torn fenced object → rejected.
    // Then the server's generated records: good.
    server.setSynthetic({ script: ['Sorry, I cannot do that.', '{"instruction": "Only half a record"}', '```json\n{"instruction": "x", "output": \n```'] });
    endpoints[0].maxConcurrency = 1;
    const r = await runSyntheticJob(base({ datasetPath: file, count: 2, maxAttempts: 3 }));
    assert.equal(r.progress.rejected, 1);
    assert.equal(r.progress.accepted, 2);
    assert.equal(chats(server).length, 5, '3 attempts for the rejected record, 1 for each accepted one');
    const rejected = await lines<RejectedLine>(syntheticJobPaths(file).rejected);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].kind, 'invalid');
    assert.deepEqual(
      rejected[0].attempts?.map((a) => a.reason.split(':')[0]),
      ['the reply holds no JSON object', 'not a valid alpaca record', 'the reply is not valid JSON'],
    );
    assert.match(rejected[0].attempts![1].reason, /output/);
    assert.equal(rejected[0].attempts![0].reply, 'Sorry, I cannot do that.');
    const rows = await lines(file);
    assert.equal(rows.length, ALPACA.length + 2);
    assert.ok(!rows.some((x) => x.instruction === 'Only half a record'));
  });

  it('drops an exact duplicate and a near duplicate of a seed record, and a repeat of a record generated in the same job', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    const nearCopy = { ...ALPACA[4], output: ALPACA[4].output.replace('nearly everyone dies', 'nearly everyone dies in the end') };
    const fresh = { instruction: 'Why do leaves change colour in autumn?', input: '', output: 'Chlorophyll breaks down, revealing yellow and orange pigments that were there all along.' };
    server.setSynthetic({
      script: [
        // Same text as a seed after whitespace and case normalisation: exact.
        JSON.stringify({ instruction: '  EXPLAIN why the sky is blue. ', input: '', output: ALPACA[0].output }),
        JSON.stringify(nearCopy),
        JSON.stringify(fresh),
        JSON.stringify(fresh),
      ],
    });
    endpoints[0].maxConcurrency = 1;
    const r = await runSyntheticJob(base({ datasetPath: file, count: 3 }));
    assert.equal(r.progress.duplicatesExact, 2, 'the seed copy and the second "fresh"');
    assert.equal(r.progress.duplicatesNear, 1);
    assert.equal(r.progress.accepted, 3);
    const rows = await lines(file);
    assert.equal(rows.length, ALPACA.length + 3);
    assert.deepEqual(rows[ALPACA.length], fresh);
    assert.equal(rows.filter((x) => x.instruction === fresh.instruction).length, 1);
    const rejected = await lines<RejectedLine>(syntheticJobPaths(file).rejected);
    assert.deepEqual(
      rejected.map((x) => x.kind),
      ['duplicate-exact', 'duplicate-near', 'duplicate-exact'],
    );
    assert.ok(rejected[1].similarity! >= 0.8 && rejected[1].similarity! < 1, String(rejected[1].similarity));
    assert.deepEqual(rejected[1].record, nearCopy);
  });

  it('cancelled, then resumed: reaches exactly N without duplicates; no request seed is sent twice', async () => {
    server.setLatency(30);
    const file = await dataset('science.jsonl', ALPACA);
    const ac = new AbortController();
    const first = await runSyntheticJob(
      base({
        datasetPath: file,
        count: 12,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.accepted >= 4) ac.abort();
        },
      }),
    );
    assert.equal(first.cancelled, true);
    const firstAccepted = first.progress.accepted;
    assert.ok(firstAccepted >= 4 && firstAccepted < 12, String(firstAccepted));
    assert.equal((await lines(file)).length, ALPACA.length + firstAccepted, 'everything accepted is in the dataset');
    const before = chats(server).length;

    const second = await runSyntheticJob(base({ datasetPath: file, count: 12 }));
    assert.equal(second.cancelled, false);
    assert.equal(second.progress.acceptedBefore, firstAccepted);
    assert.equal(second.progress.accepted, 12 - firstAccepted);
    assert.equal(chats(server).length - before, 12 - firstAccepted, 'the resumed run asked only for the missing records');
    const rows = await lines(file);
    assert.equal(rows.length, ALPACA.length + 12);
    assert.equal(new Set(rows.map((x) => JSON.stringify(x))).size, rows.length, 'no duplicates');
    const seeds = chats(server).map((q) => (q.body as { seed: number }).seed);
    assert.equal(new Set(seeds).size, seeds.length, 'request seeds continue across runs');

    // A third run of the same job has nothing left to do.
    const third = await runSyntheticJob(base({ datasetPath: file, count: 12 }));
    assert.equal(third.progress.accepted, 0);
    assert.equal(third.progress.acceptedBefore, 12);
    assert.equal((await lines(file)).length, ALPACA.length + 12);
    // The progress file says what happened, per job.
    const prog = await lines<SyntheticProgressLine>(syntheticJobPaths(file).progress);
    assert.equal(prog.filter((p) => p.kind === 'accepted').length, 12);
    assert.ok(prog.every((p) => p.job === first.jobId));
  });

  it('an accepted line whose record never reached the dataset (a crash between the two writes) is not counted', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    const first = await runSyntheticJob(base({ datasetPath: file, count: 2 }));
    // Simulate the crash: drop the last appended record from the dataset, keep the progress line.
    const rows = await lines(file);
    await fsp.writeFile(file, rows.slice(0, -1).map((x) => JSON.stringify(x)).join('\n') + '\n');
    const again = await runSyntheticJob(base({ datasetPath: file, count: 2 }));
    assert.equal(again.jobId, first.jobId);
    assert.equal(again.progress.acceptedBefore, 1);
    assert.equal(again.progress.accepted, 1);
    assert.equal((await lines(file)).length, ALPACA.length + 2);
  });

  /** Three records added to a .json array file holding `original`: the existing bytes kept, a valid array, no temporary file. */
  async function appendsToJsonArray(name: string, original: Buffer): Promise<void> {
    const file = path.join(dir, name);
    await fsp.writeFile(file, original);
    const r = await runSyntheticJob(base({ datasetPath: file, count: 3 }));
    assert.equal(r.layout, 'json-array');
    assert.equal(r.progress.accepted, 3);
    const after = await fsp.readFile(file);
    const arr = JSON.parse(after.toString('utf8')) as unknown[];
    const orig = JSON.parse(original.toString('utf8')) as unknown[];
    assert.equal(arr.length, orig.length + 3);
    assert.deepEqual(arr.slice(0, orig.length), orig);
    const head = original.toString('utf8').trimEnd().slice(0, -1).trimEnd();
    assert.ok(after.toString('utf8').startsWith(head), 'existing bytes kept');
    const v = await validateFile(file);
    assert.equal(v.format, 'alpaca');
    assert.equal(v.records, orig.length + 3);
    const tmp = (await fsp.readdir(dir)).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(tmp, []);
  }

  it('a .json array (Alpaca printed with two-space indents, as LLaMA-Factory ships it) is rewritten atomically and stays a valid array', async () => {
    await appendsToJsonArray('alpaca_tips.json', Buffer.from(datasetText(alpacaDataset())));
  });

  it('a .json array (LLaMA-Factory’s alpaca_en_demo.json) is rewritten atomically and stays a valid array', async function () {
    needsCorpus(this);
    await appendsToJsonArray('alpaca_en_demo.json', await fsp.readFile(llamaFactoryFile('alpaca_en_demo.json')));
  });

  it('records accepted together go into one appender: a .json array loses none, and no file handle is left open', async () => {
    // Replies that arrive together have their progress lines committed in one group, so the
    // records reach the appender in the same tick: each once opened its own, and two rewrites
    // of a .json array from the same old bytes dropped records.
    const file = path.join(dir, 'science.json');
    await fsp.writeFile(file, JSON.stringify(ALPACA, null, 2) + '\n');
    endpoints[0].maxConcurrency = 8;
    const r = await runSyntheticJob(base({ datasetPath: file, count: 8 }));
    assert.equal(r.progress.accepted, 8);
    const arr = JSON.parse(await fsp.readFile(file, 'utf8')) as unknown[];
    assert.equal(arr.length, ALPACA.length + 8, 'every accepted record is in the array');

    const jsonl = await dataset('science.jsonl', ALPACA);
    const before = await openFileHandles();
    const r2 = await runSyntheticJob(base({ datasetPath: jsonl, count: 8 }));
    assert.equal(r2.progress.accepted, 8);
    assert.equal((await lines(jsonl)).length, ALPACA.length + 8);
    assert.deepEqual(await openFileHandles(), before, 'the job closed every file it opened');
  });

  it('refuses clearly: empty topic, a damaged JSON array, an unknown endpoint', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    await assert.rejects(runSyntheticJob(base({ datasetPath: file, topic: '   ' })), /topic is empty/);
    await assert.rejects(runSyntheticJob(base({ datasetPath: file, endpoint: 'nope' })), /unknown endpoint "nope"/);
    const torn = path.join(dir, 'torn.json');
    await fsp.writeFile(torn, '[\n' + JSON.stringify(ALPACA[0]) + ',\n' + JSON.stringify(ALPACA[1]).slice(0, 20));
    await assert.rejects(runSyntheticJob(base({ datasetPath: torn, format: 'alpaca' })), /nothing was written/);
    const arr = path.join(dir, 'big.json');
    await fsp.writeFile(arr, JSON.stringify(ALPACA, null, 2));
    await assert.rejects(runSyntheticJob(base({ datasetPath: arr, maxArrayRewriteBytes: 100 })), /Convert it to JSON Lines/);
    await assert.rejects(runSyntheticJob(base({ datasetPath: path.join(dir, 'missing.jsonl') })), /not a readable dataset file/);
    const binary = path.join(dir, 'binary.jsonl');
    await fsp.writeFile(binary, Buffer.from([0, 1, 2, 255, 254, 10, 0, 0, 7]));
    await assert.rejects(runSyntheticJob(base({ datasetPath: binary })), /no known dataset format fits binary\.jsonl/);
    assert.equal(chats(server).length, 0);
  });

  it('a cancel before the first request (while the dataset is read) is a cancel, and writes nothing', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(runSyntheticJob(base({ datasetPath: file, signal: ac.signal })), (e: Error) => e.name === 'AbortError');
    assert.equal(chats(server).length, 0);
    assert.equal((await lines(file)).length, ALPACA.length);
  });

  it('stops early after maxUnproductive requests IN A ROW that gave nothing: an accepted record starts the count again', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    const fresh = [
      { instruction: 'Why do cats purr?', input: '', output: 'Purring comes from rapid twitching of the laryngeal muscles, often when content.' },
      { instruction: 'How far away is the Moon?', input: '', output: 'About 384,400 kilometres on average.' },
      { instruction: 'What gas do plants take in?', input: '', output: 'Carbon dioxide, which photosynthesis turns into sugar.' },
      { instruction: 'Who wrote Don Quixote?', input: '', output: 'Miguel de Cervantes, published in two parts in 1605 and 1615.' },
    ];
    // A duplicate of a dataset record before each new one: 4 unproductive requests in all, never 2 in a row.
    server.setSynthetic({ script: fresh.flatMap((f) => [JSON.stringify(ALPACA[1]), JSON.stringify(f)]) });
    endpoints[0].maxConcurrency = 1;
    const r = await runSyntheticJob(base({ datasetPath: file, count: 4, maxUnproductive: 2 }));
    assert.equal(r.stoppedEarly, undefined, r.stoppedEarly);
    assert.equal(r.progress.accepted, 4);
    assert.equal(r.progress.duplicatesExact, 4);
    assert.deepEqual((await lines(file)).slice(ALPACA.length), fresh);
  });

  it('stops early instead of looping when the endpoint keeps repeating itself', async () => {
    const file = await dataset('science.jsonl', ALPACA);
    server.setSynthetic({ script: Array.from({ length: 50 }, () => JSON.stringify(ALPACA[1])) });
    const r = await runSyntheticJob(base({ datasetPath: file, count: 2, maxUnproductive: 5 }));
    assert.equal(r.progress.accepted, 0);
    // Records already in flight when the limit is reached still finish (at most count - 1 of them).
    assert.ok(r.progress.duplicatesExact >= 5 && r.progress.duplicatesExact <= 6, String(r.progress.duplicatesExact));
    assert.match(r.stoppedEarly ?? '', /in a row gave no new record/);
    assert.equal((await lines(file)).length, ALPACA.length);
  });
});
