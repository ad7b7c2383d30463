// Shared helpers for the two test tiers that need a real workbench: the
// extension-host tier (test/host) and the end-to-end tier (test/e2e). Both run
// the extension in code-server, which scripts/install-test-host.mjs installs with
// its own Node 24, and open the workbench in Debian's Chromium through
// playwright-core. Every server binds 127.0.0.1 and every temp folder is fresh.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const INSTALL_COMMAND = 'node scripts/install-test-host.mjs';

/** Paths of an installed test host, as recorded in <host dir>/host.json by the installer. */
export interface TestHostPaths {
  hostDir: string;
  /** The Node 24 binary that code-server must run on. */
  node: string;
  /** code-server's CLI and server entry point (out/node/entry.js). */
  codeServerEntry: string;
  chromium: string;
}

/** Returns the installer's cache folder: $HUNT_LENS_TEST_HOST_DIR or ~/.cache/hunt-lens/test-host. */
export function testHostDir(): string {
  return resolve(process.env.HUNT_LENS_TEST_HOST_DIR ?? join(homedir(), '.cache', 'hunt-lens', 'test-host'));
}

/**
 * Locates the installed host, and throws an error that names the install command
 * when the marker, Node 24, code-server or Chromium is missing.
 */
export function locateTestHost(): TestHostPaths {
  const hostDir = testHostDir();
  const markerPath = join(hostDir, 'host.json');
  const notInstalled = (reason: string): Error =>
    new Error(`Test host not installed: ${reason}. Run "${INSTALL_COMMAND}" from the repository root first.`);

  let marker: { node?: unknown; codeServerEntry?: unknown };
  try {
    marker = JSON.parse(readFileSync(markerPath, 'utf8')) as typeof marker;
  } catch {
    throw notInstalled(`${markerPath} is missing or invalid`);
  }
  if (typeof marker.node !== 'string' || !existsSync(marker.node)) {
    throw notInstalled(`Node 24 binary ${String(marker.node)} not found`);
  }
  if (typeof marker.codeServerEntry !== 'string' || !existsSync(marker.codeServerEntry)) {
    throw notInstalled(`code-server entry ${String(marker.codeServerEntry)} not found`);
  }
  const chromiumPath = process.env.HUNT_LENS_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    throw notInstalled(`Chromium not found at ${chromiumPath}`);
  }
  return { hostDir, node: marker.node, codeServerEntry: marker.codeServerEntry, chromium: chromiumPath };
}

/**
 * User settings written into every fresh user-data folder. They keep the
 * workbench quiet and offline: no workspace-trust prompt, no telemetry, no
 * update or recommendation checks, and no welcome page over the test editors.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
};

export interface StartCodeServerOptions {
  /** Settings merged over DEFAULT_SETTINGS in <user-data-dir>/User/settings.json. */
  settings?: Record<string, unknown>;
  /** .vsix files installed with `code-server --install-extension` before the server starts. */
  installExtensions?: string[];
  /** User-data folder to use (created if missing) instead of a fresh one in the temp folder. */
  userDataDir?: string;
  /** Extensions folder to use (created if missing) instead of a fresh one in the temp folder. */
  extensionsDir?: string;
  /** Extra environment for the server and so for its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Extra code-server arguments. */
  extraArgs?: string[];
  /** Receives each line code-server prints. Defaults to dropping them; they are kept for error messages. */
  onOutput?: (line: string) => void;
  /** Maximum wait for code-server to print its address, in milliseconds. Default 60 000. */
  startTimeoutMs?: number;
}

/** A running code-server and the temp folder that contains its state. */
export interface CodeServer {
  /** Base URL, for example http://127.0.0.1:41234/ */
  url: string;
  port: number;
  /** Authority of the vscode-remote:// URIs this server's workbench uses (code-server 4.139 serves "remote"). */
  remoteAuthority: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  process: ChildProcess;
  /** The last lines code-server printed, for error messages. */
  recentOutput(): string;
  /** Stops the server's process group and deletes the temp folder. Safe to call more than once. */
  stop(): Promise<void>;
}

const LISTENING_PATTERN = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+)\/?)/;
const MAX_KEPT_OUTPUT_LINES = 200;

/** Process groups started here that are still running. An exit handler kills them if Node exits first. */
const runningGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of runningGroups) {
    killGroup(pid, 'SIGKILL');
  }
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown> | undefined): void {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const merged = { ...DEFAULT_SETTINGS, ...settings };
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(merged, null, 2) + '\n');
}

/**
 * Returns the environment code-server runs with. XDG folders point into the temp
 * folder so code-server writes no config under $HOME, TMPDIR too so its IPC
 * sockets are deleted with the folder, and EXTENSIONS_GALLERY is empty so
 * neither the server nor the workbench contacts a marketplace.
 */
