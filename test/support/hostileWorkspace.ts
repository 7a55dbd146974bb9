/**
 * A hostile workspace, as a repository cloned from a stranger could be: every file Pairwise would
 * write (label log, candidates, judgements, curation outputs, conversion and export outputs,
 * dataset_info.json, an output folder) is planted as a symbolic link to a file or folder outside
 * the workspace, and dataset names hold every Unicode line break, quotes and `$(…)`. Built at run
 * time (git would not carry links to a temp folder, nor such names, portably) by
 * scripts/runIntegration.mjs --restricted, for test/integration/restricted/. The `outside` folder
 * stands for the user's home: it is hashed before the run and must hash the same after it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One name per line break VS Code, YAML and JavaScript know (\n \r \v \f U+0085 U+2028 U+2029), plus quotes and shell syntax. */
export const HOSTILE_STEMS = [
  'line\nfeed',
  'carriage\rreturn',
  'vertical\vtab',
  'form\ffeed',
  'next\u0085line',
  'line\u2028separator',
  'paragraph\u2029separator',
  'quotes "double" \'single\' `back`',
  '$(touch PWNED) ; rm -rf x',
  '-rf --help',
];

/** What the hostile workspace's .vscode/settings.json sets: an annotator name that is a forgery with a line break and `$(…)`, swapped keys, a guidelines file linked to /dev/zero, another pair strategy. */
export const HOSTILE_SETTINGS = {
  'pairwise.labeling.annotator': 'workspace-annotator\u2028$(touch PWNED)',
  'pairwise.labeling.keys': { left: ['2'], right: ['1'] },
  'pairwise.labeling.guidelinesFile': 'labeling/guidelines.md',
  'pairwise.labeling.pairStrategy': 'adjacent',
};

/** The links planted in the workspace (relative path in the workspace → path relative to `outside`). */
export const PLANTED_LINKS: Record<string, string> = {
  'labeling/chat.candidates.labels.jsonl': '.bashrc',
  'labeling/chat.candidates.judgements.jsonl': '.bashrc',
  'labeling/prompts.candidates.jsonl': '.bashrc',
  'curation/data.validation.jsonl': '.bashrc',
  'curation/data.dedup-report.jsonl': '.bashrc',
  'curation/data.removed.jsonl': '.bashrc',
  'curation/data.sample2.jsonl': '.bashrc',
  'curation/data.sharegpt.jsonl': '.bashrc',
  'curation/data.stats.md': '.bashrc',
  'curation/merged.jsonl': 'not-yet.jsonl',
  'curation/dataset_info.json': '.bashrc',
  'exports/prefs.jsonl': '.bashrc',
  'exports/linked-folder': 'configs',
  'train/llamafactory_sft_lora.yaml': '.bashrc',
};

function alpaca(i: number, tag: string): string {
  return JSON.stringify({ instruction: `Question ${i % 4} from ${tag} $(touch PWNED)`, input: '', output: `Answer ${i % 4}: "quoted" and \u2028 a separator` });
}

/** Every entry under `dir` (names, kinds, modes, link targets and contents) as one hash. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => path.join(e.parentPath, e.name));
  for (const p of entries.sort()) {
    const st = fs.lstatSync(p);
    h.update(`${path.relative(dir, p)}\0${st.mode}\0${st.size}\0`);
    if (st.isFile()) h.update(fs.readFileSync(p));
    else if (st.isSymbolicLink()) h.update(fs.readlinkSync(p));
  }
  return h.digest('hex');
}

export interface HostileWorkspace {
  workspace: string;
  outside: string;
  outsideHash: string;
}

/** Builds `<tmp>/workspace` and `<tmp>/outside`; `candidates` is a candidates file to label (the project's fixture). */
export function buildHostileWorkspace(tmp: string, candidates: string): HostileWorkspace {
  const workspace = path.join(tmp, 'workspace');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(outside, 'configs'), { recursive: true });
  fs.writeFileSync(path.join(outside, '.bashrc'), '# the user’s shell start-up: nothing may be appended here\n');
  fs.writeFileSync(path.join(outside, 'configs', 'keep.yaml'), 'keep: true\n');
  for (const d of ['labeling', 'curation', 'exports', 'train', 'hostile']) fs.mkdirSync(path.join(workspace, d), { recursive: true });

  fs.copyFileSync(candidates, path.join(workspace, 'labeling', 'chat.candidates.jsonl'));
  fs.writeFileSync(path.join(workspace, 'labeling', 'prompts.jsonl'), [1, 2].map((i) => JSON.stringify({ messages: [{ role: 'user', content: `Prompt ${i}` }] })).join('\n') + '\n');
  fs.writeFileSync(path.join(workspace, 'curation', 'data.jsonl'), Array.from({ length: 8 }, (_, i) => alpaca(i, 'data')).join('\n') + '\n');
  for (const [link, target] of Object.entries(PLANTED_LINKS)) fs.symlinkSync(path.join(outside, target), path.join(workspace, link));

  fs.mkdirSync(path.join(workspace, 'hostile-broken'));
  for (const stem of HOSTILE_STEMS) {
    fs.writeFileSync(path.join(workspace, 'hostile', `${stem}.jsonl`), Array.from({ length: 6 }, (_, i) => alpaca(i, stem)).join('\n') + '\n');
    // The same names with a broken record, for Validate Workspace to report on.
    fs.writeFileSync(path.join(workspace, 'hostile-broken', `${stem}.jsonl`), `${alpaca(0, stem)}\n{"instruction": "unclosed\n`);
  }
  fs.copyFileSync(candidates, path.join(workspace, 'hostile', `${HOSTILE_STEMS[0]} ${HOSTILE_STEMS[8]}.candidates.jsonl`));

  // Restricted settings: the workspace's own settings try to shape the label data. Restricted Mode
  // must ignore every one of them (package.json lists them under restrictedConfigurations).
  fs.copyFileSync(candidates, path.join(workspace, 'labeling', 'settings.candidates.jsonl'));
  fs.symlinkSync('/dev/zero', path.join(workspace, 'labeling', 'guidelines.md'));
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(HOSTILE_SETTINGS, null, 2));

  return { workspace, outside, outsideHash: hashTree(outside) };
}
