/**
 * The JSON Schema validator of each format. ajv turns a schema into a JavaScript function the first
 * time a format is checked: 8-14 ms for openai-chat, paid by every process and worker thread that
 * validates (a validation worker pays it while both cores are busy, a `pairwise validate` of a small
 * file in 0.15 s). The build writes the same functions ahead of time with ajv's own standalone code
 * generation (scripts/schema-validators.js), one file per format in `schema-validators/` beside
 * the bundle. A file whose schema is not the one in the source (a build older than an edit of it)
 * is not used: that format's schema is compiled here as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { FormatModule } from './formatModule';

/**
 * ajv's options, the build's and this module's. verbose: parentSchema on errors, used to tell a
 * misspelt key from an expected one. validateSchema: false skips compiling JSON Schema's
 * meta-schema (a third of the compile time); the schemas are fixed and checked against it by the
 * unit tests (detection.test.ts).
 */
export const SCHEMA_AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateSchema: false } as const;

/** The folder of the generated validators, beside the bundle (or this module's out/ file). */
export const PRECOMPILED_FOLDER = 'schema-validators';

/** What a generated file exports: the schema it was generated from, as JSON.stringify writes it, and the function. */
export interface PrecompiledValidator {
  schemaText: string;
  validate: ValidateFunction;
}

export function precompiledValidatorFile(formatId: string, dir = path.join(__dirname, PRECOMPILED_FOLDER)): string {
  return path.join(dir, `${formatId}.js`);
}

/** The generated validator of a format, or undefined when there is none or it was generated from another schema. */
export function loadPrecompiledValidator(f: FormatModule, dir?: string): ValidateFunction | undefined {
  const file = precompiledValidatorFile(f.id, dir);
  if (!fs.existsSync(file)) return undefined;
  try {
    // A file of this package's own build, beside the code that loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(file) as Partial<PrecompiledValidator>;
    return typeof m.validate === 'function' && m.schemaText === JSON.stringify(f.schema) ? m.validate : undefined;
  } catch {
    return undefined;
  }
}

let ajv: Ajv | undefined;

/**
 * The format's validator compiled now, as the build compiles it. ajv is required here, not at the
 * top: with the generated validators a run never compiles, and the bundles then skip setting up
 * ajv's compiler at every start (a validation worker's, a CLI run's).
 */
export function compileValidator(f: FormatModule): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajv ??= new (require('ajv') as typeof import('ajv')).default(SCHEMA_AJV_OPTIONS);
  return ajv.compile(f.schema);
}
