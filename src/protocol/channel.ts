/**
 * One typed message channel between the extension host and a webview, used on both sides (the
 * panels in src/extension and the scripts in webview-ui), after vscode-hexeditor's
 * `MessageHandler` and vscode-pull-request-github's `WebviewBase`.
 *
 * - Every received message passes `admit` first (on the host: the protocol guard of
 *   src/protocol, which drops and logs what a webview must not send); one refused never reaches the
 *   handler.
 * - `serialized`: messages are handled one at a time, in arrival order (a fast double key press
 *   cannot interleave two decisions); `enqueue` puts other work in the same line.
 * - `request` sends a message with an `id` and resolves with the reply of the given type that
 *   carries the same `id`; `errorReply` turns a handler's failure into a reply, so the asking side
 *   is answered rather than left waiting.
 * - A ready barrier: `markReady` (on the other side's `ready`), `isReady`, `whenReady`.
 *
 * No vscode and no DOM here: the port is anything that can post and listen (a vscode.Webview, the
 * webview's acquireVsCodeApi() with window messages, or two channels wired together in a test).
 */

/** What a channel needs of the transport: vscode.Webview fits as is. */
export interface Port<Out> {
  postMessage(message: Out): unknown;
  onDidReceiveMessage(listener: (message: unknown) => unknown): { dispose(): unknown };
}

export interface ChannelOptions<In extends { type: string }, Out extends { type: string }, R> {
  /** Whether a received value is a message to act on (a type guard that may log its refusals). */
  admit(message: unknown): message is In;
  /** Acts on one admitted message; `fromPort` is false for a message given to `receive` directly (tests, scripts). */
  handle(message: In, fromPort: boolean): R | Promise<R>;
  /** Handle one message at a time, in order. */
  serialized?: boolean;
  /** The reply to send when handling `message` failed (undefined: no reply, `receive` rejects). */
  errorReply?(message: In, error: unknown): Out | undefined;
}

type WithId = { id: number };

interface Pending {
  type: string;
  resolve(message: unknown): void;
}

export class Channel<In extends { type: string }, Out extends { type: string }, R = void> {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly subscription: { dispose(): unknown };
  private disposed = false;

  constructor(
    private readonly port: Port<Out>,
    private readonly options: ChannelOptions<In, Out, R>,
  ) {
    // Nobody awaits a message from the port: a failure surfaces as an unhandled rejection, where the runtime reports those.
    this.subscription = port.onDidReceiveMessage((m) => void this.receive(m, true));
  }

  /** Sends a message to the other side (nothing once disposed). */
  post(message: Out): void {
    if (!this.disposed) void this.port.postMessage(message);
  }

  /** A fresh request id (increasing, never 0). */
  newId(): number {
    return ++this.lastId;
  }

  /**
   * Sends `message` and resolves with the reply of type `replyType` that carries its `id`. A reply
   * so matched goes to the request, not to the handler.
   */
  request<K extends In['type']>(message: Out & WithId, replyType: K): Promise<Extract<In, { type: K }>> {
    return new Promise((resolve) => {
      this.pending.set(message.id, { type: replyType, resolve: resolve as (m: unknown) => void });
      this.post(message);
    });
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * A message from the other side: admitted, then handled (in line when serialized). Resolves
   * with the handler's result, or undefined when the message was refused or answered a request.
   */
  receive(message: unknown, fromPort = false): Promise<R | undefined> {
    if (!this.options.admit(message)) return Promise.resolve(undefined);
    const id = (message as Partial<WithId>).id;
    const waiting = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (waiting && waiting.type === message.type) {
      this.pending.delete(id!);
      waiting.resolve(message);
      return Promise.resolve(undefined);
    }
    const run = () => this.handle(message, fromPort);
    return this.options.serialized ? this.enqueue(run) : run();
  }

  /** Runs `task` after every message and task queued before it (the same line as serialized messages). */
  enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once everything queued so far has run (failures included). */
  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The other side is listening (its `ready` arrived): wakes whoever waits in `whenReady`. */
  markReady(): void {
    this.ready = true;
    this.readyWaiters.splice(0).forEach((r) => r());
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.pending.clear();
  }

  private async handle(message: In, fromPort: boolean): Promise<R | undefined> {
    try {
      return await this.options.handle(message, fromPort);
    } catch (e) {
      const reply = this.options.errorReply?.(message, e);
      if (reply === undefined) throw e;
      this.post(reply);
      return undefined;
    }
  }
}

/** The check a webview applies to what its host sends: any object with a string `type` (the host is trusted, the protocol types say the rest). */
export function isTypedMessage<M extends { type: string }>(message: unknown): message is M {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}
