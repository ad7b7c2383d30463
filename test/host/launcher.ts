// Stands in for the VS Code executable that @vscode/test-electron's runTests
// spawns (through test/host/code-server-launcher). It accepts the VS Code
// command line runTests builds, runs the extension tests in code-server opened
// in headless Chromium, prints the tests' output, and exits with the tests'
// exit code.
//
// Environment:
//   HUNT_LENS_HOST_TIMEOUT_MS  maximum run time in milliseconds (default 600 000)
//   HUNT_LENS_HOST_VERBOSE=1   also print code-server's output and the workbench's
//                              own console messages as they arrive; without it they
//                              are printed only when the run fails
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import {
  launchBrowser,
  remoteUri,
  startCodeServer,
  stopAll,
  workbenchUrl,
  type Browser,
  type CodeServer,
  type WorkbenchTarget,
} from '../support/testHost';
import { HOST_OUTPUT_MARKER } from './index';

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const KEPT_WORKBENCH_MESSAGES = 200;
const CONSOLE_DRAIN_TIMEOUT_MS = 5_000;

/** The parts of a VS Code command line that this launcher acts on. */
export interface LauncherArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  disableExtensions: boolean;
  /** Folder or .code-workspace file to open. Undefined opens an empty window. */
  target?: string;
  /** Arguments that code-server cannot honour, reported as warnings. */
  ignored: string[];
}

/** Electron and desktop flags that runTests adds and code-server has no use for; dropped silently. */
const DESKTOP_ONLY_FLAGS = new Set([
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-gpu',
  '--disable-updates',
  '--skip-welcome',
  '--skip-release-notes',
  '--no-cached-data',
  '--disable-workspace-trust',
  '--disable-telemetry',
  '--new-window',
]);

/** Options that take a value, written either as --name=value or as --name value. */
const VALUE_OPTIONS = new Set([
  '--extensionDevelopmentPath',
  '--extensionTestsPath',
  '--user-data-dir',
  '--extensions-dir',
  '--locale',
  '--log',
]);

/** Parses the VS Code command line that runTests passes. */
export function parseLauncherArgs(argv: readonly string[]): LauncherArgs {
  const parsed: LauncherArgs = { extensionDevelopmentPaths: [], disableExtensions: false, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      parsed.target = resolve(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    let value: string | undefined;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else if (VALUE_OPTIONS.has(name) && i + 1 < argv.length) {
      value = argv[++i];
    }

    switch (name) {
      case '--extensionDevelopmentPath':
        if (value) parsed.extensionDevelopmentPaths.push(resolve(value));
        break;
      case '--extensionTestsPath':
        if (value) parsed.extensionTestsPath = resolve(value);
        break;
      case '--user-data-dir':
        if (value) parsed.userDataDir = resolve(value);
        break;
      case '--extensions-dir':
        if (value) parsed.extensionsDir = resolve(value);
        break;
      case '--disable-extensions':
        parsed.disableExtensions = true;
        break;
      default:
        if (!DESKTOP_ONLY_FLAGS.has(name)) {
          parsed.ignored.push(value !== undefined && equals === -1 ? `${arg} ${value}` : arg);
        }
    }
  }
  return parsed;
}

/** Builds the folder or workspace and the payload that the web workbench reads from its URL. */
export function buildWorkbenchTarget(args: LauncherArgs, server: Pick<CodeServer, 'remoteAuthority'>): WorkbenchTarget {
  const payload: Array<[string, string]> = [];
  for (const devPath of args.extensionDevelopmentPaths) {
    payload.push(['extensionDevelopmentPath', remoteUri(server, devPath)]);
  }
  if (args.extensionTestsPath) {
    payload.push(['extensionTestsPath', remoteUri(server, args.extensionTestsPath)]);
  }
  if (args.disableExtensions) {
    payload.push(['disableExtensions', 'true']);
  }
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);

  const target: WorkbenchTarget = { payload };
  if (args.target?.endsWith('.code-workspace')) {
    target.workspace = args.target;
  } else if (args.target) {
    target.folder = args.target;
  }
  return target;
}

/** First argument of a workbench log-service line, for example "%c INFO"; the CSS argument follows it. */
const LOG_SERVICE_PREFIX = /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)$/;

