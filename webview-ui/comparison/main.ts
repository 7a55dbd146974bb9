/**
 * The model comparison report webview: draws each state the host sends (render.ts). The page keeps
 * only which count is selected; a reload asks the host again with `ready`.
 */
import '../shared/l10nBundle';
import type { ComparisonToHost, HostToComparison } from '../../src/protocol/comparison';
import { connectToHost } from '../shared/host';
import { render } from './render';

const host = connectToHost<HostToComparison, ComparisonToHost>((m) => {
  if (m.type === 'state') render(m.state, (out) => host.channel.post(out));
});
host.channel.post({ type: 'ready' });
