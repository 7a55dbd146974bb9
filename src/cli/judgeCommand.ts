/** `pairwise judge`: an AI judge's verdict on every pair of responses in a candidates file. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EndpointPool } from '../core/generation/endpointPool';
import { runJudgeJob } from '../core/generation/judgeJob';
import { formatCost } from '../core/generation/progressText';
import { AbortedError } from '../core/generation/rateScheduler';
import { Redactor } from '../core/generation/redact';
import { abortOnSigint, endpointFromOptions, ENDPOINT_OPTIONS, ProgressReporter } from './generateCommand';
import { describeFsError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { JUDGE_HELP } from './usage';

export async function judgeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...ENDPOINT_OPTIONS, pairs: { type: 'string' } }, allowPositionals: true });
  if (values.help) {
    io.out(JUDGE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('judge needs exactly one CANDIDATES file');
  const { endpoint, apiKey, keyEnv } = endpointFromOptions(values);
  if (endpoint.models.length !== 1) throw new UsageError('judge takes exactly one --model (the judge)');
  const pairs = values.pairs ?? 'all';
  if (pairs !== 'all' && pairs !== 'first-two') throw new UsageError('--pairs must be "all" or "first-two"');
  const input = positionals[0];
  try {
    if (!(await fsp.stat(input)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (e) {
    io.err(`pairwise: cannot read ${input}: ${describeFsError(e)}\n`);
    return EXIT_USAGE;
  }
  const redactor = new Redactor([apiKey]);
  const say = (s: string): void => io.err(redactor.redact(s));
  if (!apiKey) say(`pairwise: ${keyEnv} is not set: sending requests without an API key\n`);
  let pool: EndpointPool;
  try {
    pool = new EndpointPool({ endpoints: [endpoint], apiKeys: { [endpoint.name]: apiKey } });
  } catch (e) {
    throw new UsageError(redactor.describe(e));
  }
  const reporter = new ProgressReporter(io, path.basename(input), ' pairs');
  const sigint = abortOnSigint(io, 'judging');
  try {
    const r = await runJudgeJob({
      pool,
      candidatesPath: input,
      judge: { endpoint: endpoint.name, model: endpoint.models[0] },
      pairs,
      outputPath: values.out,
      signal: sigint.signal,
      onProgress: (p) => reporter.update(p),
    });
    reporter.clear();
    for (const w of r.warnings) say(`warning: ${w}\n`);
    const p = r.progress;
    const cost = formatCost(p);
    io.out(redactor.redact(`${input}: ${p.done} pair(s) judged, ${p.failures} failed; ${p.requests} requests, ${p.tokensIn} tokens in, ${p.tokensOut} out${cost ? `, ${cost}` : ''} -> ${r.judgementsPath}\n`));
    if (r.cancelled) {
      say('pairwise: cancelled; run the same command again to resume\n');
      return EXIT_FINDINGS;
    }
    if (p.failures > 0) {
      say(`pairwise: ${p.failures} pair(s) failed (see ${r.failuresPath}); run the same command again to retry them\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  } catch (e) {
    reporter.clear();
    if (e instanceof AbortedError) return EXIT_FINDINGS;
    say(`pairwise judge: ${redactor.describe(e)}\n`);
    return EXIT_USAGE;
  } finally {
    sigint.dispose();
    pool.close();
  }
}
