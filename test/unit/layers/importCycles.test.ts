/**
 * No import cycles in the sources, `import type` included, between files or between core folders
 * (scripts/import-cycles.mjs): a type-only cycle costs nothing at run time but means a type sits
 * in the wrong file, and a folder cycle means the layers have no order.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'import-cycles.mjs');

interface Report {
  files: number;
  fileCycles: string[][];
  folderCycles: { folders: string[]; edges: string[] }[];
}

function report(root?: string): { code: number | null; report: Report } {
  const r = spawnSync(process.execPath, [SCRIPT, '--json', ...(root ? ['--root', root] : [])], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, report: JSON.parse(r.stdout) as Report };
}

describe('import cycles', () => {
  it('has none between files or between folders in src/ and webview-ui/, type imports counted', function () {
    this.timeout(60000);
    const { code, report: r } = report();
    assert.ok(r.files > 100, `only ${r.files} files read`);
    assert.deepEqual(r.fileCycles, []);
    assert.deepEqual(r.folderCycles, []);
    assert.equal(code, 0);
  });

  it('finds a type-only cycle between two files and the folder cycle of a deep import', function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-cycles-'));
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      };
      write('src/core/a/one.ts', "import type { Two } from './two';\nexport interface One { two?: Two }\n");
      write('src/core/a/two.ts', "import type { One } from './one';\nexport interface Two { one?: One }\n");
      write('src/core/a/three.ts', "export { x } from '../b';\n");
      write('src/core/b/index.ts', "import { y } from '../a/four';\nexport const x = y;\n");
      write('src/core/a/four.ts', 'export const y = 1;\n');
      const { code, report: r } = report(dir);
      assert.deepEqual(r.fileCycles, [['src/core/a/one.ts', 'src/core/a/two.ts']]);
      assert.deepEqual(r.folderCycles.map((c) => c.folders), [['src/core/a', 'src/core/b']]);
      assert.equal(code, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
