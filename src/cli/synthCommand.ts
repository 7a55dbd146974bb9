/**
 * `pairwise synth FILE --topic T --count N`: new records in FILE's own format from one
 * OpenAI-compatible endpoint (src/core/generation/syntheticJob.ts), appended to FILE. The key
 * comes from an environment variable only, as for `generate`; every line printed is redacted.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { FormatId } from '../core/formats/formatModule';
import { isFormatId } from '../core/formats/registry';
import { EndpointPool } from '../core/generation/endpointPool';
import { formatCost } from '../core/generation/progressText';
import { AbortedError } from '../core/generation/rateScheduler';
import { Redactor } from '../core/generation/redact';
import { runSyntheticJob } from '../core/generation/syntheticJob';
import { abortOnSigint, endpointFromOptions, ENDPOINT_OPTIONS, numberOption, ProgressReporter } from './generateCommand';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { SYNTH_HELP } from './usage';

export async function synthCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...ENDPOINT_OPTIONS,
      topic: { type: 'string' },
      count: { type: 'string', short: 'n' },
      seeds: { type: 'string' },
      format: { type: 'string' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      threshold: { type: 'string' },
      'max-attempts': { type: 'string' },
      restart: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(SYNTH_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('synth needs exactly one dataset FILE (new records are appended to it)');
  if (values.out !== undefined) throw new UsageError('synth appends to FILE itself; -o/--out does not apply');
  if (!values.topic || !values.topic.trim()) throw new UsageError('--topic "…" is required: what the new records should be about');
  const count = numberOption(values.count, '--count', { integer: true, min: 1 });
  if (count === undefined) throw new UsageError('--count N is required: how many records to add');
  const seedCount = numberOption(values.seeds, '--seeds', { integer: true, min: 0, max: 20 });
  const temperature = numberOption(values.temperature, '--temperature', { max: 2 });
  const maxTokens = numberOption(values['max-tokens'], '--max-tokens', { integer: true, min: 1 });
  const seed = numberOption(values.seed, '--seed', { integer: true });
  const threshold = numberOption(values.threshold, '--threshold', { max: 1 });
  if (threshold === 0) throw new UsageError('--threshold must be above 0');
  const maxAttempts = numberOption(values['max-attempts'], '--max-attempts', { integer: true, min: 1, max: 10 });
  if (values.format !== undefined && !isFormatId(values.format)) throw new UsageError(`unknown format "${values.format}" (run "pairwise formats" for the list)`);
  const { endpoint, apiKey, keyEnv } = endpointFromOptions(values);
  if (endpoint.models.length !== 1) throw new UsageError('synth uses one model: give --model once');
  const file = positionals[0];
  const redactor = new Redactor([apiKey]);
  const say = (s: string): void => io.err(redactor.redact(s));
  if (!apiKey) say(`pairwise: ${keyEnv} is not set: sending requests without an API key\n`);

  let pool: EndpointPool;
  try {
    pool = new EndpointPool({ endpoints: [endpoint], apiKeys: { [endpoint.name]: apiKey } });
  } catch (e) {
    throw new UsageError(redactor.describe(e));
  }
  const reporter = new ProgressReporter(io, path.basename(file), ' records');
  const sigint = abortOnSigint(io, 'synthetic record generation');
  try {
    const r = await runSyntheticJob({
      pool,
      datasetPath: file,
      format: values.format as FormatId | undefined,
      topic: values.topic,
      count,
      seedCount,
      endpoint: endpoint.name,
      model: endpoint.models[0],
      temperature,
      maxTokens,
      seed,
      nearThreshold: threshold,
      maxAttempts,
      restart: values.restart,
      signal: sigint.signal,
      onProgress: (p) => reporter.update(p),
      log: (l) => {
        if (process.env.PAIRWISE_VERBOSE) say(l + '\n');
      },
    });
    reporter.clear();
    for (const w of r.warnings) say(`warning: ${w}\n`);
    const p = r.progress;
    const cost = formatCost(p);
    io.out(
      redactor.redact(
        `${file} (${r.format}): ${p.done}/${p.requested} records` +
          (p.acceptedBefore ? ` (${p.acceptedBefore} from an earlier run)` : '') +
          `; this run: ${p.accepted} added, ${p.rejected} rejected as invalid, ${p.duplicatesExact} exact and ${p.duplicatesNear} near duplicate(s) dropped, ${p.failures} failed; ` +
          `${p.requests} requests, ${p.tokensIn} tokens in, ${p.tokensOut} out${cost ? `, ${cost}` : ''}\n`,
      ),
    );
    if (p.rejected + p.duplicatesExact + p.duplicatesNear > 0) say(`pairwise: what was dropped and why: ${r.paths.rejected}\n`);
    if (r.cancelled) {
      say('pairwise: cancelled; run the same command again to resume\n');
      return EXIT_FINDINGS;
    }
    if (r.stoppedEarly) {
      say(`pairwise: ${r.stoppedEarly}\n`);
      return EXIT_FINDINGS;
    }
    return p.done >= p.requested ? EXIT_OK : EXIT_FINDINGS;
  } catch (e) {
    reporter.clear();
    if (e instanceof AbortedError) return EXIT_FINDINGS;
    say(`pairwise synth: ${redactor.describe(e)}\n`);
    return EXIT_USAGE;
  } finally {
    sigint.dispose();
    pool.close();
  }
}
