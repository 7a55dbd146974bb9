/**
 * Imported first by main.ts: configures the language before any other CLI module is evaluated,
 * because the help texts are translated when their modules load. __dirname is dist/ in the bundle.
 */
import { configureCliL10n } from './cliLanguage';

configureCliL10n(process.env, __dirname);
