/** The CLI speaks Chinese when the locale says so: the real bundle spawned with LANG / PAIRWISE_LANG. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliLanguage } from '../../../src/cli/cliLanguage';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Runs the CLI with only the locale variables given (the caller's own locale must not leak in). */
function run(locale: Record<string, string>, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'PAIRWISE_LANG']) delete env[k];
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...env, ...locale } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI language', function () {
  this.timeout(60000);

  before(() => {
    const stale = !fs.existsSync(cli) || fs.statSync(cli).mtimeMs < Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json')).mtimeMs);
    if (stale) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
  });

  it('follows PAIRWISE_LANG, then LC_ALL, LC_MESSAGES and LANG in POSIX order', () => {
    assert.equal(cliLanguage({}), 'en');
    assert.equal(cliLanguage({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(cliLanguage({ LANG: 'zh_TW.UTF-8' }), 'zh-cn');
    assert.equal(cliLanguage({ LANG: 'C' }), 'en');
    assert.equal(cliLanguage({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'en');
    assert.equal(cliLanguage({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'zh-cn');
    assert.equal(cliLanguage({ LANG: 'C', LC_ALL: '' }), 'en');
    assert.equal(cliLanguage({ LANG: 'zh_CN.UTF-8', PAIRWISE_LANG: 'en' }), 'en');
    assert.equal(cliLanguage({ LANG: 'C', PAIRWISE_LANG: 'zh-cn' }), 'zh-cn');
  });

  it('validate prints Chinese problems and summary with LANG=zh_CN.UTF-8', () => {
    const r = run({ LANG: 'zh_CN.UTF-8' }, 'validate', 'samples/broken.jsonl');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [
      "samples/broken.jsonl:2:112 error jsonl/invalid-json 不是有效的 JSON：应为 '}' 以闭合对象。",
      'samples/broken.jsonl:4:2 error jsonl/invalid-json 不是有效的 JSON：属性名必须用双引号括起。',
      'samples/broken.jsonl：4 条记录，openai-chat (2 条记录中有 2 条像 openai-chat)：2 个错误，0 个警告',
      '',
    ]);
  });

  it('help texts, translated when their modules load, come out in Chinese too', () => {
    // The language is configured by main.ts's first import, before the help modules are evaluated.
    const zh = run({ LANG: 'zh_CN.UTF-8' }, '--help');
    assert.match(zh.stdout, /^用法：pairwise <command> \[options\]\n/);
    assert.match(run({ LC_ALL: 'zh_CN.UTF-8' }, 'synth', '--help').stdout, /\n端点选项：\n/);
    assert.doesNotMatch(run({ LC_ALL: 'zh_CN.UTF-8' }, 'synth', '--help').stdout, /-o, --out OUT/);
    assert.match(run({ LANG: 'C' }, '--help').stdout, /^Usage: pairwise <command> \[options\]\n/);
  });

  it('validate prints English with LANG=C, and PAIRWISE_LANG overrides the locale', () => {
    const english = [
      "samples/broken.jsonl:2:112 error jsonl/invalid-json Not valid JSON: expected '}' to close the object.",
      'samples/broken.jsonl:4:2 error jsonl/invalid-json Not valid JSON: property names must be in double quotes.',
      'samples/broken.jsonl: 4 records, openai-chat (2 of 2 records look like openai-chat): 2 errors, 0 warnings',
      '',
    ];
    assert.deepEqual(run({ LANG: 'C' }, 'validate', 'samples/broken.jsonl').stdout.split('\n'), english);
    assert.deepEqual(run({ LANG: 'zh_CN.UTF-8', PAIRWISE_LANG: 'en' }, 'validate', 'samples/broken.jsonl').stdout.split('\n'), english);
    const forced = run({ LANG: 'C', PAIRWISE_LANG: 'zh-cn' }, 'validate', 'samples/nope.jsonl');
    assert.equal(forced.code, 2);
    assert.equal(forced.stderr, 'pairwise：无法读取 samples/nope.jsonl：文件不存在\n');
  });
});
