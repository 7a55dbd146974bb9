/** Help texts of the `pairwise` command. */
import * as l10n from '@vscode/l10n';

export const MAIN_HELP = l10n.t(`Usage: pairwise <command> [options]

Checks and converts LLM fine-tuning datasets (JSON Lines, or JSON arrays of records).

Commands:
  validate [--format ID] [--json] FILE...    report every problem with its line and column
  convert IN --to ID [-o OUT] [--allow-lossy] [--from ID]
                                             convert between dataset formats
  stats FILE [--json] [--context N] [--epochs N] [--markdown OUT]
                                             records, problems, turns, chars and tokens per role,
                                             histograms, context limit, cost, label balance
  dedupe FILE [--near] [--threshold 0.8] [--normalize ws,case] [-o OUT] [--report R]
                                             remove exact (and near) duplicate records
  split FILE --ratios 0.95,0.05 [--seed N] [--group-by-prompt]
                                             train/validation(/test) files, seeded
  filter FILE [--min-tokens N] [--max-tokens N] [--role R] [--regex FIELD:RE] [--has-problems|--no-problems]
                                             keep records meeting every criterion
  sample FILE -n N [--seed N]                N records uniformly at random
  merge FILES... --to ID -o OUT [--allow-lossy]
                                             several files into one target format
  register FILE [--info dataset_info.json] [--name NAME]
                                             add the file's entry to LLaMA-Factory's dataset_info.json
  formats [--json]                           list the known formats with an example record
  generate INPUT --base-url URL --model M [--model M2] [-n N] [-o OUT] ...
                                             candidate responses from an OpenAI-compatible endpoint
  judge CANDIDATES --base-url URL --model M [-o OUT]
                                             an AI judge's verdict on each pair of candidates
  synth FILE --topic T --count N --base-url URL --model M [--seeds K]
                                             new records in FILE's own format, validated, deduplicated,
                                             appended to FILE
  agreement LOGS... [--input FILE] [--json]   inter-annotator agreement (kappas) and win rates
  export INPUT --logs L1,L2 --to ID -o OUT [--rule majority|unanimous|annotator:NAME]
                                             labeled pairs → a preference dataset for a trainer
  leaderboard LOGS... [--bootstrap N] [--seed S] [--json]
                                             per-model Bradley-Terry scores with 95% intervals
  compare CANDIDATES [--baseline M --candidate M] [--logs L1,L2] [--pairs] [--json]
                                             blind comparison of two models: B's wins, ties, losses
                                             against A with a 95% interval, and the prompts behind them
  train-config FILE --trainer T --method M --model ID [--finetuning full|lora|qlora] ...
                                             a LLaMA-Factory / Axolotl YAML or TRL script for FILE
  preflight FILE --model DIR --trainer T [--max-length N] [--json]
                                             every record through the model's chat template and
                                             tokenizer: lengths, cuts, trained tokens, dropped content

Options:
  -h, --help       show help (also: pairwise <command> --help)
  -v, --version    show the version

Exit codes: 0 no errors, 1 errors found (or a conversion refused), 2 bad usage or an unreadable file.
`);

export const VALIDATE_HELP = l10n.t(`Usage: pairwise validate [--format ID] [--trainer ID | --config CFG...] [--workers N] [--json] FILE...

Validates each file: detects its format from its records (or uses --format), then checks JSON
syntax, the format's schema and rules, exact duplicates and contradicting preferences.

Where the trainers that read a format disagree (OpenAI fine-tuning rejects a message key that TRL
passes to its chat template), a problem is an error when the trainer that will read the file is
hit, and a warning when only other readers are. Without --trainer, it is an error only when every
reader of the format is hit.

Options:
  --format ID    check against this format instead of detecting it (see: pairwise formats)
  --trainer ID   the trainer that will read the files: openai, trl (also: unsloth),
                 llamafactory, axolotl, torchtune, ms-swift, xtuner
  --config CFG   a trainer config or script that names the files (repeatable): an Axolotl,
                 torchtune, LLaMA-Factory or ms-swift YAML, an ms-swift shell script, an xtuner
                 or TRL Python file. Read as text, never run; relative paths from the current
                 folder or the config's. A file it names is checked for that trainer.
  --workers N    threads for a JSON Lines file, this one included (same result); by default one,
                 or one per core (up to 4) for a file over 64 MB on 2 cores or more. PAIRWISE_WORKERS=N
                 sets it for every command.
  --json         print one JSON document:
                 {"files":[{"path","format","trainer","trainerReason"?,"records","problems":[{"line","column",
                 "endLine","endColumn","severity","rule","message","trainers"?}]}]}
                 ("trainers": the readers a trainer-dependent problem applies to)

Human output: one line per problem, "path:line:column severity rule message", then a summary.
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or an unreadable file.
`);

