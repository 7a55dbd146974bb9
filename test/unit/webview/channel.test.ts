/**
 * The host <-> webview channel (src/protocol/channel.ts) over an in-memory pair of ports: guard at
 * the door, serialized handling, request and reply by id, error replies and the ready barrier.
 */
import * as assert from 'node:assert/strict';
import { Channel, isTypedMessage, type Port } from '../../../src/protocol/channel';

type Listener = (m: unknown) => unknown;

/** Two ports wired to each other; a posted message arrives asynchronously, as between host and webview. */
function portPair<A, B>(): [Port<A>, Port<B>] {
  const listeners: [Listener[], Listener[]] = [[], []];
  const port = <T>(mine: number): Port<T> => ({
    postMessage: (m: T) => setImmediate(() => listeners[1 - mine].forEach((l) => l(structuredClone(m)))),
    onDidReceiveMessage: (l) => {
      listeners[mine].push(l);
      return { dispose: () => listeners[mine].splice(listeners[mine].indexOf(l), 1) };
    },
  });
  return [port<A>(0), port<B>(1)];
}

const tick = () => new Promise((r) => setImmediate(r));

type ToHost = { type: 'ready' } | { type: 'add'; id: number; n: number } | { type: 'slow'; ms: number; tag: string };
type ToView = { type: 'sum'; id: number; total: number } | { type: 'failed'; id: number; message: string } | { type: 'note'; text: string };

const isToHost = (m: unknown): m is ToHost => isTypedMessage(m) && ['ready', 'add', 'slow'].includes((m as ToHost).type);

