#!/usr/bin/env node
// Merges translations into a bundle without rewriting what others added meanwhile:
//   node scripts/l10n-merge.mjs <translations.json> [bundle=l10n/bundle.l10n.zh-cn.json] [--prune]
// The input maps the English message (the key in l10n/bundle.l10n.json) to its translation.
// --prune also drops translations whose message is no longer in l10n/bundle.l10n.json (run
// `npm run l10n:export` first). Read, merge, prune and write happen in one synchronous step; the
// write is temp + rename.
import fs from 'node:fs';
import path from 'node:path';

const prune = process.argv.includes('--prune');
const [input, bundleArg] = process.argv.slice(2).filter((a) => a !== '--prune');
if (!input) {
  console.error('usage: node scripts/l10n-merge.mjs <translations.json> [bundle]');
  process.exit(2);
}
const bundle = path.resolve(bundleArg ?? 'l10n/bundle.l10n.zh-cn.json');
const add = JSON.parse(fs.readFileSync(input, 'utf8'));
const current = fs.existsSync(bundle) ? JSON.parse(fs.readFileSync(bundle, 'utf8')) : {};
Object.assign(current, add);
const dropped = [];
if (prune) {
  const english = JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'bundle.l10n.json'), 'utf8'));
  for (const k of Object.keys(current)) {
    if (k in english) continue;
    dropped.push(k);
    delete current[k];
  }
}
const sorted = Object.fromEntries(Object.keys(current).sort().map((k) => [k, current[k]]));
const tmp = `${bundle}.${process.pid}.tmp`;
fs.writeFileSync(tmp, JSON.stringify(sorted, null, 2) + '\n');
fs.renameSync(tmp, bundle);
console.log(`${Object.keys(add).length} merged; ${dropped.length} stale dropped; ${Object.keys(sorted).length} in ${path.relative(process.cwd(), bundle)}`);
