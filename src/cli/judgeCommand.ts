/** `pairwise judge`: an AI judge's verdict on every pair of responses in a candidates file. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { judgementsPathFor, judgeRubricFor, runJudgeJob, runRubricJudgeJob, formatCost, Redactor, type JudgeJobOptions } from '../core/generation';
import { endpointFromOptions, ENDPOINT_OPTIONS, isVerbose, ProgressReporter, runGenerationCommand } from './generateCommand';
import { describeFsError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { JUDGE_HELP } from './usage';
import * as l10n from '@vscode/l10n';

export async function judgeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...ENDPOINT_OPTIONS, pairs: { type: 'string' }, rubric: { type: 'string' } }, allowPositionals: true });
  if (values.help) {
    io.out(JUDGE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('judge needs exactly one CANDIDATES file'));
  const { endpoint, apiKey, keyEnv } = endpointFromOptions(values);
  if (endpoint.models.length !== 1) throw new UsageError(l10n.t('judge takes exactly one --model (the judge)'));
  const pairs = values.pairs ?? 'all';
  if (pairs !== 'all' && pairs !== 'first-two') throw new UsageError(l10n.t('--pairs must be "all" or "first-two"'));
  const input = positionals[0];
  try {
    if (!(await fsp.stat(input)).isFile()) throw Object.assign(new Error(l10n.t('not a file')), { code: 'EISDIR' });
  } catch (e) {
    io.err(l10n.t('pairwise: cannot read {0}: {1}', input, describeFsError(e)) + '\n');
    return EXIT_USAGE;
  }
  let rubric: Awaited<ReturnType<typeof judgeRubricFor>>;
  try {
    rubric = await judgeRubricFor(input, values.rubric);
  } catch (e) {
    io.err(l10n.t('pairwise: {0}', (e as Error).message) + '\n');
    return EXIT_USAGE;
  }
  const redactor = new Redactor([apiKey]);
  const say = (s: string): void => io.err(redactor.redact(s));
  if (!apiKey) say(l10n.t('pairwise: {0} is not set: sending requests without an API key', keyEnv) + '\n');
  if (rubric) say(l10n.t('pairwise: scoring on the rubric {0} ({1} criteria)', rubric.path, rubric.rubric.criteria.length) + '\n');
  const reporter = new ProgressReporter(io, path.basename(input), ' pairs');
  return runGenerationCommand({
    io,
    name: 'judge',
    args,
    endpoint,
    apiKey,
    redactor,
    verbose: isVerbose(values),
    what: l10n.t('judging'),
    output: values.out ?? judgementsPathFor(input),
    reporter,
    run: async ({ pool, stop, abort, log }) => {
      const job: Omit<JudgeJobOptions, 'rubric' | 'method'> = {
        pool,
        candidatesPath: input,
        judge: { endpoint: endpoint.name, model: endpoint.models[0] },
        pairs,
        outputPath: values.out,
        signal: abort,
        stopSignal: stop,
        onProgress: (p) => reporter.update(p),
        log,
      };
      const r = rubric ? await runRubricJudgeJob({ ...job, rubric: rubric.rubric }) : await runJudgeJob(job);
      reporter.clear();
      for (const w of r.warnings) say(l10n.t('warning: {0}', w) + '\n');
      const p = r.progress;
      const cost = formatCost(p);
      io.out(redactor.redact(l10n.t('{0}: {1} pair(s) judged, {2} failed; {3} requests, {4} tokens in, {5} out{6} -> {7}', input, p.done, p.failures, p.requests, p.tokensIn, p.tokensOut, cost ? `, ${cost}` : '', r.judgementsPath) + '\n'));
      if (r.cancelled) {
        say(l10n.t('pairwise: cancelled; run the same command again to resume') + '\n');
        return EXIT_FINDINGS;
      }
      if (p.failures > 0) {
        say(l10n.t('pairwise: {0} pair(s) failed (see {1}); run the same command again to retry them', p.failures, r.failuresPath) + '\n');
        return EXIT_FINDINGS;
      }
      return EXIT_OK;
    },
  });
}