/**
 * Returns the extension host's text when a console message carries
 * HOST_OUTPUT_MARKER, or undefined for the workbench's own messages. The
 * extension host's output arrives as a log-service line: ["%c INFO", css,
 * format, ...args], where format and args are the extension host's console call.
 */
export function hostOutputText(values: readonly unknown[]): string | undefined {
  const call = typeof values[0] === 'string' && LOG_SERVICE_PREFIX.test(values[0]) ? values.slice(2) : values;
  const [first, ...args] = call;
  if (typeof first !== 'string' || !first.startsWith(HOST_OUTPUT_MARKER)) {
    return undefined;
  }
  const rest = first.slice(HOST_OUTPUT_MARKER.length);
  return rest === '' ? format(...args) : format(rest, ...args);
}

/** Reads the console message's arguments as values, or returns its text when they cannot be read. */
async function consoleValues(message: ConsoleMessage): Promise<unknown[]> {
  const handles = message.args();
  if (handles.length === 0) {
    return [message.text()];
  }
  try {
    return await Promise.all(handles.map((handle): Promise<unknown> => handle.jsonValue()));
  } catch {
    return [message.text()];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown into a pending startup step when the run already has an outcome (signal or timeout). */
class RunEnded extends Error {
  constructor(readonly code: number) {
    super(`run ended with exit code ${code}`);
  }
}

/** Returns an error message for unusable arguments or settings, or undefined when the run can start. */
function validate(args: LauncherArgs, timeoutMs: number): string | undefined {
  if (args.extensionTestsPath === undefined) {
    return 'missing --extensionTestsPath; this launcher only runs extension tests.';
  }
  if (args.extensionDevelopmentPaths.length === 0) {
    return 'missing --extensionDevelopmentPath.';
  }
  if (args.target !== undefined && !isDirectory(args.target) && !args.target.endsWith('.code-workspace')) {
    return `workspace folder not found: ${args.target}`;
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return `invalid HUNT_LENS_HOST_TIMEOUT_MS ${JSON.stringify(process.env.HUNT_LENS_HOST_TIMEOUT_MS)}; expected a positive number of milliseconds.`;
  }
  return undefined;
}

export async function runLauncher(argv: readonly string[]): Promise<number> {
  const args = parseLauncherArgs(argv);
  const timeoutMs = Number(process.env.HUNT_LENS_HOST_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  const problem = validate(args, timeoutMs);
  if (problem) {
    console.error(`launcher: ${problem}`);
    return 2;
  }
  for (const arg of args.ignored) {
    console.error(`launcher: ignoring argument that code-server does not support: ${arg}`);
  }
  const verbose = process.env.HUNT_LENS_HOST_VERBOSE === '1';

  // Without --user-data-dir and --extensions-dir the run gets its own folders,
  // deleted at exit. DEFAULT_SETTINGS in testHost.ts overwrite User/settings.json
  // in whichever user-data folder is used.
  const scratch = mkdtempSync(join(tmpdir(), 'hunt-lens-launcher-'));
  const userDataDir = args.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = args.extensionsDir ?? join(scratch, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });

  // The outcome settles once, with the first of: the tests' exit code, a
  // signal, the timeout, or a crash of the page or the server.
  // testsExited records whether the outcome is the exit code the workbench reported for the tests.
  let testsExited = false;
  let settled = false;
  let resolveOutcome: (code: number) => void = () => undefined;
  const outcome = new Promise<number>((resolvePromise) => {
    resolveOutcome = resolvePromise;
  });
  const settle = (code: number, fromTests = false): void => {
    if (!settled) {
      settled = true;
      testsExited = fromTests;
      resolveOutcome(code);
    }
  };
  const ended = outcome.then((code) => Promise.reject(new RunEnded(code)));
  ended.catch(() => undefined);
  const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, ended]);

  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`launcher: received ${signal}, stopping code-server and Chromium.`);
    settle(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = setTimeout(() => {
    console.error(
      `launcher: timed out after ${timeoutMs} ms waiting for the extension tests to finish ` +
        '(set HUNT_LENS_HOST_TIMEOUT_MS to change the limit).',
    );
    settle(1);
  }, timeoutMs);

  const workbenchMessages: string[] = [];
  let consoleQueue = Promise.resolve();
  const handleConsoleMessage = async (message: ConsoleMessage): Promise<void> => {
    const values = await consoleValues(message);
    const hostText = hostOutputText(values);
    if (hostText !== undefined) {
      console.log(hostText);
      return;
    }
    const line = `[workbench ${message.type()}] ${format(...values)}`;
    workbenchMessages.push(line);
    if (workbenchMessages.length > KEPT_WORKBENCH_MESSAGES) {
      workbenchMessages.shift();
    }
    if (verbose) {
      console.error(line);
    }
  };

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  // Kept so that a server or browser still starting when the run ends is stopped too.
  let serverStart: Promise<CodeServer> | undefined;
  let browserLaunch: Promise<Browser> | undefined;
  let code: number;
  try {
    serverStart = startCodeServer({
      userDataDir,
      extensionsDir,
      onOutput: verbose ? (line) => console.error(`[code-server] ${line}`) : undefined,
    });
    server = await step(serverStart);
    const activeServer = server;
    activeServer.process.once('exit', (exitCode, signal) => {
      console.error(`launcher: code-server exited with ${String(exitCode ?? signal)} before the tests finished.`);
      settle(1);
    });

    browserLaunch = launchBrowser({
      beforeNavigate: async (page) => {
        // The workbench calls this when the extension host running the tests exits.
        await page.exposeFunction('codeAutomationExit', (exitCode: unknown) => {
          settle(typeof exitCode === 'number' ? exitCode : 1, true);
        });
        page.on('console', (message) => {
          consoleQueue = consoleQueue.then(() => handleConsoleMessage(message)).catch(() => undefined);
        });
        page.on('pageerror', (error) => console.error(`[workbench page error] ${error.message}`));
        page.on('crash', () => {
          console.error('launcher: the workbench page crashed.');
          settle(1);
        });
      },
    });
    browser = await step(browserLaunch);

    const url = workbenchUrl(activeServer, buildWorkbenchTarget(args, activeServer));
    if (verbose) {
      console.error(`launcher: opening ${url}`);
    }
    await step(browser.page.goto(url));
    code = await outcome;
  } catch (error) {
    if (error instanceof RunEnded) {
      code = error.code;
    } else {
      console.error(`launcher: ${errorText(error)}`);
      code = 1;
    }
  }

  clearTimeout(timer);
  server?.process.removeAllListeners('exit');
  // Console messages are read asynchronously, so the queued ones are printed before the page closes.
  await Promise.race([consoleQueue, new Promise((resolvePromise) => setTimeout(resolvePromise, CONSOLE_DRAIN_TIMEOUT_MS).unref())]);
  if (code !== 0 && !verbose) {
    if (testsExited) {
      console.error('launcher: the tests failed; set HUNT_LENS_HOST_VERBOSE=1 to also see code-server and workbench output.');
    } else {
      printFailureContext(workbenchMessages, server);
    }
  }
  await stopAll(browser, server).catch((error: unknown) => {
    console.error(`launcher: cleanup failed: ${errorText(error)}`);
  });
  if (!browser || !server) {
    await stopPendingStarts(serverStart, browserLaunch);
  }
  rmSync(scratch, { recursive: true, force: true });
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  return code;
}

/**
 * Stops a server or browser whose start was still pending when the run ended,
 * waiting at most 15 s. Server groups not stopped by then are killed when Node exits.
 */
async function stopPendingStarts(serverStart: Promise<CodeServer> | undefined, browserLaunch: Promise<Browser> | undefined): Promise<void> {
  const stops: Array<Promise<void>> = [];
  if (serverStart) {
    stops.push(serverStart.then((started) => started.stop()).catch(() => undefined));
  }
  if (browserLaunch) {
    stops.push(browserLaunch.then((launched) => launched.close()).catch(() => undefined));
  }
  const timeout = new Promise<void>((resolvePromise) => setTimeout(resolvePromise, 15_000).unref());
  await Promise.race([Promise.all(stops), timeout]);
}

function printFailureContext(workbenchMessages: readonly string[], server: CodeServer | undefined): void {
  if (workbenchMessages.length > 0) {
    console.error(`launcher: last ${workbenchMessages.length} workbench console messages:`);
    for (const line of workbenchMessages) {
      console.error(line);
    }
  }
  const serverOutput = server?.recentOutput();
  if (serverOutput) {
    console.error('launcher: recent code-server output:');
    console.error(serverOutput);
  }
}

if (require.main === module) {
  runLauncher(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`launcher: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
