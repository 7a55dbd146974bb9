/**
 * The pre-flight report webview: draws each state the host sends (render.ts). The page keeps no
 * state of its own; a reload asks the host again with `ready`.
 */
import '../shared/l10nBundle';
import type { HostToPreflight, PreflightToHost } from '../../src/protocol/preflight';
import { connectToHost } from '../shared/host';
import { render } from './render';

const host = connectToHost<HostToPreflight, PreflightToHost>((m) => {
  if (m.type === 'state') render(m.state, (out) => host.channel.post(out));
});
host.channel.post({ type: 'ready' });