function serverEnv(tempDir: string, extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const serverTmp = join(tempDir, 'tmp');
  mkdirSync(serverTmp, { recursive: true });
  return {
    ...process.env,
    ...extra,
    XDG_CONFIG_HOME: join(tempDir, 'xdg-config'),
    XDG_DATA_HOME: join(tempDir, 'xdg-data'),
    TMPDIR: serverTmp,
    EXTENSIONS_GALLERY: '{}',
  };
}

/** Installs a .vsix with code-server's CLI into the given folders; throws with the CLI output on failure. */
export function installExtension(
  host: TestHostPaths,
  vsixPath: string,
  dirs: { userDataDir: string; extensionsDir: string; env: NodeJS.ProcessEnv },
): void {
  if (!existsSync(vsixPath)) {
    throw new Error(`Extension package not found: ${vsixPath}`);
  }
  const result = spawnSync(
    host.node,
    [
      host.codeServerEntry,
      '--user-data-dir',
      dirs.userDataDir,
      '--extensions-dir',
      dirs.extensionsDir,
      '--force',
      '--install-extension',
      vsixPath,
    ],
    { env: dirs.env, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.error || result.status !== 0) {
    const reason = result.error?.message ?? `exit code ${String(result.status ?? result.signal)}`;
    throw new Error(`code-server --install-extension ${vsixPath} failed (${reason}):\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Starts code-server on 127.0.0.1 with a port the OS picks, no authentication,
 * the smoke-test driver enabled (so the workbench honours the `payload` query
 * parameter and calls window.codeAutomationExit) and fresh state folders.
 * The server runs in its own process group, which stop() kills.
 */
export async function startCodeServer(options: StartCodeServerOptions = {}): Promise<CodeServer> {
  const host = locateTestHost();
  const tempDir = mkdtempSync(join(tmpdir(), 'hunt-lens-code-server-'));
  const userDataDir = options.userDataDir ?? join(tempDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(tempDir, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, options.settings);
  const env = serverEnv(tempDir, options.env);

  try {
    for (const vsix of options.installExtensions ?? []) {
      installExtension(host, vsix, { userDataDir, extensionsDir, env });
    }
  } catch (error) {
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }

  const args = [
    host.codeServerEntry,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--vscode-option',
    'enable-smoke-test-driver',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(host.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    // spawn() reports why (for example ENOENT) in an 'error' event emitted after it returns.
    const error = await new Promise<Error>((resolvePromise) => child.once('error', resolvePromise));
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`Failed to start code-server with ${host.node}: ${error.message}`);
  }
  runningGroups.add(pid);

  const outputLines: string[] = [];
  const recentOutput = (): string => outputLines.join('\n');
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= stopGroup(child, pid).finally(() => {
      runningGroups.delete(pid);
      rmSync(tempDir, { recursive: true, force: true });
    });
    return stopped;
  };

  try {
    const url = await waitForAddress(child, outputLines, options);
    const port = Number(new URL(url).port);
    const remoteAuthority = await readRemoteAuthority(url);
    return {
      url,
      port,
      remoteAuthority,
      tempDir,
      userDataDir,
      extensionsDir,
      process: child,
      recentOutput,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Collects code-server's output and resolves with its URL once it prints "HTTP server listening on …". */
function waitForAddress(child: ChildProcess, outputLines: string[], options: StartCodeServerOptions): Promise<string> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise<string>((resolvePromise, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      finish(new Error(`code-server did not print its address within ${timeoutMs} ms. Output:\n${outputLines.join('\n')}`));
    }, timeoutMs);

    function finish(result: Error | string): void {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (typeof result === 'string') {
        resolvePromise(result);
      } else {
        reject(result);
      }
    }

    const onLine = (line: string): void => {
      outputLines.push(line);
      if (outputLines.length > MAX_KEPT_OUTPUT_LINES) {
        outputLines.shift();
      }
      options.onOutput?.(line);
      const match = LISTENING_PATTERN.exec(line);
      if (match?.[1]) {
        finish(match[1]);
      }
    };
    forwardLines(child.stdout, onLine);
    forwardLines(child.stderr, onLine);
    child.once('error', (error) => finish(new Error(`code-server failed to start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      finish(new Error(`code-server exited with ${String(code ?? signal)} before listening. Output:\n${outputLines.join('\n')}`));
    });
  });
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) {
    return;
  }
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      onLine(line);
    }
  });
  stream.on('end', () => {
    if (pending) {
      onLine(pending);
    }
  });
}

/**
 * Reads the remote authority from the workbench page's configuration, because the
 * folder and payload URIs must carry exactly that authority.
 */