export const CONVERT_HELP = l10n.t(`Usage: pairwise convert IN --to ID [-o OUT] [--allow-lossy] [--from ID]

Converts a dataset to another format through the canonical model. Anything that cannot be carried
over (a field, a record, a record with errors) is listed per record and field; unless
--allow-lossy is given, any loss refuses the conversion and no output file is written.

Options:
  --to ID          target format (see: pairwise formats)
  -o, --out OUT    output file (default IN.<ID>.jsonl); a name ending in .json writes a JSON array,
                   one ending in .parquet a Parquet file (one column per key, nested values as JSON)
  --from ID        source format (default: detected from the records)
  --allow-lossy    write the output even when something is lost, and list what was

Exit codes: 0 written, 1 refused (something would be lost), 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

export const FORMATS_HELP = l10n.t(`Usage: pairwise formats [--json]

Lists every format id with its record kind, the trainers that read it and one example record.
`);

const ENDPOINT_HELP = l10n.t(`Endpoint options:
  --base-url URL        OpenAI-compatible API root, e.g. https://api.openai.com/v1,
                        http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM)
  --api-key-env NAME    environment variable holding the API key (default OPENAI_API_KEY; unset:
                        no key is sent). A key is never accepted on the command line, and goes
                        over plain http only to this machine (127.0.0.0/8, ::1, localhost).
  --allow-http-key      send the key over plain http to another host too (trusted networks only)
  --concurrency C       requests in flight at most (default 4)
  --rpm R, --tpm T      requests / tokens per minute at most, kept across runs on one output
  --timeout S           seconds per request (default 120)
  -o, --out OUT         output file
  --verbose             also print the endpoint's log on stderr (retries, refused parameters)

Progress goes to stderr. Ctrl-C starts no new request and waits (at most 60 s) for the ones in
flight, whose answers are saved; a second Ctrl-C quits at once. The same command resumes where it
stopped. One run at a time writes an output: OUT.lock names it, and a second run is refused.
Exit codes: 0 done, 1 some requests failed or the run was cancelled (run it again to retry or
resume), 2 bad usage, an unreadable input, an output made with other settings or being written
by another process.
`);

export const GENERATE_HELP = l10n.t(`Usage: pairwise generate INPUT --base-url URL --model M [--model M2] [-n N]
         [--temperature T] [--max-tokens N] [--system S] [--seed S] [--format ID] [-o OUT]
         [--batch [--poll-interval S]]

Asks every model for N responses (default 1) to each prompt of INPUT: any dataset format (the
prompt is the conversation up to its last user turn) or prompt-only JSONL ({"prompt": ...}).
Writes OUT (default INPUT-without-extension.candidates.jsonl beside INPUT): one line per prompt
{"id","prompt","responses":[{"model","content","usage","params"}]}, the input of "pairwise judge"
and of the labeling panel. Failed requests are listed in OUT.failures.jsonl.

