import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { histogram, loadModelFolder, preflightFile } from '../../../src/core/chatTemplate';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

function tempFile(lines: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-preflight-'));
  const file = path.join(dir, 'data.jsonl');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

describe('chatTemplate: preflightFile', () => {
  const short = { messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi' }] };
  const long = { messages: [{ role: 'user', content: 'the sum of all the things in the list, please' }, { role: 'assistant', content: 'it is 42.' }] };
  const withSystem = { messages: [{ role: 'system', content: 'be brief.' }, { role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi' }] };

  it('finds records over the limit, records whose trained tokens are all cut, and template errors', async () => {
    const file = tempFile([short, long, withSystem]);
    const model = loadModelFolder(path.join(FIXTURES, 'nosystem'));
    const r = await preflightFile(file, model, { trainer: 'openai', maxLength: 30 });
    assert.equal(r.records, 3);
    assert.deepEqual(r.templateErrors.map((i) => [i.line, i.detail]), [[3, 'System role not supported']]);
    assert.deepEqual(r.overLimit.map((i) => i.line), [2]);
    assert.ok((r.overLimit[0].overBy ?? 0) > 0);
    assert.deepEqual(r.allTrainedCut.map((i) => i.line), [2]);
    assert.equal(r.histogram.counts.reduce((a, b) => a + b, 0), 2);
    assert.equal(r.counts.templateErrors, 1);
  });

  it('checks a preference record as prompt+chosen and prompt+rejected', async () => {
    const file = tempFile([{ prompt: [{ role: 'user', content: 'hello' }], chosen: [{ role: 'assistant', content: 'hi' }], rejected: [{ role: 'assistant', content: 'the longest answer of all the answers here' }] }]);
    const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
    const r = await preflightFile(file, model, { trainer: 'trl', maxLength: 30 });
    assert.equal(r.rendered, 1);
    assert.equal(r.histogram.counts.reduce((a, b) => a + b, 0), 2);
    assert.deepEqual(r.overLimit.map((i) => i.detail.split(':')[0]), ['rejected']);
  });

  it('lists a record whose tool call and tool definitions the template leaves out', async () => {
    const file = tempFile([{ tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }], messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'sunny' }, { role: 'assistant', content: 'It is sunny.' }] }, short]);
    const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
    const r = await preflightFile(file, model, { trainer: 'openai' });
    assert.deepEqual(r.missingContent.map((i) => [i.line, i.detail]), [[1, 'not in the render: tool calls of #2 (assistant), tool definitions']]);
  });

  it('stops on an aborted signal', async () => {
    const file = tempFile([short]);
    const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(preflightFile(file, model, { trainer: 'trl', signal: ac.signal }));
  });

  it('histogram buckets reach the limit', () => {
    const h = histogram([5, 10], 100);
    const width = h.edges[1] - h.edges[0];
    assert.ok(h.edges[h.edges.length - 1] + width > 100, 'the limit lies inside the chart');
    assert.ok(width <= Math.ceil(101 / h.edges.length), 'the chart is no wider than it needs to be');
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 2);
  });
});
