/**
 * The trainer's view inside a card: the record rendered with the file's model and chat template,
 * the tokens that carry loss highlighted, and the cut at the trainer's length limit (what follows it
 * dimmed). Asked of the host per record (`trainerView`), kept in the page state so a card that
 * scrolls out and back shows it again. Dataset text goes in through textContent only.
 */
import * as l10n from '@vscode/l10n';
import type { ConversationView } from '../../src/protocol/datasetView';
import { el } from '../shared/dom';
import type { DatasetViewContext } from './context';
import type { TrainerViewEntry } from './state';

export type { TrainerViewEntry };

/** Opens or closes the trainer's view of a record, asking the host for it when it has none of this version. */
export function toggleTrainerView(ctx: DatasetViewContext, index: number): void {
  const { st } = ctx;
  const entry = st.trainerViews.get(index) ?? { open: false };
  entry.open = !entry.open;
  st.trainerViews.set(index, entry);
  if (entry.open && entry.version !== st.version && entry.id === undefined) {
    entry.id = ctx.channel.newId();
    ctx.channel.post({ type: 'trainerView', id: entry.id, index });
  }
}

function conversation(c: ConversationView, maxLength: number | undefined): HTMLElement {
  const box = el('div', 'tv-conversation');
  if (c.label) box.append(el('div', 'tv-label', c.label));
  if (c.error) {
    box.append(el('div', 'tv-error', l10n.t('The chat template refuses this conversation: {0}', c.error)));
    return box;
  }
  const counts = [l10n.t('{0} tokens', c.tokens), l10n.t('{0} trained', c.trainedTokens)];
  if (c.overBy > 0) counts.push(l10n.t('{0} over the limit of {1}: {2} trained tokens left', c.overBy, maxLength ?? '', c.trainedAfterCut));
  box.append(el('div', c.overBy > 0 ? 'tv-counts over' : 'tv-counts', counts.join(' · ')));
  if (c.trainedTokens > 0 && c.trainedAfterCut === 0) box.append(el('div', 'tv-error', l10n.t('Every trained token is past the cut: this record teaches nothing.')));
  if (c.dropped.length > 0) box.append(el('div', 'tv-warning', l10n.t('The template leaves out: {0}', c.dropped.join(', '))));
  const text = el('pre', 'tv-text');
  let cutShown = false;
  for (const p of c.pieces) {
    if (p.pastCut && !cutShown) {
      const marker = el('span', 'tv-cut', l10n.t('✂ cut at {0} tokens', maxLength ?? ''));
      marker.title = l10n.t('The trainer drops everything after this point.');
      text.append(marker);
      cutShown = true;
    }
    const cls = ['tv-piece'];
    if (p.trained) cls.push('trained');
    if (p.pastCut) cls.push('past-cut');
    const span = el('span', cls.join(' '), p.text);
    if (p.trained) span.title = l10n.t('Trained: these tokens carry loss.');
    text.append(span);
  }
  box.append(text);
  return box;
}

/** The trainer's view section of a card (undefined while closed). */
export function renderTrainerView(entry: TrainerViewEntry | undefined, selectModel: () => void): HTMLElement | undefined {
  if (!entry?.open) return undefined;
  const section = el('section', 'trainer-view');
  if (entry.error !== undefined) {
    section.append(el('div', 'tv-error', entry.error));
    const choose = el('button', 'tv-select-model', l10n.t('Select Model…'));
    choose.addEventListener('click', selectModel);
    section.append(choose);
    return section;
  }
  const v = entry.view;
  if (!v) {
    section.append(el('div', 'tv-loading', l10n.t('Rendering with the model\'s chat template…')));
    return section;
  }
  const head = [l10n.t('{0} · {1}', v.model, v.trainer)];
  head.push(v.maxLength !== undefined ? l10n.t('limit {0} tokens', v.maxLength) : l10n.t('no length limit'));
  if (v.optionsFrom) head.push(l10n.t('options from {0}', v.optionsFrom));
  section.append(el('div', 'tv-head', head.join(' · ')));
  const convs = el('div', v.views.length > 1 ? 'tv-conversations pair' : 'tv-conversations');
  for (const c of v.views) convs.append(conversation(c, v.maxLength));
  section.append(convs);
  return section;
}