Options:
  --model M             a model to ask; repeat for several
  -n N                  responses per model and prompt (default 1)
  --temperature T, --max-tokens N, --system S   sampling parameters and a system prompt
                        (replacing the record's own)
  --seed S              sampling seed; response j of a model is asked with seed S + j, so the
                        responses differ yet a rerun reproduces them (where the server supports it)
  --format ID           read INPUT as this format instead of detecting it
  --batch               send the requests through the OpenAI Batch API (half the price, results
                        within 24 h): upload, poll in the foreground, merge into OUT. Ctrl-C stops
                        polling only: the batch keeps running, its id stays in OUT.batch.json and
                        the same command continues polling it
  --poll-interval S     first wait between polls in seconds (default 10, growing to 5 minutes)

{0}`, ENDPOINT_HELP) + l10n.t(`
Multi-turn:
  --turns last|each     last (default): answer each record's last user turn. each: one prompt per
                        assistant turn of each conversation (the turns before it); the lines carry
                        "conversation" (the record id), "turn" and "turns", and the labeling panel
                        shows a conversation's turns in order
`);

export const SYNTH_HELP = l10n.t(`Usage: pairwise synth FILE --topic "…" --count N --base-url URL --model M [--seeds K]
         [--format ID] [--temperature T] [--max-tokens N] [--seed S] [--threshold 0.8]
         [--max-attempts 3] [--restart]

Generates N new records in FILE's own format (JSONL, or a .json array) and appends them to FILE.
Each request shows the model the topic and K seed records of FILE (default 3, picked at random
with --seed; 0 shows the format's example record) and asks for one new record as a JSON object.
A reply is kept only if the format's schema and rules find no error in it and it is neither an
exact duplicate (normalised text) nor a near duplicate (MinHash, Jaccard ≥ --threshold) of a
record in FILE or one generated before it. An invalid reply is asked again up to --max-attempts
times, then the record is counted as rejected. What was dropped and why goes to
FILE-without-extension.synthetic.rejected.jsonl; progress to ….synthetic.progress.jsonl.

Running the same command again resumes: it adds only what is missing to reach N (--restart: N
more). A .json array is rewritten atomically for each batch of records (JSONL is appended);
an array above 64 MiB is refused: convert it to JSONL first.

Options:
  --topic T             what the new records should be about (required)
  -n, --count N         records to add (required)
  --seeds K             seed records shown per request (0–20, default 3)
  --format ID           read FILE as this format instead of detecting it
  --temperature T       default 1; --max-tokens N default 1024
  --seed S              seed of the seed-record choice; request r is sent seed S + r (default 1)
  --threshold J         near-duplicate Jaccard threshold (default 0.8)
  --max-attempts A      requests per record while replies are invalid (default 3)
  --restart             ignore earlier runs of the same job and add N more
  --model M             the model (once)

{0}`, ENDPOINT_HELP.replace(/^ {2}-o, --out OUT .*\n/m, ''));

export const JUDGE_HELP = l10n.t(`Usage: pairwise judge CANDIDATES --base-url URL --model M [-o OUT] [--pairs all|first-two] [--rubric FILE]

Asks the judge model which response of each pair is better, twice with the order swapped (a
judge that only prefers a position ends up "uncertain"). Writes OUT (default
CANDIDATES-without-.jsonl.judgements.jsonl), one line per pair with the labeling pair id.
Pairs already judged by the same judge are skipped; failed pairs are retried on the next run.

With a rubric (--rubric FILE, or CANDIDATES-without-.jsonl.rubric.yaml when it exists), the judge
scores both responses on every criterion of the rubric's scale instead, in both orders; each line
keeps both orders' scores (position bias: pairwise agreement --judgements) and a verdict on the
totals. --rubric none judges without the rubric beside the file.

{0}`, ENDPOINT_HELP);

export const AGREEMENT_HELP = l10n.t(`Usage: pairwise agreement LOGS... [--input FILE [--input-b FILE]] [--judgements FILE [--rubric FILE]] [--json]

Reads label logs (*.labels.jsonl, any number, in any order; undone decisions are left out) and
prints percent agreement over the pairs every annotator labeled (skips excluded), Cohen's kappa
for two annotators, Fleiss' kappa for two or more, and each model's wins, losses, ties and win rate.

Options:
  --input FILE    count only decisions on pairs of this labeled input; for a preference dataset
                  (audit), also how often each annotator agreed with the dataset's own label
  --input-b FILE  with an SFT --input: model B's file
  --judgements FILE  a rubric judge's judgements (pairwise judge --rubric): per criterion, how often
                  the judge and the annotators' scores agree on which response is better (percent
                  and Cohen's kappa over better/worse/tie), and the judge's position bias (pairs
                  whose preference flips when the order is swapped, the position it favours)
  --rubric FILE   with --judgements: compare only scores given on this rubric, in its order
  --json          print one JSON document {logs, annotators, decisions, agreement, winRates, ...}
`);

export const EXPORT_HELP = l10n.t(`Usage: pairwise export INPUT --logs L1,L2 --to ID -o OUT [--rule RULE] [--variant V]

Merges the label logs' decisions on the pairs of INPUT (a candidates file, an audited preference
dataset, or an SFT file with --input-b) and writes the decided pairs as a preference dataset.
Ties, both-bad, skips and conflicts are left out and counted. OUT is written atomically; a name
ending in .json writes one JSON array. For sharegpt-preference and alpaca-preference the
dataset_info.json beside OUT gets the entry LLaMA-Factory needs ("ranking": true).

Options:
  --logs L1,L2      label logs (comma-separated, or --logs repeated)
  --to ID           trl-preference, trl-preference-implicit, alpaca-preference, sharegpt-preference,
                    openai-dpo, axolotl-chatml-intel, distilabel-dpo, trl-unpaired (KTO)
  -o, --out OUT     output file
  --rule RULE       majority (default), unanimous, or annotator:NAME (NAME wins where they labeled)
  --variant V       TRL formats: conversational or standard
  --input-b FILE    model B's file when INPUT is SFT data
  --pair-strategy S candidates with more than two responses: all (default) or adjacent; must be
                    what the labeling session used
  --rankings E      pairs a ranking (rank mode) becomes: all (default, every pair of the order),
                    adjacent (each answer over the next) or best-vs-rest (the top answer over each
                    other); ties in a ranking are left out like pair ties
  --rewrites M      pairs an annotator's rewrite of an answer becomes: original (default; chosen =
                    the rewrite, rejected = the answer it rewrote), with-other (also the rewrite over
                    the pair's other answer, where the annotator did not prefer that one) or none
  --rewrites-sft FILE  also write each rewrite as an SFT record (the prompt, then the rewrite)
  --rewrites-sft-to F  its format: sharegpt, alpaca, openai-chat, trl-prompt-completion,
                    query-response or swift-conversation (default: the SFT format of --to's trainer)
  --json            print the export summary as JSON
`);

export const TRAIN_CONFIG_HELP = l10n.t(`Usage: pairwise train-config FILE --trainer llamafactory|trl|axolotl
         --method sft|rm|ppo|dpo|orpo|kto --model ID [--finetuning full|lora|qlora]
         [--wandb PROJECT] [--out-dir DIR] [--lr X] [--epochs N] [--force] [--dry-run]

Writes the files to train on FILE with the chosen trainer (nothing is run):
  llamafactory  dataset_info.json (entry merged into an existing one) + llamafactory_<method>_<ft>.yaml
  trl           train_<method>_<ft>.py (GRPO with a reward function to fill in, for prompt-only data)
  axolotl       axolotl_<method>_<ft>.yaml
When the trainer reads another format than FILE's, FILE is converted into DIR first (refused,
with the losses listed, if anything would be lost) and the converted file is validated.

Methods by dataset: SFT data: sft; prompt-only (trl-prompt-only): ppo; preference pairs: rm, dpo,
orpo; unpaired with a boolean label (trl-unpaired, llamafactory-kto): kto.

Options:
  --finetuning F     full, lora (default) or qlora (LoRA on a 4-bit base model)
  --wandb PROJECT    log to Weights & Biases under PROJECT (default: no logging)
  --out-dir DIR      default FILE's folder/<name>-<trainer>-<method>
  --format ID        read FILE as this format instead of detecting it
  --lr X, --epochs N, --batch-size N, --grad-accum N, --cutoff-len N, --lora-rank N,
  --lora-alpha N, --lora-dropout X, --beta X
                     hyperparameters (defaults depend on the method and the finetuning)
  --force            overwrite existing files (and a different dataset_info.json entry)
  --dry-run          print the files instead of writing them

Exit codes: 0 written, 1 refused (a file exists, the conversion would lose data), 2 bad usage,
a method the dataset does not support, or an unreadable file.
`);
