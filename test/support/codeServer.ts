/**
 * A real VS Code for tests and `npm start`: code-server 4.100.3 (VS Code 1.100.3, the last release
 * that runs on Node 20) driven by Debian's Chromium through playwright-core, as
 * ../shared/docs/test-host.md describes. Everything is installed on first use into `.vscode-test/`
 * (outside git) and reused afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');
const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.PAIRWISE_CHROMIUM ?? '/usr/bin/chromium';

const DEBIAN_PACKAGES = [
  { pkg: 'chromium', present: () => fs.existsSync(CHROMIUM) },
  // A CJK font, so the zh-cn screenshots show Chinese rather than empty boxes.
  { pkg: 'fonts-wqy-microhei', present: () => fs.existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc') },
  { pkg: 'ripgrep', present: () => fs.existsSync('/usr/bin/rg') },
  // A native module of VS Code needs gssapi/gssapi.h to build.
  { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') },
];

type Log = (msg: string) => void;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

/** Installs the Debian packages when running as root on Debian; elsewhere says exactly what to install. */
export function ensureDebianPackages(log: Log, needBrowser = true): void {
  const missing = DEBIAN_PACKAGES.filter((p) => (needBrowser || p.pkg !== 'chromium') && !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = fs.existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      `The integration and end-to-end tests need these Debian packages: ${missing.join(' ')}.\n` +
        `Install them with:  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
        `(or point PAIRWISE_CHROMIUM at another Chromium binary).`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Two test runs started at once on a fresh machine both came here, and the second apt-get failed
  // on the lock the first held ("Could not get lock /var/lib/apt/lists/lock"). Each apt-get now
  // waits for the other run's (the second then installs nothing); apt-get itself also waits for
  // the dpkg lock of anything else (unattended upgrades).
  runLocked(APT_LOCK, 'apt-get', ['update', '-qq'], env);
  runLocked(APT_LOCK, 'apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', ...missing], env);
}

export const FLOCK = '/usr/bin/flock';
/** Held by a test run's apt-get (ensureDebianPackages); opened read-only, so a planted link writes nothing. */
const APT_LOCK = path.join(os.tmpdir(), 'pairwise-test-apt.lock');

/** Runs `cmd` while holding `lock` (flock(1), waiting up to 20 minutes for it); without flock, at once. */
export function runLocked(lock: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv): void {
  if (fs.existsSync(FLOCK)) run(FLOCK, ['-w', '1200', lock, cmd, ...args], { env });
  else run(cmd, args, { env });
}

/**
 * `@vscode/ripgrep`'s postinstall downloads `rg` from GitHub, which these machines cannot reach;
 * it first looks for a cached archive, so we give it one made from Debian's `rg`.
 */
function seedRipgrepCache(log: Log): void {
  const dir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (fs.existsSync(archive) || process.arch !== 'x64') return;
  log(`seeding ${archive} with /usr/bin/rg`);
  fs.mkdirSync(dir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-stage-'));
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  run('tar', ['-czf', archive, '-C', stage, 'rg']);
  fs.rmSync(stage, { recursive: true, force: true });
}

/**
 * A `.vscode-test` that is a symbolic link leading nowhere (or to itself, as one committed by
 * mistake once did) made every install fail with ELOOP; a link to a real cache folder is kept.
 */
function dropDanglingCacheLink(log: Log): void {
  let isLink = false;
  try {
    isLink = fs.lstatSync(CACHE_DIR).isSymbolicLink();
  } catch {
    return;
  }
  if (!isLink) return;
  try {
    if (fs.statSync(CACHE_DIR).isDirectory()) return;
  } catch {
    // ELOOP or ENOENT: the link leads nowhere.
  }
  log(`${path.relative(REPO_ROOT, CACHE_DIR)} is a symbolic link that leads to no folder; replacing it with a folder`);
  fs.unlinkSync(CACHE_DIR);
}

/** Installs code-server into the cache on first use (about 80 s); later calls reuse it. */
export function ensureCodeServer(log: Log): string {
  dropDanglingCacheLink(log);
  const marker = path.join(CODE_SERVER_DIR, '.installed');
  if (fs.existsSync(marker) && fs.existsSync(CODE_SERVER_BIN)) return CODE_SERVER_BIN;
  seedRipgrepCache(log);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, CODE_SERVER_DIR)} (first run only)`);
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'pairwise-test-host', private: true }));
  const env = {
    ...process.env,
    // As root the postinstall refuses to run without unsafe_perm; node-pty's nested `npx node-gyp` needs `yes`.
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: CODE_SERVER_DIR, env });
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error(`code-server did not install: ${CODE_SERVER_BIN} is missing`);
  fs.writeFileSync(marker, new Date().toISOString());
  return CODE_SERVER_BIN;
}

/** Everything the tests need; `npm start` passes needBrowser=false (the user brings a browser). */
export function ensureTestHost(log: Log = (m) => console.error(`[test-host] ${m}`), needBrowser = true): void {
  ensureDebianPackages(log, needBrowser);
  ensureCodeServer(log);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** Folder to open; also the default when the URL names no folder. */
  folder?: string;
  userDataDir: string;
  extensionsDir: string;
  port?: number;
  /** Keep Restricted Mode on (tests of untrusted workspaces). */
  workspaceTrust?: boolean;
  /** User settings written before the first start (on top of a quiet default). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Receives the server's output lines. */
  onOutput?: (line: string) => void;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(path.join(opts.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  const settingsFile = path.join(opts.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) {
    // A quiet workbench: no welcome page, tips or telemetry between the tests (or a new user) and the files.
    fs.writeFileSync(
      settingsFile,
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'workbench.welcomePage.walkthroughs.openOnInstall': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'update.mode': 'none',
          ...opts.settings,
        },
        null,
        2,
      ),
    );
  }
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  if (opts.folder) args.push(opts.folder);
  // Its own process group, so stop() ends the server and every process it started.
  const child = spawn(CODE_SERVER_BIN, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const forward = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.trim()) opts.onOutput?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited before answering on ${url}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, process: child, stop };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Reads name/publisher/version of the extension, for its folder name in an extensions dir. */
export function extensionId(): { id: string; folderName: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  return { id, folderName: `${id}-${pkg.version}` };
}

/**
 * Installs the extension under development into an extensions dir as a symlink to the repo, the
 * way test-host.md found that code-server loads it for the workbench UI (no dev payload).
 */
export function linkExtension(extensionsDir: string): void {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const target = path.join(extensionsDir, extensionId().folderName);
  fs.rmSync(target, { recursive: true, force: true });
  fs.symlinkSync(REPO_ROOT, target, 'dir');
}