async function readRemoteAuthority(url: string): Promise<string> {
  const response = await fetch(url);
  const html = await response.text();
  const match = /remoteAuthority&quot;:&quot;([^&]+)&quot;/.exec(html);
  if (!response.ok || !match?.[1]) {
    throw new Error(`Could not read remoteAuthority from the workbench page at ${url} (HTTP ${response.status}).`);
  }
  return match[1];
}

/** Sends SIGTERM to the group, then SIGKILL if the leader is still running after 10 s. */
async function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  const exited = child.exitCode !== null || child.signalCode !== null;
  const exit = exited ? Promise.resolve() : new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  killGroup(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolvePromise) => {
    timer = setTimeout(() => resolvePromise('timeout'), 10_000);
  });
  await Promise.race([exit, timeout]);
  clearTimeout(timer);
  // Children of the server (extension host, file watcher, pty host) share the
  // group and may outlive the leader, so the group gets SIGKILL in every case.
  killGroup(pid, 'SIGKILL');
}

/** Returns the vscode-remote:// URI string for a path on the server's machine. */
export function remoteUri(server: Pick<CodeServer, 'remoteAuthority'>, fsPath: string): string {
  const absolute = resolve(fsPath);
  const encodedPath = absolute.split('/').map(encodeURIComponent).join('/');
  return `vscode-remote://${server.remoteAuthority}${encodedPath}`;
}

export interface WorkbenchTarget {
  /** Folder to open, as a path on the server's machine. */
  folder?: string;
  /** .code-workspace file to open, as a path on the server's machine. */
  workspace?: string;
  /** [key, value] pairs the web workbench reads from its `payload` query parameter. */
  payload?: Array<[string, string]>;
}

/**
 * Builds the workbench URL. The web workbench (VS Code 1.139's workbench.js) reads
 * `folder` and `workspace` as paths on the remote and `payload` as a JSON array
 * of [key, value] pairs, which it honours only with the smoke-test driver enabled.
 */
export function workbenchUrl(server: Pick<CodeServer, 'url'>, target: WorkbenchTarget): string {
  const query = new URLSearchParams();
  if (target.folder !== undefined) {
    query.set('folder', resolve(target.folder));
  } else if (target.workspace !== undefined) {
    query.set('workspace', resolve(target.workspace));
  } else {
    query.set('ew', 'true');
  }
  if (target.payload && target.payload.length > 0) {
    query.set('payload', JSON.stringify(target.payload));
  }
  return `${server.url.replace(/\/$/, '')}/?${query.toString()}`;
}

/** Chromium flags for a headless, offline, throwaway browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Resolve no host name except the loopback address the server binds.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and deletes its profile folder. Safe to call more than once. */
  close(): Promise<void>;
}

export interface LaunchBrowserOptions {
  /** Viewport size in CSS pixels. Default 1600 × 1000. */
  viewport?: { width: number; height: number };
  /** Called with the first page before it navigates, to expose functions or add listeners. */
  beforeNavigate?: (page: Page) => Promise<void>;
}

/** Launches Chromium headless with a fresh profile through playwright-core. */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<Browser> {
  const host = locateTestHost();
  const profileDir = mkdtempSync(join(tmpdir(), 'hunt-lens-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: host.chromium,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      // Chromium writes crash reports under $XDG_CONFIG_HOME/chromium even with a
      // separate profile folder, so its XDG folders live in the profile folder too.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(profileDir, 'xdg-config'),
        XDG_CACHE_HOME: join(profileDir, 'xdg-cache'),
      },
    });
  } catch (error) {
    rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= context.close().finally(() => rmSync(profileDir, { recursive: true, force: true }));
    return closed;
  };
  try {
    await options.beforeNavigate?.(page);
  } catch (error) {
    await close();
    throw error;
  }
  return { context, page, close };
}

/** Closes the browser and stops the server, whichever exist, and reports the first error. */
export async function stopAll(...parts: Array<{ close(): Promise<void> } | { stop(): Promise<void> } | undefined>): Promise<void> {
  const errors: unknown[] = [];
  for (const part of parts) {
    if (!part) {
      continue;
    }
    try {
      await ('close' in part ? part.close() : part.stop());
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) {
    throw errors[0];
  }
}

/** Returns $HUNT_LENS_VSIX, or the most recently modified *.vsix in `repoRoot`; throws when there is none. */
export function findVsix(repoRoot: string): string {
  if (process.env.HUNT_LENS_VSIX) {
    return resolve(process.env.HUNT_LENS_VSIX);
  }
  const newest = readdirSync(repoRoot)
    .filter((name) => name.endsWith('.vsix'))
    .map((name) => join(repoRoot, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) {
    throw new Error(`No *.vsix in ${repoRoot}. Run "npm run package" first, or set HUNT_LENS_VSIX.`);
  }
  return newest;
}
