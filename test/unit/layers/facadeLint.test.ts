/**
 * The adapters (src/cli, src/extension, src/protocol) reach the core only through an area's
 * index.ts: eslint.config.mjs refuses a deep import there, and allows the index and the core's
 * top-level files. Linted as text under an adapter's path, so the rule itself is what is tested.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

async function restricted(code: string, file: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: the core through its front door', function () {
  this.timeout(60000);

  it('refuses a deep core import in the CLI, the extension and the protocol', async () => {
    for (const file of ['src/cli/probe.ts', 'src/extension/probe.ts', 'src/protocol/probe.ts']) {
      const found = await restricted("import { getFormat } from '../core/formats/registry';\nexport const f = getFormat;\n", file);
      assert.equal(found.length, 1, file);
      assert.match(found[0], /index\.ts/);
    }
    assert.equal((await restricted("export { getFormat } from '../core/formats/registry';\n", 'src/cli/probe.ts')).length, 1);
  });

  it("allows an area's index and the core's top-level files", async () => {
    const code = "import { getFormat } from '../core/formats';\nimport type { Message } from '../core/model';\nexport const f = getFormat;\nexport type M = Message;\n";
    assert.deepEqual(await restricted(code, 'src/extension/probe.ts'), []);
  });

  it('still lets the core import its own files (the rule is for the adapters)', async () => {
    assert.deepEqual(await restricted("import { getFormat } from '../formats/registry';\nexport const f = getFormat;\n", 'src/core/curate/probe.ts'), []);
  });
});
