// Writes each format's JSON Schema validator ahead of time, for src/core/formats/schemaValidators.ts
// (which says why): ajv's standalone code generation of the function ajv would compile at run time,
// with the same options, bundled with the few ajv run-time helpers it calls, as
// schema-validators/<format id>.js in each folder. Each file also carries the schema it was made
// from, so that a stale file is not used.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;
const { loadSourceModule } = require('./source-module');

const ROOT = path.resolve(__dirname, '..');

/** The format modules and ajv's options, from the source. */
function loadFormats() {
  return loadSourceModule('core/formats', "export { allFormats } from './registry';\nexport { SCHEMA_AJV_OPTIONS, PRECOMPILED_FOLDER } from './schemaValidators';\n");
}

/** One format's validator as a self-contained CommonJS module exporting { schemaText, validate }. */
function validatorModule(ajv, format, minify) {
  const code = standaloneCode(ajv, ajv.compile(format.schema));
  const wrapped = `${code}\nconst validate = module.exports;\nmodule.exports = { schemaText: ${JSON.stringify(JSON.stringify(format.schema))}, validate };\n`;
  const built = esbuild.buildSync({
    stdin: { contents: wrapped, resolveDir: ROOT, sourcefile: `${format.id}.js`, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify,
    write: false,
    logLevel: 'silent',
  });
  return built.outputFiles[0].text;
}

/** Writes every format's validator into each folder's schema-validators/ (replaced whole). */
function writeSchemaValidators(dirs, { minify = false } = {}) {
  const { allFormats, SCHEMA_AJV_OPTIONS, PRECOMPILED_FOLDER } = loadFormats();
  const ajv = new Ajv({ ...SCHEMA_AJV_OPTIONS, code: { source: true } });
  const files = allFormats().map((f) => [`${f.id}.js`, validatorModule(ajv, f, minify)]);
  for (const dir of dirs) {
    const out = path.join(ROOT, dir, PRECOMPILED_FOLDER);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    for (const [name, text] of files) fs.writeFileSync(path.join(out, name), text);
  }
}

module.exports = { writeSchemaValidators };
