/**
 * `pairwise synth FILE --topic T --count N`: new records in FILE's own format from one
 * OpenAI-compatible endpoint (src/core/generation/syntheticJob.ts), appended to FILE. The key
 * comes from an environment variable only, as for `generate`; every line printed is redacted.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { parseArgs } from 'node:util';
import type { FormatId } from '../core/formats';
import { isFormatId } from '../core/formats';
import { formatCost, Redactor, runSyntheticJob } from '../core/generation';
import { endpointFromOptions, ENDPOINT_OPTIONS, isVerbose, numberOption, ProgressReporter, runGenerationCommand } from './generateCommand';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo } from './io';
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
  if (positionals.length !== 1) throw new UsageError(l10n.t('synth needs exactly one dataset FILE (new records are appended to it)'));
  if (values.out !== undefined) throw new UsageError(l10n.t('synth appends to FILE itself; -o/--out does not apply'));
  if (!values.topic || !values.topic.trim()) throw new UsageError(l10n.t('--topic "…" is required: what the new records should be about'));
  const count = numberOption(values.count, '--count', { integer: true, min: 1 });
  if (count === undefined) throw new UsageError(l10n.t('--count N is required: how many records to add'));
  const seedCount = numberOption(values.seeds, '--seeds', { integer: true, min: 0, max: 20 });
  const temperature = numberOption(values.temperature, '--temperature', { max: 2 });
  const maxTokens = numberOption(values['max-tokens'], '--max-tokens', { integer: true, min: 1 });
  const seed = numberOption(values.seed, '--seed', { integer: true });
  const threshold = numberOption(values.threshold, '--threshold', { max: 1 });
  if (threshold === 0) throw new UsageError(l10n.t('--threshold must be above 0'));
  const maxAttempts = numberOption(values['max-attempts'], '--max-attempts', { integer: true, min: 1, max: 10 });
  if (values.format !== undefined && !isFormatId(values.format)) throw new UsageError(l10n.t('unknown format "{0}" (run "pairwise formats" for the list)', values.format));
  const { endpoint, apiKey, keyEnv } = endpointFromOptions(values);
  if (endpoint.models.length !== 1) throw new UsageError(l10n.t('synth uses one model: give --model once'));
  const file = positionals[0];
  const redactor = new Redactor([apiKey]);
  const say = (s: string): void => io.err(redactor.redact(s));
  if (!apiKey) say(l10n.t('pairwise: {0} is not set: sending requests without an API key', keyEnv) + '\n');

  const reporter = new ProgressReporter(io, path.basename(file), ' records');
  return runGenerationCommand({
    io,
    name: 'synth',
    args,
    endpoint,
    apiKey,
    redactor,
    verbose: isVerbose(values),
    what: l10n.t('synthetic record generation'),
    output: file,
    reporter,
    run: async ({ pool, stop, abort, log }) => {
      const r = await runSyntheticJob({
        pool,
        datasetPath: file,
        format: values.format as FormatId | undefined,
        topic: values.topic!,
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
        signal: abort,
        stopSignal: stop,
        onProgress: (p) => reporter.update(p),
        log,
      });
      reporter.clear();
      for (const w of r.warnings) say(l10n.t('warning: {0}', w) + '\n');
      const p = r.progress;
      const cost = formatCost(p);
      io.out(
        redactor.redact(
          l10n.t('{0} ({1}): {2}/{3} records', file, r.format, p.done, p.requested) +
            (p.acceptedBefore ? ' ' + l10n.t('({0} from an earlier run)', p.acceptedBefore) : '') +
            '; ' +
            l10n.t(
              'this run: {0} added, {1} rejected as invalid, {2} exact and {3} near duplicate(s) dropped, {4} failed; {5} requests, {6} tokens in, {7} out{8}',
              p.accepted, p.rejected, p.duplicatesExact, p.duplicatesNear, p.failures, p.requests, p.tokensIn, p.tokensOut, cost ? ', ' + cost : '',
            ) +
            '\n',
        ),
      );
      if (p.rejected + p.duplicatesExact + p.duplicatesNear > 0) say(l10n.t('pairwise: what was dropped and why: {0}', r.paths.rejected) + '\n');
      if (r.cancelled) {
        say(l10n.t('pairwise: cancelled; run the same command again to resume') + '\n');
        return EXIT_FINDINGS;
      }
      if (r.stoppedEarly) {
        say(l10n.t('pairwise: {0}', r.stoppedEarly) + '\n');
        return EXIT_FINDINGS;
      }
      return p.done >= p.requested ? EXIT_OK : EXIT_FINDINGS;
    },
  });
}