describe('webview channel', () => {
  it('drops what the guard refuses, before the handler', async () => {
    const [hostPort] = portPair<ToView, ToHost>();
    const seen: string[] = [];
    const refused: unknown[] = [];
    const host = new Channel<ToHost, ToView, string>(hostPort, {
      admit: (m): m is ToHost => isToHost(m) || (refused.push(m), false),
      handle: (m) => (seen.push(m.type), m.type),
    });
    assert.equal(await host.receive({ type: 'evil' }), undefined);
    assert.equal(await host.receive(null), undefined);
    assert.equal(await host.receive({ type: 'ready' }), 'ready');
    assert.deepEqual(seen, ['ready']);
    assert.deepEqual(refused, [{ type: 'evil' }, null]);
  });

  it('serialized: a message waits for the one before it (and for enqueued work), in arrival order', async () => {
    const [hostPort] = portPair<ToView, ToHost>();
    const log: string[] = [];
    const host = new Channel<ToHost, ToView>(hostPort, {
      admit: isToHost,
      serialized: true,
      handle: async (m) => {
        if (m.type !== 'slow') return;
        log.push(`start ${m.tag}`);
        await new Promise((r) => setTimeout(r, m.ms));
        log.push(`end ${m.tag}`);
      },
    });
    const a = host.receive({ type: 'slow', ms: 30, tag: 'a' });
    const job = host.enqueue(() => void log.push('job'));
    const b = host.receive({ type: 'slow', ms: 1, tag: 'b' });
    await Promise.all([a, job, b]);
    assert.deepEqual(log, ['start a', 'end a', 'job', 'start b', 'end b']);
  });

  it('not serialized: messages are handled as they come (a later one may finish first)', async () => {
    const [hostPort] = portPair<ToView, ToHost>();
    const log: string[] = [];
    const host = new Channel<ToHost, ToView>(hostPort, {
      admit: isToHost,
      handle: async (m) => {
        if (m.type !== 'slow') return;
        await new Promise((r) => setTimeout(r, m.ms));
        log.push(m.tag);
      },
    });
    await Promise.all([host.receive({ type: 'slow', ms: 30, tag: 'a' }), host.receive({ type: 'slow', ms: 1, tag: 'b' })]);
    assert.deepEqual(log, ['b', 'a']);
  });

  it('a failing serialized message rejects its caller and does not stop the line', async () => {
    const [hostPort] = portPair<ToView, ToHost>();
    const host = new Channel<ToHost, ToView, number>(hostPort, {
      admit: isToHost,
      serialized: true,
      handle: (m) => {
        if (m.type === 'add' && m.n < 0) throw new Error('negative');
        return m.type === 'add' ? m.n : 0;
      },
    });
    await assert.rejects(host.receive({ type: 'add', id: 1, n: -1 }), /negative/);
    assert.equal(await host.receive({ type: 'add', id: 2, n: 5 }), 5);
  });

  it('request resolves with the reply of its id and type; other messages go to the handler', async () => {
    const [hostPort, viewPort] = portPair<ToView, ToHost>();
    let total = 0;
    const host = new Channel<ToHost, ToView>(hostPort, {
      admit: isToHost,
      handle: (m) => {
        if (m.type !== 'add') return;
        total += m.n;
        host.post({ type: 'note', text: `adding ${m.n}` });
        host.post({ type: 'sum', id: m.id, total });
      },
    });
    const notes: string[] = [];
    const view = new Channel<ToView, ToHost>(viewPort, { admit: isTypedMessage, handle: (m) => void (m.type === 'note' && notes.push(m.text)) });
    const first = view.request({ type: 'add', id: view.newId(), n: 2 }, 'sum');
    const second = view.request({ type: 'add', id: view.newId(), n: 3 }, 'sum');
    assert.equal(view.waiting, 2);
    const [r1, r2] = await Promise.all([first, second]);
    assert.deepEqual([r1, r2], [
      { type: 'sum', id: 1, total: 2 },
      { type: 'sum', id: 2, total: 5 },
    ]);
    assert.equal(view.waiting, 0);
    await tick();
    assert.deepEqual(notes, ['adding 2', 'adding 3']);
  });

  it('errorReply answers a request whose handling failed, so the asker is not left waiting', async () => {
    const [hostPort, viewPort] = portPair<ToView, ToHost>();
    new Channel<ToHost, ToView>(hostPort, {
      admit: isToHost,
      handle: () => {
        throw new Error('disk full');
      },
      errorReply: (m, e) => (m.type === 'add' ? { type: 'failed', id: m.id, message: (e as Error).message } : undefined),
    });
    const view = new Channel<ToView, ToHost>(viewPort, { admit: isTypedMessage, handle: () => undefined });
    const reply = await view.request({ type: 'add', id: view.newId(), n: 1 }, 'failed');
    assert.deepEqual(reply, { type: 'failed', id: 1, message: 'disk full' });
  });

  it('the ready barrier wakes its waiters once, and stays open', async () => {
    const [hostPort] = portPair<ToView, ToHost>();
    const host = new Channel<ToHost, ToView>(hostPort, { admit: isToHost, handle: (m) => void (m.type === 'ready' && host.markReady()) });
    assert.equal(host.isReady, false);
    let woken = 0;
    const waiting = host.whenReady().then(() => woken++);
    await tick();
    assert.equal(woken, 0);
    await host.receive({ type: 'ready' });
    await waiting;
    assert.equal(host.isReady, true);
    await host.whenReady();
    assert.equal(woken, 1);
  });

  it('after dispose nothing is sent and the port is no longer heard', async () => {
    const [hostPort, viewPort] = portPair<ToView, ToHost>();
    const got: unknown[] = [];
    const host = new Channel<ToHost, ToView>(hostPort, { admit: isToHost, handle: (m) => void got.push(m) });
    const heard: unknown[] = [];
    const view = new Channel<ToView, ToHost>(viewPort, { admit: isTypedMessage, handle: (m) => void heard.push(m) });
    host.dispose();
    host.post({ type: 'note', text: 'late' });
    view.post({ type: 'ready' });
    await tick();
    await tick();
    assert.deepEqual(got, []);
    assert.deepEqual(heard, []);
  });
});
