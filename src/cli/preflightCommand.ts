/** `pairwise preflight`: the whole file rendered, tokenized and masked as the trainer would (src/core/chatTemplate/preflight). */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { HubModelError, isTrainOnEos, loadModelFolder, preflightFile, type PreflightIssue, type PreflightReport } from '../core/chatTemplate';
import { parseTrainerId } from '../core/trainers';
import { MAX_CONFIG_BYTES, yamlTrainingOptions, type ConfigTrainingOptions } from '../core/trainerConfigs';
import * as path from 'node:path';
import { cannot, intOption } from './curateArgs';
import { runInterruptible } from './interrupt';
import { describeFsError, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { resolveCliModel } from './modelReference';
import { ProgressBar } from './progressBar';
import { parseFormatOption } from './validateCommand';
import * as l10n from '@vscode/l10n';

export const PREFLIGHT_HELP = l10n.t(`Usage: pairwise preflight FILE --model M (--trainer T | --config CFG) [--max-length N] [--json]

Renders every record with the model's chat template, tokenizes it with the model's tokenizer and
marks the tokens the trainer trains on, as the trainer does by default. Reports records over the
length limit, records whose trained tokens are all cut away, messages the template leaves out,
template errors (a role it refuses, an alternation it enforces), token totals and a histogram of
lengths. Preference records are checked as prompt+chosen and prompt+rejected.

Options:
  --model M             a local model folder (tokenizer.json and tokenizer_config.json with
                        chat_template, or chat_template.jinja), or a Hugging Face model id
                        org/name[@revision]: its tokenizer and template files are fetched once
                        into ~/.cache/pairwise/models ($XDG_CACHE_HOME/pairwise/models), with the
                        token in HF_TOKEN for a private or gated model (HF_ENDPOINT: a mirror)
  --offline             use a cached Hub model only, never the network (also HF_HUB_OFFLINE=1)
  --refresh             ask the Hub where a branch or tag of the model points now
  --trainer T           openai, trl, axolotl, torchtune, llamafactory, ms-swift, xtuner
  --max-length N        the trainer's length limit in tokens (cutoff_len, max_length, sequence_len)
  --assistant-only-loss TRL: train the {% generation %} spans only
  --train-on-prompt     LLaMA-Factory train_on_prompt / Axolotl train_on_inputs / torchtune train_on_input
  --mask-history        LLaMA-Factory mask_history: train the last answer only
  --roles-to-train LIST Axolotl roles_to_train, comma-separated (default assistant)
  --train-on-eos MODE   Axolotl train_on_eos: turn (default), all, last or none
  --config CFG          a LLaMA-Factory, Axolotl, torchtune or ms-swift YAML config: the trainer
                        and the options above as it sets them (cutoff_len, sequence_len,
                        max_seq_len, max_length, train_on_prompt, mask_history, roles_to_train,
                        train_on_eos); an option given here wins
  --format ID           the file's format instead of detecting it
  --json                print the report as JSON

Exit codes: 0 no finding, 1 findings, 2 bad usage or an unreadable file or model.
`);

function list(title: string, n: number, items: PreflightIssue[]): string {
  if (n === 0) return '';
  const lines = items.slice(0, 10).map((i) => `    ${l10n.t('line {0}', i.line)}: ${i.detail}${i.overBy ? l10n.t(' (+{0})', i.overBy) : ''}\n`);
  return `  ${title}: ${n}\n${lines.join('')}${n > 10 ? '    …\n' : ''}`;
}

export function humanPreflight(file: string, r: PreflightReport): string {
  const out: string[] = [`${file}\n`];
  out.push(l10n.t('  records {0}, rendered {1}, skipped {2}', r.records, r.rendered, r.skipped) + '\n');
  out.push(l10n.t('  tokens {0}, trained {1}', r.totalTokens, r.trainedTokens) + '\n');
  out.push(list(l10n.t('over {0} tokens', r.maxLength ?? '∞'), r.counts.overLimit, r.overLimit));
  out.push(list(l10n.t('all trained tokens cut'), r.counts.allTrainedCut, r.allTrainedCut));
  out.push(list(l10n.t('content the template leaves out'), r.counts.missingContent, r.missingContent));
  out.push(list(l10n.t('template errors'), r.counts.templateErrors, r.templateErrors));
  const peak = Math.max(1, ...r.histogram.counts);
  out.push(l10n.t('  lengths (tokens):') + '\n');
  r.histogram.counts.forEach((c, i) => {
    const from = r.histogram.edges[i];
    const mark = r.maxLength !== undefined && from <= r.maxLength && r.maxLength < (r.histogram.edges[i + 1] ?? Infinity) ? ' ← limit' : '';
    out.push(`    ${String(from).padStart(7)} ${'█'.repeat(Math.round((c / peak) * 30)).padEnd(30)} ${c}${mark}\n`);
  });
  return out.join('');
}

/** "from sft.yaml: maxLength 1024 (line 7), maskHistory true (line 9)": what the config set. */
function configLine(config: string, o: ConfigTrainingOptions): string {
  const set = (Object.keys(o.lines) as (keyof ConfigTrainingOptions['lines'])[]).map((k) => `${k} ${JSON.stringify(o[k])} (${l10n.t('line {0}', o.lines[k] ?? 1)})`);
  return l10n.t('  from {0} ({1}): {2}', config, o.trainer, set.length > 0 ? set.join(', ') : l10n.t('the trainer\'s defaults')) + '\n';
}

/** The trainer and options a YAML config sets for `file` (a usage error when it is not one). */
function configOptions(config: string, file: string): ConfigTrainingOptions {
  let text: string;
  try {
    if (fs.statSync(config).size > MAX_CONFIG_BYTES) throw new UsageError(l10n.t('--config {0}: larger than {1} MB, not a trainer config', config, MAX_CONFIG_BYTES >> 20));
    text = fs.readFileSync(config, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(l10n.t('cannot read --config {0}: {1}', config, describeFsError(e)));
  }
  const target = path.resolve(file);
  const names = (raw: string) => [path.resolve(path.dirname(config), raw), path.resolve(raw)].includes(target);
  const options = /\.ya?ml$/i.test(config) ? yamlTrainingOptions(text, names) : undefined;
  if (!options) throw new UsageError(l10n.t('{0} is not a LLaMA-Factory, Axolotl, torchtune or ms-swift YAML config', config));
  return options;
}

export async function preflightCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      trainer: { type: 'string' },
      'max-length': { type: 'string' },
      'assistant-only-loss': { type: 'boolean' },
      'train-on-prompt': { type: 'boolean' },
      'mask-history': { type: 'boolean' },
      'roles-to-train': { type: 'string' },
      'train-on-eos': { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      offline: { type: 'boolean' },
      refresh: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(PREFLIGHT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('preflight needs exactly one FILE'));
  if (!values.model) throw new UsageError(l10n.t('preflight needs --model (a folder or org/name)'));
  const file = positionals[0];
  const fromConfig = values.config === undefined ? undefined : configOptions(values.config, file);
  if (!values.trainer && !fromConfig) throw new UsageError(l10n.t('preflight needs --trainer or --config'));
  const trainer = values.trainer ? parseTrainerId(values.trainer) : fromConfig?.trainer;
  if (!trainer) throw new UsageError(l10n.t('unknown trainer "{0}"', values.trainer ?? ''));
  const eosMode = values['train-on-eos'] ?? fromConfig?.trainOnEos;
  if (eosMode !== undefined && !isTrainOnEos(eosMode)) throw new UsageError(l10n.t('--train-on-eos takes turn, all, last or none, not "{0}"', eosMode));
  const reference = values.model;
  let model;
  try {
    const resolved = await runInterruptible(io, 'preflight', (signal) => resolveCliModel(reference, io, { offline: values.offline, refresh: values.refresh, signal }));
    if ('exit' in resolved) return resolved.exit;
    model = loadModelFolder(resolved.result.folder);
  } catch (e) {
    if (e instanceof HubModelError && e.kind === 'badReference') throw new UsageError(e.message);
    io.err(e instanceof HubModelError ? `pairwise: ${e.message}\n` : cannot('read', reference, e));
    return EXIT_USAGE;
  }
  const bar = new ProgressBar(io.errStream, file);
  let outcome: { result: PreflightReport } | { exit: number };
  try {
    outcome = await runInterruptible(io, 'preflight', (signal) => preflightFile(file, model, {
      signal,
      trainer,
      maxLength: intOption(values['max-length'], '--max-length', 1) ?? fromConfig?.maxLength,
      assistantOnlyLoss: values['assistant-only-loss'],
      trainOnPrompt: values['train-on-prompt'] ?? fromConfig?.trainOnPrompt,
      maskHistory: values['mask-history'] ?? fromConfig?.maskHistory,
      rolesToTrain: values['roles-to-train']?.split(',').map((r) => r.trim()).filter((r) => r !== '') ?? fromConfig?.rolesToTrain,
      trainOnEos: eosMode,
      format: parseFormatOption(values.format, '--format'),
      onProgress: (d, t) => bar.update(d, t),
    }));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(cannot('read', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if ('exit' in outcome) return outcome.exit;
  const report = outcome.result;
  io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : humanPreflight(file, report));
  if (!values.json && fromConfig) io.out(configLine(values.config!, fromConfig));
  const c = report.counts;
  return c.overLimit + c.allTrainedCut + c.missingContent + c.templateErrors > 0 ? 1 : EXIT_OK;
}
