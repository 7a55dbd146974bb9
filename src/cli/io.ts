import * as l10n from '@vscode/l10n';

/** The streams a command writes to, and the error that means "bad usage" (exit code 2). */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr, for the progress bar (only drawn when it is a TTY). */
  errStream: NodeJS.WriteStream;
}

export class UsageError extends Error {}

/** An input the command could not read: reported as a message, exit code 2. */
export class UnreadableError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Turns an fs error into a short sentence, without a stack trace. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return l10n.t('no such file');
    case 'EISDIR':
      return l10n.t('is a directory');
    case 'EACCES':
    case 'EPERM':
      return l10n.t('permission denied');
    case 'EEXIST':
      return l10n.t('already exists');
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
