/**
 * The CLI's language: Simplified Chinese when the locale says so, English otherwise. VS Code hands
 * the extension its bundle; the CLI has only the environment, read the POSIX way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

export type CliLanguage = 'en' | 'zh-cn';

/**
 * PAIRWISE_LANG forces a language (`zh-cn`, `zh`, `en`); otherwise the first set of LC_ALL,
 * LC_MESSAGES and LANG decides (POSIX precedence): `zh…` is Chinese, anything else English.
 */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const forced = env.PAIRWISE_LANG?.trim().toLowerCase();
  if (forced) return forced.startsWith('zh') ? 'zh-cn' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

/**
 * Loads the bundle shipped beside the CLI (`dist/cli.js` → `l10n/bundle.l10n.zh-cn.json`). A missing
 * or unreadable bundle leaves English rather than stopping the command. Returns the language in effect.
 */
export function configureCliL10n(env: NodeJS.ProcessEnv, cliDir: string): CliLanguage {
  const lang = cliLanguage(env);
  if (lang === 'en') return 'en';
  try {
    const bundle = path.resolve(cliDir, '..', 'l10n', `bundle.l10n.${lang}.json`);
    l10n.config({ contents: JSON.parse(fs.readFileSync(bundle, 'utf8')) as Record<string, string> });
    return lang;
  } catch {
    return 'en';
  }
}
