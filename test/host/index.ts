// Mocha runner loaded by the extension host as --extensionTestsPath. VS Code
// calls run() after the extension under development is registered and exits
// the extension host with 0 when the returned promise resolves, 1 when it rejects.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';

const TEST_FILE_SUFFIX = '.host.test.js';

/**
 * Prefix on every console message the extension host writes during the run. In
 * code-server the extension host's console output reaches the browser through
 * the workbench's log service, mixed with the workbench's own log lines, so the
 * launcher (test/host/launcher.ts) prints only the lines that carry this prefix.
 */
export const HOST_OUTPUT_MARKER = '[hunt-lens-host] ';

/** The counting reporter stays a plain .js file in test/support, outside tsc's output. */
const COUNTING_REPORTER = resolve(__dirname, '..', '..', '..', 'test', 'support', 'countingReporter.js');

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

function withMarker(forward: (...args: unknown[]) => void): (...args: unknown[]) => void {
  return (...args: unknown[]): void => {
    if (typeof args[0] === 'string') {
      forward(HOST_OUTPUT_MARKER + args[0], ...args.slice(1));
    } else {
      forward(HOST_OUTPUT_MARKER, ...args);
    }
  };
}

/**
 * Prefixes the marker to every console call until the returned function undoes it.
 * The extension host forwards console calls through getters whose setters ignore
 * assignment (VS Code 1.139), so the methods are redefined with defineProperty.
 * Mocha's reporters keep their own reference to console.log from load time, so
 * Base.consoleLog is pointed at the marked console too.
 */
function markConsoleOutput(): () => void {
  const restores: Array<() => void> = [];
  for (const method of CONSOLE_METHODS) {
    const descriptor = Object.getOwnPropertyDescriptor(console, method);
    if (descriptor && !descriptor.configurable) {
      continue;
    }
    const forward: (...args: unknown[]) => void = console[method].bind(console);
    Object.defineProperty(console, method, {
      configurable: true,
      enumerable: descriptor?.enumerable ?? true,
      writable: true,
      value: withMarker(forward),
    });
    restores.push(() => {
      if (descriptor) {
        Object.defineProperty(console, method, descriptor);
      }
    });
  }

  const base = Mocha.reporters.Base;
  const previousConsoleLog = base.consoleLog;
  base.consoleLog = (...args: unknown[]): void => console.log(...args);
  restores.push(() => {
    base.consoleLog = previousConsoleLog;
  });

  return () => {
    for (const restore of restores.reverse()) {
      restore();
    }
  };
}

function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...findTestFiles(path));
    } else if (entry.name.endsWith(TEST_FILE_SUFFIX)) {
      files.push(path);
    }
  }
  return files.sort();
}

/**
 * Runs every out/test/host/**\/*.host.test.js file. The counting reporter writes
 * the pass, fail and skip counts to $HUNT_LENS_RESULTS_FILE when it is set.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: COUNTING_REPORTER,
  });
  const files = findTestFiles(__dirname);
  if (files.length === 0) {
    return Promise.reject(new Error(`No *${TEST_FILE_SUFFIX} files found under ${__dirname}; run "npx tsc -p ." first.`));
  }
  for (const file of files) {
    mocha.addFile(file);
  }

  const restoreConsole = markConsoleOutput();
  return new Promise<void>((resolvePromise, reject) => {
    try {
      mocha.run((failures) => {
        restoreConsole();
        if (failures > 0) {
          reject(new Error(`${failures} extension-host test(s) failed.`));
        } else {
          resolvePromise();
        }
      });
    } catch (error) {
      restoreConsole();
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
