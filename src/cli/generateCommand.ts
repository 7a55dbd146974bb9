/**
 * `pairwise generate`: candidate responses for every prompt of a dataset from one OpenAI-compatible
 * endpoint. The API key comes from an environment variable only (never the command line, where
 * `ps` and shell history would show it); every line printed passes the pool's redactor.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { FormatId } from '../core/formats';
import { isFormatId } from '../core/formats';
import { TURNS_OPTIONS, type TurnsOption } from '../core/labeling';
import { refuseCandidatesOutputOverInput, runCandidatesJob, type CandidateTarget, type JobProgress, candidatesOutputFor, readDatasetPrompts, InsecureKeyTransportError, sendsKeyInClear, type EndpointConfig, EndpointPool, formatCost, progressLine, batchPollingMeter, runBatchJob, type BatchProgress, Redactor } from '../core/generation';
import { AbortedError, shownPath } from '../core/base';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { GENERATE_HELP } from './usage';
import { drainOnSigint } from './interrupt';
import { withOutputLocks } from '../core/jsonl';
import * as l10n from '@vscode/l10n';

/** Options shared by `generate` and `judge`. */
export const ENDPOINT_OPTIONS = {
  'base-url': { type: 'string' },
  model: { type: 'string', multiple: true },
  'api-key-env': { type: 'string' },
  'api-key': { type: 'string' },
  concurrency: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'allow-http-key': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function numberOption(value: string | undefined, option: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const min = opts.min ?? 0;
  if (value.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || n < min || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(l10n.t('{0} must be {1} ≥ {2}{3}, not "{4}"', option, opts.integer ? l10n.t('an integer') : l10n.t('a number'), min, opts.max !== undefined ? l10n.t(' and ≤ {0}', opts.max) : '', value));
  }
  return n;
}

export interface CliEndpoint {
  endpoint: EndpointConfig;
  apiKey: string | undefined;
  keyEnv: string;
}

/** The endpoint described by the options, and the key from the named environment variable. */
export function endpointFromOptions(values: { [K in keyof typeof ENDPOINT_OPTIONS]?: unknown }): CliEndpoint {
  if (values['api-key'] !== undefined) {
    throw new UsageError(l10n.t('an API key is never taken on the command line (other users and shell history can read it); put it in an environment variable and name it with --api-key-env NAME'));
  }
  const baseURL = values['base-url'] as string | undefined;
  if (!baseURL) throw new UsageError(l10n.t('--base-url URL is required (e.g. https://api.openai.com/v1 or http://localhost:11434/v1)'));
  let host: string;
  try {
    host = new URL(baseURL).host;
  } catch {
    throw new UsageError(l10n.t('--base-url "{0}" is not a URL', baseURL));
  }
  const models = (values.model as string[] | undefined) ?? [];
  if (models.length === 0) throw new UsageError(l10n.t('--model M is required (repeat it for several models)'));
  const keyEnv = (values['api-key-env'] as string | undefined) ?? 'OPENAI_API_KEY';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) throw new UsageError(l10n.t('--api-key-env needs the NAME of an environment variable, not "{0}"', keyEnv));
  const apiKey = process.env[keyEnv] || undefined;
  const endpoint: EndpointConfig = {
    name: host,
    baseURL,
    models,
    maxConcurrency: numberOption(values.concurrency as string | undefined, '--concurrency', { integer: true, min: 1 }) ?? 4,
    requestsPerMinute: numberOption(values.rpm as string | undefined, '--rpm', { min: 1 }),
    tokensPerMinute: numberOption(values.tpm as string | undefined, '--tpm', { min: 1 }),
    timeoutSeconds: numberOption(values.timeout as string | undefined, '--timeout', { min: 1 }) ?? 120,
    ...(values['allow-http-key'] === true ? { allowHttpKey: true } : {}),
  };
  // Before anything is read or sent: a key over plain http to another machine is readable on the way.
  if (sendsKeyInClear(endpoint, apiKey)) throw new UsageError(new InsecureKeyTransportError(endpoint, '--allow-http-key').message);
  return { endpoint, apiKey, keyEnv };
}

