/** Help texts of the `pairwise` command. */
export const MAIN_HELP = `Usage: pairwise <command> [options]

Checks and converts LLM fine-tuning datasets (JSON Lines, or JSON arrays of records).

Commands:
  validate [--format ID] [--json] FILE...    report every problem with its line and column
  convert IN --to ID [-o OUT] [--allow-lossy] [--from ID]
                                             convert between dataset formats
  stats FILE [--json]                        record count, format, problems, turns, lengths
  formats [--json]                           list the known formats with an example record

Options:
  -h, --help       show help (also: pairwise <command> --help)
  -v, --version    show the version

Exit codes: 0 no errors, 1 errors found (or a conversion refused), 2 bad usage or an unreadable file.
`;

export const VALIDATE_HELP = `Usage: pairwise validate [--format ID] [--json] FILE...

Validates each file: detects its format from its records (or uses --format), then checks JSON
syntax, the format's schema and rules, exact duplicates and contradicting preferences.

Options:
  --format ID   check against this format instead of detecting it (see: pairwise formats)
  --json        print one JSON document:
                {"files":[{"path","format","records","problems":[{"line","column","endLine",
                "endColumn","severity","rule","message"}]}]}

Human output: one line per problem, "path:line:column severity rule message", then a summary.
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or an unreadable file.
`;

export const CONVERT_HELP = `Usage: pairwise convert IN --to ID [-o OUT] [--allow-lossy] [--from ID]

Converts a dataset to another format through the canonical model. Anything that cannot be carried
over (a field, a record, a record with errors) is listed per record and field; unless
--allow-lossy is given, any loss refuses the conversion and no output file is written.

Options:
  --to ID          target format (see: pairwise formats)
  -o, --out OUT    output file (default IN.<ID>.jsonl); a name ending in .json writes a JSON array
  --from ID        source format (default: detected from the records)
  --allow-lossy    write the output even when something is lost, and list what was

Exit codes: 0 written, 1 refused (something would be lost), 2 bad usage or an unreadable file.
`;

export const STATS_HELP = `Usage: pairwise stats FILE [--json]

Basic statistics: record count, format, problems by rule, turns per record and characters per
role (min, median, mean, max) over the records that pass validation.
`;

export const FORMATS_HELP = `Usage: pairwise formats [--json]

Lists every format id with its record kind, the trainers that read it and one example record.
`;
