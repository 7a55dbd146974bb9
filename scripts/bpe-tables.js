// Writes gpt-tokenizer's BPE ranks as packed binary tables with their hash index,
// tokenizer-<name>.bin, for src/core/tokens/bpeTable.ts, which says why and defines the layout
// (packBpeTable, loaded here from the source).
const fs = require('node:fs');
const path = require('node:path');
const { loadSourceModule } = require('./source-module');

const TOKENIZERS = ['o200k_base', 'cl100k_base'];

/** Writes every tokenizer's table into each folder (created if missing). */
function writeBpeTables(dirs) {
  const { packBpeTable } = loadSourceModule('core/tokens', "export { packBpeTable } from './bpeTable';\n");
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
