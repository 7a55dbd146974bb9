// Writes gpt-tokenizer's BPE ranks as packed binary tables, tokenizer-<name>.bin, for
// src/core/tokens/bpeTable.ts (which says why, and reads this layout; all numbers little-endian):
//   0   'PWBPE001'
//   8   u32 N, the number of ranks (a rank the library leaves out has no bytes)
//   12  u32 the length of the token bytes
//   16  u32 offsets[N + 1]: rank r's bytes are bytes[offsets[r], offsets[r + 1])
//   ..  the token bytes, in rank order
// The library stores a token as its text when its bytes are UTF-8, else as the byte values.
const fs = require('node:fs');
const path = require('node:path');

const TOKENIZERS = ['o200k_base', 'cl100k_base'];

function packRanks(ranks) {
  const encoder = new TextEncoder();
  const tokens = [];
  let total = 0;
  for (let r = 0; r < ranks.length; r++) {
    const t = ranks[r];
    const bytes = t === undefined ? new Uint8Array(0) : typeof t === 'string' ? encoder.encode(t) : Uint8Array.from(t);
    tokens.push(bytes);
    total += bytes.length;
  }
  const head = 16 + 4 * (ranks.length + 1);
  const out = Buffer.alloc(head + total);
  out.write('PWBPE001', 0, 'latin1');
  out.writeUInt32LE(ranks.length, 8);
  out.writeUInt32LE(total, 12);
  let at = 0;
  for (let r = 0; r < tokens.length; r++) {
    out.writeUInt32LE(at, 16 + 4 * r);
    out.set(tokens[r], head + at);
    at += tokens[r].length;
  }
  out.writeUInt32LE(at, 16 + 4 * tokens.length);
  return out;
}

/** Writes every tokenizer's table into each folder (created if missing). */
function writeBpeTables(dirs) {
  for (const name of TOKENIZERS) {
    const packed = packRanks(require(`gpt-tokenizer/cjs/bpeRanks/${name}`).default);
    for (const dir of dirs) {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `tokenizer-${name}.bin`);
      if (fs.existsSync(file) && fs.readFileSync(file).equals(packed)) continue;
      fs.writeFileSync(file, packed);
    }
  }
}

module.exports = { writeBpeTables, TOKENIZERS };