/** Progress on stderr: redrawn in place on a terminal, a line every 10 s otherwise (logs, CI). */
export class ProgressReporter {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly unit: string,
  ) {}

  update(p: JobProgress): void {
    const tty = this.io.errStream.isTTY;
    const now = Date.now();
    if (now - this.last < (tty ? 200 : 10_000)) return;
    this.last = now;
    const line = `${this.label}: ${progressLine(p, this.unit)}`;
    if (tty) {
      this.io.errStream.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else this.io.err(line + '\n');
  }

  clear(): void {
    if (this.drawn) this.io.errStream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** How long the first Ctrl-C waits for the requests in flight before abandoning them. */
const DRAIN_MS = 60_000;

export interface GenerationContext {
  pool: EndpointPool;
  /** Aborted by the first Ctrl-C: the job starts nothing new, and saves what is in flight. */
  stop: AbortSignal;
  /** Aborted when waiting for what is in flight runs out, or the output lock was taken over. */
  abort: AbortSignal;
  /** Diagnostic lines, shown with --verbose (or PAIRWISE_VERBOSE=1). */
  log: (line: string) => void;
  /** A redacted line on stderr. */
  say: (s: string) => void;
}

export interface GenerationCommandOptions {
  io: CliIo;
  /** generate, judge, synth */
  name: string;
  args: string[];
  endpoint: EndpointConfig;
  apiKey: string | undefined;
  redactor: Redactor;
  verbose: boolean;
  /** What Ctrl-C cancels, for its message. */
  what: string;
  /** The file the job writes in place: locked against other processes while it runs. */
  output: string;
  reporter?: ProgressReporter;
  run: (ctx: GenerationContext) => Promise<number>;
}

/**
 * What `generate`, `judge` and `synth` share once their options are read: the pool (its log on
 * stderr with --verbose, its notices always), Ctrl-C that waits for what is in flight, and the lock
 * that keeps a second process off the output. Errors become a message and exit code 2.
 */
export async function runGenerationCommand(o: GenerationCommandOptions): Promise<number> {
  const say = (s: string): void => o.io.err(o.redactor.redact(s));
  const log = (l: string): void => {
    if (o.verbose) say(l + '\n');
  };
  let pool: EndpointPool;
  try {
    pool = new EndpointPool({ endpoints: [o.endpoint], apiKeys: { [o.endpoint.name]: o.apiKey }, log, notice: (l) => (o.verbose ? undefined : say(l10n.t('pairwise: {0}', l) + '\n')) });
  } catch (e) {
    throw new UsageError(o.redactor.describe(e));
  }
  const interrupt = drainOnSigint(
    o.io,
    {
      stopping: (n, seconds) =>
        n > 0
          ? l10n.t('\ncancelling {0}: no new requests; waiting for the {1} in flight to be answered and saved (at most {2} s; Ctrl-C again to quit now)', o.what, n, seconds)
          : l10n.t('\ncancelling {0} (Ctrl-C again to quit now)', o.what),
      abandoned: (n) => l10n.t('pairwise: stopped waiting; {0} request(s) still in flight are abandoned and will be asked again on resume', n),
    },
    () => pool.activeRequests(),
    DRAIN_MS,
  );
  try {
    return await withOutputLocks([o.output], { command: `pairwise ${o.name} ${o.args.join(' ')}` }, (lost) => {
      lost.addEventListener(
        'abort',
        () => {
          say(l10n.t('pairwise: {0}', o.redactor.describe(lost.reason)) + '\n');
          interrupt.abortNow();
        },
        { once: true },
      );
      return o.run({ pool, stop: interrupt.stop, abort: interrupt.abort, log, say });
    });
  } catch (e) {
    o.reporter?.clear();
    if (e instanceof AbortedError) return EXIT_FINDINGS;
    say(l10n.t('pairwise {0}: {1}', o.name, o.redactor.describe(e)) + '\n');
    return EXIT_USAGE;
  } finally {
    interrupt.dispose();
    pool.close();
  }
}

/** --verbose, or PAIRWISE_VERBOSE set in the environment. */
export function isVerbose(values: { verbose?: boolean }): boolean {
  return values.verbose === true || !!process.env.PAIRWISE_VERBOSE;
}

export async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...ENDPOINT_OPTIONS,
      n: { type: 'string', short: 'n' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      system: { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string' },
      turns: { type: 'string' },
      batch: { type: 'boolean' },
      'poll-interval': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(GENERATE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('generate needs exactly one INPUT dataset'));
  const { endpoint, apiKey, keyEnv } = endpointFromOptions(values);
  const n = numberOption(values.n, '-n', { integer: true, min: 1 }) ?? 1;
  const temperature = numberOption(values.temperature, '--temperature', { max: 2 });
  const maxTokens = numberOption(values['max-tokens'], '--max-tokens', { integer: true, min: 1 });
  const seed = numberOption(values.seed, '--seed', { integer: true });
  const pollSeconds = numberOption(values['poll-interval'], '--poll-interval', { min: 0.01 });
  if (values.format !== undefined && !isFormatId(values.format)) throw new UsageError(l10n.t('unknown format "{0}" (run "pairwise formats" for the list)', values.format));
  if (values.turns !== undefined && !TURNS_OPTIONS.includes(values.turns as TurnsOption)) throw new UsageError(l10n.t('--turns must be last or each'));
  const input = positionals[0];
  const out = values.out ?? candidatesOutputFor(input);
  refuseCandidatesOutputOverInput(input, out);
  const redactor = new Redactor([apiKey]);
  const say = (s: string): void => io.err(redactor.redact(s));

  let read;
  try {
    read = await readDatasetPrompts(input, { format: values.format as FormatId | undefined, turns: values.turns as TurnsOption | undefined });
  } catch (e) {
    say(l10n.t('pairwise: cannot read prompts from {0}: {1}', input, redactor.describe(e)) + '\n');
    return EXIT_USAGE;
  }
  for (const p of read.problems.slice(0, 20)) say(l10n.t('{0}:{1}: skipped: {2}', shownPath(input), p.line, p.message) + '\n');
  if (read.problems.length > 20) say(l10n.t('… {0} more records skipped', read.problems.length - 20) + '\n');
  if (read.prompts.length === 0) {
    say(l10n.t('pairwise: {0} has no prompts to answer', input) + '\n');
    return EXIT_USAGE;
  }
  if (!apiKey) say(l10n.t('pairwise: {0} is not set: sending requests without an API key', keyEnv) + '\n');

  const params = { ...(temperature !== undefined ? { temperature } : {}), ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}), ...(values.system !== undefined ? { system: values.system } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  const targets: CandidateTarget[] = endpoint.models.map((model) => ({ endpoint: endpoint.name, model, params }));
  const reporter = new ProgressReporter(io, path.basename(out), ' requests');
  return runGenerationCommand({
    io,
    name: 'generate',
    args,
    endpoint,
    apiKey,
    redactor,
    verbose: isVerbose(values),
    what: values.batch ? l10n.t('polling (the batch keeps running at the server)') : l10n.t('generation'),
    output: out,
    reporter,
    run: async ({ pool, stop, abort, log }) => {
      const polling = batchPollingMeter();
      const onBatchProgress = (b: BatchProgress): void => reporter.update(polling(b));
      // Polling has nothing in flight worth waiting for: the first Ctrl-C stops it.
      const batch = values.batch
        ? await runBatchJob({ pool, prompts: read.prompts, targets, responsesPerTarget: n, outputPath: out, signal: stop, onProgress: (p) => reporter.update(p), onBatchProgress, pollIntervalMs: pollSeconds !== undefined ? pollSeconds * 1000 : undefined, log })
        : undefined;
      if (batch?.state === 'pending') {
        reporter.clear();
        say(l10n.t('pairwise: stopped polling; batch {0} keeps running at the server (ids in {1}); run the same command again to collect its results', batch.batchIds.join(', '), batch.paths.batch) + '\n');
        return EXIT_FINDINGS;
      }
      const r =
        batch?.merge ??
        (await runCandidatesJob({
          pool,
          prompts: read.prompts,
          targets,
          responsesPerTarget: n,
          outputPath: out,
          signal: abort,
          stopSignal: stop,
          onProgress: (p) => reporter.update(p),
          log,
        }));
      reporter.clear();
      for (const w of r.warnings) say(l10n.t('warning: {0}', w) + '\n');
      const p = r.progress;
      const cost = formatCost(p);
      io.out(
        redactor.redact(
          l10n.t(
            '{0}: {1} prompts ({2}); {3} answered, {4} already done, {5} failed request(s); {6} requests, {7} tokens in, {8} out{9} -> {10}',
            input, read.prompts.length, read.format, p.promptsWritten, p.promptsSkipped, p.failures, batch ? p.done : p.requests, p.tokensIn, p.tokensOut, cost ? ', ' + cost : '', out,
          ) + '\n',
        ),
      );
      if (r.cancelled) {
        say(l10n.t('pairwise: cancelled; run the same command again to resume') + '\n');
        return EXIT_FINDINGS;
      }
      if (p.failures > 0) {
        say(l10n.t('pairwise: {0} request(s) failed (see {1}); run the same command again to retry them', p.failures, r.paths.failures) + '\n');
        return EXIT_FINDINGS;
      }
      return EXIT_OK;
    },
  });
}
