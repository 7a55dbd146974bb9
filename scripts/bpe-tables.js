// Writes gpt-tokenizer's BPE ranks as packed binary tables with their hash index,
// tokenizer-<name>.bin, for src/core/tokens/bpeTable.ts, which says why and defines the layout
// (packBpeTable, loaded here from the source, bundled in memory).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const TOKENIZERS = ['o200k_base', 'cl100k_base'];

/** packBpeTable of src/core/tokens/bpeTable.ts. */
function loadPacker() {
  const resolveDir = path.join(ROOT, 'src', 'core', 'tokens');
  const built = esbuild.buildSync({
    stdin: { contents: "export { packBpeTable } from './bpeTable';\n", resolveDir, sourcefile: 'bpePack.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(resolveDir, 'bpePack.js');
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(resolveDir);
  m._compile(built.outputFiles[0].text, file);
  return m.exports.packBpeTable;
}

/** Writes every tokenizer's table into each folder (created if missing). */
function writeBpeTables(dirs) {
  const packBpeTable = loadPacker();
  for (const name of TOKENIZERS) {
    const packed = packBpeTable(require(`gpt-tokenizer/cjs/bpeRanks/${name}`).default);
    for (const dir of dirs) {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `tokenizer-${name}.bin`);
      if (fs.existsSync(file) && fs.readFileSync(file).equals(packed)) continue;
      fs.writeFileSync(file, packed);
    }
  }
}

module.exports = { writeBpeTables, TOKENIZERS };
