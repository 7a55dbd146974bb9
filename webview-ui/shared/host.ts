/**
 * The webview's end of the channel to the extension host (src/protocol/channel.ts): the port is
 * acquireVsCodeApi() for sending and the window's `message` events for receiving. Also the
 * webview's persisted state (getState/setState survive hiding the panel and reloading the window).
 */
import { Channel, isTypedMessage } from '../../src/protocol/channel';

interface VsCodeApi<P> {
  postMessage(message: unknown): void;
  getState(): P | undefined;
  setState(state: P): void;
}
declare function acquireVsCodeApi<P>(): VsCodeApi<P>;

export interface HostConnection<In extends { type: string }, Out extends { type: string }, P> {
  channel: Channel<In, Out>;
  /** What the webview persisted last (undefined at first). */
  persisted(): P | undefined;
  persist(state: P): void;
}

/** Connects to the host; `handle` gets each message the host sends. Call once per page. */
export function connectToHost<In extends { type: string }, Out extends { type: string }, P = never>(handle: (message: In) => void): HostConnection<In, Out, P> {
  const api = acquireVsCodeApi<P>();
  const channel = new Channel<In, Out>(
    {
      postMessage: (m) => api.postMessage(m),
      onDidReceiveMessage: (listener) => {
        const onMessage = (e: MessageEvent) => listener(e.data);
        window.addEventListener('message', onMessage);
        return { dispose: () => window.removeEventListener('message', onMessage) };
      },
    },
    { admit: isTypedMessage, handle: (m) => handle(m) },
  );
  return { channel, persisted: () => api.getState(), persist: (s) => api.setState(s) };
}
