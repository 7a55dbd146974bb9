/** A fresh temporary folder per test file, removed afterwards. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix: string): { dir: string; file: (name: string, text: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pairwise-${prefix}-`));
  return {
    dir,
    file: (name, text) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function readLines(p: string): string[] {
  return fs.readFileSync(p, 'utf8').split('\n').filter((l) => l !== '');
}
