#!/usr/bin/env node
// Copies the screenshots the end-to-end tests took (test-results/) to docs/images/, where the
// README shows them. Run after `npm test` (or `npm run test:e2e`): `npm run screenshots`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// README image ← the e2e screenshot it comes from.
const pick = {
  'diagnostics.png': 'e2e-dataset-quick-fix-menu.png',
  'dataset-view.png': 'e2e-dataset-view.png',
  'labeling-panel.png': 'e2e-labeling-dark.png',
  'statistics-report.png': 'e2e-statistics.png',
  'judge-verdict.png': 'labeling-panel.png',
  'generation-progress.png': 'generation-progress.png',
  'walkthrough.png': 'walkthrough.png',
  'dataset-view-zh-cn.png': 'zh-cn-dataset-view.png',
  'trainer-view-card.png': 'trainer-view-card.png',
  'preflight-report.png': 'preflight-report.png',
  'rank-mode.png': 'e2e-rank-mode.png',
  'rubric.png': 'e2e-rubric.png',
  'multi-turn.png': 'e2e-multi-turn.png',
  'compare-models.png': 'e2e-compare-models.png',
  'rubric-agreement.png': 'e2e-rubric-agreement.png',
  'rewrite.png': 'e2e-rewrite.png',
};
const out = path.join(root, 'docs', 'images');
fs.mkdirSync(out, { recursive: true });
let missing = 0;
for (const [to, from] of Object.entries(pick)) {
  const src = path.join(root, 'test-results', from);
  if (!fs.existsSync(src)) {
    console.error(`missing test-results/${from}: run the e2e tests first`);
    missing++;
    continue;
  }
  fs.copyFileSync(src, path.join(out, to));
  console.log(`docs/images/${to} <- test-results/${from}`);
}
process.exit(missing ? 1 : 0);
