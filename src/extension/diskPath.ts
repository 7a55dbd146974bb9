/**
 * The file path behind a URI a command was given. Menus match by file extension, so a command can
 * be run on the `git:` side of a diff, an untitled editor or a virtual file system: its fsPath
 * names the working copy (or nothing), not the text shown. Those are refused, saying why.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

export function diskPath(uri: vscode.Uri): string {
  if (uri.scheme === 'file') return uri.fsPath;
  throw new Error(vscode.l10n.t('{0} is not a file on disk ({1}); open the file itself, or save the editor to a file first', path.posix.basename(uri.path) || uri.toString(), uri.scheme));
}
