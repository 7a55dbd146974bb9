#!/usr/bin/env node
// `npm run package`: writes dist-vsix/pairwise.vsix with vsce.
//
// Pairwise names no repository or homepage in package.json: it has none that anyone owns, and a
// made-up URL would send users to a stranger's page. Without a repository vsce cannot turn the
// README's relative image links into absolute URLs (it stops with "Couldn't detect the
// repository"), and --baseContentUrl / --baseImagesUrl would need such a URL again. A URL would not
// even help VS Code itself: it shows an installed extension's README in a webview whose content
// security policy loads images from https: and data: only. So the packaged README
// (dist-vsix/README.md, given to vsce with --readme-path) carries each screenshot as a data: URI,
// and vsce is told to leave links alone (--no-rewrite-relative-links) and that the repository is
// missing on purpose (--allow-missing-repository). A relative link that is not an image would be
// dead in VS Code, so it stops the packaging with its name.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist-vsix');
const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** README.md with every relative image inlined as a data: URI; throws on a relative link that is not an image. */
export function packagedReadme(text, baseDir) {
  const isRelative = (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#');
  return text.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, alt, link) => {
    if (!isRelative(link)) return all;
    const mime = MIME[path.extname(link).toLowerCase()];
    if (!bang || !mime) throw new Error(`README.md links to ${link}: a relative link shows as a dead link in VS Code; use plain text or an image (${Object.keys(MIME).join(', ')})`);
    const file = path.resolve(baseDir, decodeURI(link));
    if (!fs.existsSync(file)) throw new Error(`README.md shows ${link}, which does not exist`);
    return `![${alt}](data:${mime};base64,${fs.readFileSync(file).toString('base64')})`;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(outDir, { recursive: true });
  const readme = path.join(outDir, 'README.md');
  try {
    fs.writeFileSync(readme, packagedReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), root));
  } catch (e) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', path.relative(root, readme), '-o', path.join('dist-vsix', 'pairwise.vsix')];
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
