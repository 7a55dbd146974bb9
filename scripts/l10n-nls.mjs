#!/usr/bin/env node
// Moves every user-visible string of package.json's contributions into package.nls.json:
//   node scripts/l10n-nls.mjs [--check]
// A plain string becomes "%key%" and its English text is added to package.nls.json. Re-runnable:
// strings already "%key%" are left alone, so contributions added later by others are converted too.
// With --check nothing is written; the exit code is 1 if some string is still plain.
// package.json is read and written back (2-space JSON, temp + rename) in one synchronous step, so a
// concurrent edit by someone else is not lost between our read and our write.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localizableStrings } from './l10n-paths.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

const pkgFile = path.join(root, 'package.json');
const nlsFile = path.join(root, 'package.nls.json');
const pkgText = fs.readFileSync(pkgFile, 'utf8');
const pkg = JSON.parse(pkgText);
const nls = fs.existsSync(nlsFile) ? JSON.parse(fs.readFileSync(nlsFile, 'utf8')) : {};

const converted = [];
for (const s of localizableStrings(pkg)) {
  if (/^%[^%]+%$/.test(s.value)) continue;
  let key = s.key;
  // Two different texts must not share a key: a taken key with other English gets a suffix.
  for (let i = 2; nls[key] !== undefined && nls[key] !== s.value; i++) key = `${s.key}.${i}`;
  nls[key] = s.value;
  s.set(`%${key}%`);
  converted.push(key);
}

if (check) {
  for (const k of converted) console.error(`plain string in package.json: ${k}`);
  process.exit(converted.length ? 1 : 0);
}
if (converted.length) {
  // Re-read just before writing: if package.json changed since our read, start over rather than lose the change.
  if (fs.readFileSync(pkgFile, 'utf8') !== pkgText) {
    console.error('package.json changed while converting; run again');
    process.exit(1);
  }
  writeAtomic(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  const sorted = Object.fromEntries(Object.keys(nls).sort().map((k) => [k, nls[k]]));
  writeAtomic(nlsFile, JSON.stringify(sorted, null, 2) + '\n');
}
console.log(`${converted.length} string(s) moved to package.nls.json${converted.length ? ':\n  ' + converted.join('\n  ') : ''}`);
