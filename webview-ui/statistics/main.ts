/**
 * The statistics report webview: draws the report the host computed (render.ts). Every text from
 * the data (file name, rule ids, first words, model names) goes in as textContent; the charts are
 * SVG elements built from the numeric bins (charts.ts, no markup is ever parsed). A bar click asks
 * the host to show the records behind it in the Dataset View. The page keeps no state: each
 * `state` from the host is drawn whole.
 */
import '../shared/l10nBundle';
import type { HostToStatistics, StatisticsToHost } from '../../src/protocol/statistics';
import { connectToHost } from '../shared/host';
import { render } from './render';

const host = connectToHost<HostToStatistics, StatisticsToHost>((m) => {
  if (m.type === 'state') render(m.state, (out) => host.channel.post(out));
});
host.channel.post({ type: 'ready' });
