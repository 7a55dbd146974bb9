/**
 * Labeling panel webview: shows the pair the host sends (prompt as chat bubbles, two responses as
 * sanitized Markdown side by side), and turns key presses and clicks into messages. It keeps no
 * state of its own beyond what is on screen (state.ts): decisions, filters, the diff toggle and
 * even the draft rationale go to the host, which answers with the full state.
 */
import '../shared/l10nBundle';
import type { HostToLabeling, LabelingResume, LabelingToHost } from '../../src/protocol/labeling';
import { connectToHost } from '../shared/host';
import { createActions } from './actions';
import { bindEvents } from './events';
import { createLayout } from './layout';
import { render } from './render';

/** What survives a window reload: the panel serializer reopens the session from it. */
interface Persisted {
  resume: LabelingResume;
}

const ui = createLayout(document.getElementById('app')!);
const host = connectToHost<HostToLabeling, LabelingToHost, Persisted>((m) => {
  if (m.type !== 'state' || !m.state) return;
  host.persist({ resume: m.state.resume });
  render(ui, actions, m.state);
});
const actions = createActions(ui, (m) => host.channel.post(m));
bindEvents(ui, actions);
host.channel.post({ type: 'ready' });
