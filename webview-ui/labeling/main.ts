/**
 * Labeling panel webview: shows the pair the host sends (prompt as chat bubbles, two responses as
 * sanitized Markdown side by side), and turns key presses and clicks into messages. It keeps no
 * state of its own beyond what is on screen (state.ts): decisions, filters, the diff toggle and
 * even the draft rationale go to the host, which answers with the full state.
 */
import '../shared/l10nBundle';
import type { HostToLabeling, LabelingResume, LabelingToHost } from '../../src/protocol/labeling';
import type { PersistedRubricDraft } from '../../src/protocol/labelingRubric';
import { connectToHost } from '../shared/host';
import { createActions } from './actions';
import { bindEvents } from './events';
import { createLayout } from './layout';
import { render } from './render';
import { createRubric } from './rubric';
import { page } from './state';
import { createRewriteEditor, localDraft, renderRewrite } from './rewrite';

/** What survives a window reload: the panel serializer reopens the session from it. */
interface Persisted {
  resume: LabelingResume;
  /** The rubric scores in progress of the pair on screen. */
  rubricDraft?: PersistedRubricDraft;
}

const ui = createLayout(document.getElementById('app')!);
const host = connectToHost<HostToLabeling, LabelingToHost, Persisted>((m) => {
  if (m.type !== 'state' || !m.state) return;
  host.persist({ resume: m.state.resume, rubricDraft: rubric.draft() });
  render(ui, actions, m.state);
  rubric.render(m.state); // persists the scores of a new pair
  renderRewrite(m.state);
  persist(); // the rewrite draft as typed (the host's copy may be a keystroke behind)
});
const actions = createActions(ui, (m) => host.channel.post(m));
const rubric = createRubric(ui, (m) => host.channel.post(m), persist);

/** Keeps the session descriptor, the rubric scores in progress and the rewrite draft for a window reload. */
function persist(): void {
  const resume = page.view?.resume;
  if (resume) host.persist({ resume: { ...resume, rewrite: localDraft() ?? resume.rewrite }, rubricDraft: rubric.draft() });
}
bindEvents(ui, actions);
createRewriteEditor(ui, (m) => host.channel.post(m), persist);
host.channel.post({ type: 'ready' });
