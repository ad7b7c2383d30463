#!/usr/bin/env node
// Installs the test host that the extension-host and end-to-end test tiers run in:
// code-server (a VS Code build that serves the workbench over HTTP) on its own
// Node 24, opened in Debian's Chromium. No VS Code/Electron download is needed.
//
// The host lives in a cache folder outside node_modules so `npm ci` stays fast:
//   $HUNT_LENS_TEST_HOST_DIR, or ~/.cache/hunt-lens/test-host by default.
// Layout:
//   <dir>/node/         npm prefix holding the `node` package (a Node 24 binary)
//   <dir>/code-server/  npm prefix holding `code-server`, built with that Node 24
//   <dir>/host.json     marker with the installed versions and paths, written last
//   <dir>/install.lock/ held while an install runs (its pid file names the owner)
//
// Running it again is cheap: a marker that matches the pinned versions, and
// binaries that still report those versions, skip the install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM_PATH = process.env.HUNT_LENS_CHROMIUM ?? '/usr/bin/chromium';

const hostDir = resolve(process.env.HUNT_LENS_TEST_HOST_DIR ?? join(homedir(), '.cache', 'hunt-lens', 'test-host'));
const markerPath = join(hostDir, 'host.json');
const lockDir = join(hostDir, 'install.lock');
const lockPidPath = join(lockDir, 'pid');
/** How long to wait for another process's install before giving up. */
const LOCK_WAIT_MS = 20 * 60 * 1000;
const nodePrefix = join(hostDir, 'node');
const codeServerPrefix = join(hostDir, 'code-server');
const nodeBinary = join(nodePrefix, 'node_modules', 'node', 'bin', 'node');
const codeServerEntry = join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

class InstallError extends Error {}

function log(message) {
  console.log(`[install-test-host] ${message}`);
}

/** Runs a command with inherited output and throws InstallError when it exits non-zero. */
function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) {
    throw new InstallError(`failed to start ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new InstallError(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

/** Runs a command and returns its trimmed stdout, or undefined when it cannot run or fails. */
function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) {
    return undefined;
  }
  return result.stdout.trim();
}

function commandExists(name) {
  return capture('sh', ['-c', `command -v ${name}`]) !== undefined;
}

function debPackageInstalled(name) {
  const status = capture('dpkg-query', ['-W', '-f=${Status}', name]);
  return status === 'install ok installed';
}

/**
 * Lists the Debian packages this machine still needs. Chromium is needed to run
 * the tests. libkrb5-dev, a C++ toolchain and python3 are needed only while
 * code-server's postinstall builds its native modules (kerberos, node-pty and others)
 * with node-gyp.
 */
function missingDebPackages(needBuildTools) {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) {
    missing.push('chromium');
  }
  if (needBuildTools) {
    if (!debPackageInstalled('libkrb5-dev')) {
      missing.push('libkrb5-dev');
    }
    if (!commandExists('g++') || !commandExists('make')) {
      missing.push('build-essential');
    }
    if (!commandExists('python3')) {
      missing.push('python3');
    }
  }
  return missing;
}

function installDebPackages(packages) {
  if (packages.length === 0) {
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !commandExists('apt-get')) {
    throw new InstallError(
      `missing system packages: ${packages.join(', ')}. ` +
        `Install them (for example: sudo apt-get install -y ${packages.join(' ')}) and run this script again.`,
    );
  }
  log(`installing system packages: ${packages.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  if (packages.includes('chromium') && !existsSync(CHROMIUM_PATH)) {
    throw new InstallError(`chromium was installed but ${CHROMIUM_PATH} does not exist; set HUNT_LENS_CHROMIUM to its path.`);
  }
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Returns the environment for code-server's install and CLI: Node 24 first on
 * PATH, and XDG folders inside the cache so `code-server --version` never
 * writes a config under $HOME. The npm_* variables of an enclosing npm run
 * (`npm test`) are dropped, because npm reads them as its own configuration:
 * an inherited npm_config_user_agent names Node 20, and code-server's
 * postinstall rejects the install on that.
 */
function codeServerEnv() {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return {
    ...inherited,
    PATH: `${join(nodePrefix, 'node_modules', 'node', 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(hostDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(hostDir, 'xdg', 'data'),
  };
}

/** Checks that both binaries run and report the pinned versions; returns a reason when they do not. */
function validateInstall() {
  const nodeVersion = capture(nodeBinary, ['--version']);
  if (nodeVersion !== `v${NODE_VERSION}`) {
    return `${nodeBinary} --version printed ${JSON.stringify(nodeVersion)}, expected v${NODE_VERSION}`;
  }
  // The first run also logs "Wrote default config file …" to stdout, so look for the version line.
  const codeServerOutput = capture(nodeBinary, [codeServerEntry, '--version'], { env: codeServerEnv() });
  const versionLine = codeServerOutput?.split('\n').find((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
  if (versionLine === undefined) {
    return `code-server --version printed ${JSON.stringify(codeServerOutput)}, expected ${CODE_SERVER_VERSION}`;
  }
  return undefined;
}

function writePrefixPackageJson(prefix, name) {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name, private: true }, null, 2) + '\n');
}

/** Set once installHost() starts changing the cache folder, so a failure can say the host is incomplete. */
let installStarted = false;

function installHost() {
  installStarted = true;
  log(`installing into ${hostDir}`);
  rmSync(markerPath, { force: true });
  rmSync(nodePrefix, { recursive: true, force: true });
  rmSync(codeServerPrefix, { recursive: true, force: true });

  const npmFlags = ['--no-audit', '--no-fund', '--save-exact'];

  let started = Date.now();
  log(`step 1/2: node@${NODE_VERSION}`);
  writePrefixPackageJson(nodePrefix, 'hunt-lens-test-host-node');
  run('npm', ['install', '--prefix', nodePrefix, ...npmFlags, `node@${NODE_VERSION}`]);
  const nodeVersion = capture(nodeBinary, ['--version']);
  if (nodeVersion !== `v${NODE_VERSION}`) {
    throw new InstallError(`${nodeBinary} --version printed ${JSON.stringify(nodeVersion)}, expected v${NODE_VERSION}`);
  }
  log(`step 1/2 done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // code-server's postinstall reads the Node major version from npm_config_user_agent,
  // rejects anything but 24, and then runs `npm install` in lib/vscode to build the
  // native modules. Putting Node 24 first on PATH makes npm itself, and so every
  // nested script, run on it.
  started = Date.now();
  log(`step 2/2: code-server@${CODE_SERVER_VERSION} (builds native modules, takes a few minutes)`);
  writePrefixPackageJson(codeServerPrefix, 'hunt-lens-test-host-code-server');
  run('npm', ['install', '--prefix', codeServerPrefix, ...npmFlags, `code-server@${CODE_SERVER_VERSION}`], {
    env: codeServerEnv(),
  });
  log(`step 2/2 done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const problem = validateInstall();
  if (problem) {
    throw new InstallError(`installed host failed validation: ${problem}`);
  }
  const marker = {
    nodeVersion: NODE_VERSION,
    codeServerVersion: CODE_SERVER_VERSION,
    node: nodeBinary,
    codeServerEntry,
    installedAt: new Date().toISOString(),
  };
  writeFileSync(markerPath, JSON.stringify(marker, null, 2) + '\n');
}

function processIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function lockOwner() {
  try {
    return Number(readFileSync(lockPidPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Takes the install lock, so that `npm start` and `npm test` started at the
 * same time do not delete each other's half-finished install. A lock whose
 * owner has exited is taken over. Waits for a live owner by polling.
 */
function acquireLock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let reported = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(lockPidPath, String(process.pid));
      process.on('exit', () => rmSync(lockDir, { recursive: true, force: true }));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    }
    const owner = lockOwner();
    if (owner !== undefined && Number.isInteger(owner) && !processIsAlive(owner)) {
      log(`removing the stale lock of process ${owner}, which has exited`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InstallError(
        `timed out after ${LOCK_WAIT_MS / 60000} minutes waiting for process ${owner ?? '(unknown)'} to finish installing the test host; ` +
          `if no install is running, delete ${lockDir} and run again.`,
      );
    }
    if (!reported) {
      log(`waiting for process ${owner ?? '(starting)'}, which is installing the test host in ${hostDir}`);
      reported = true;
    }
    Atomics.wait(pause, 0, 0, 1000);
  }
}

function main() {
  const started = Date.now();
  mkdirSync(hostDir, { recursive: true });
  acquireLock();

  const marker = readMarker();
  const markerMatches = marker?.nodeVersion === NODE_VERSION && marker?.codeServerVersion === CODE_SERVER_VERSION;
  const problem = markerMatches ? validateInstall() : 'no install with the pinned versions';

  installDebPackages(missingDebPackages(problem !== undefined));

  if (problem === undefined) {
    log(`node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} already installed, skipping`);
  } else {
    log(`installing because: ${problem}`);
    installHost();
    log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  console.log(`host dir:     ${hostDir}`);
  console.log(`node:         ${nodeBinary}`);
  console.log(`code-server:  ${codeServerEntry}`);
  console.log(`chromium:     ${CHROMIUM_PATH}`);
  console.log(`marker:       ${markerPath}`);
}

try {
  main();
} catch (error) {
  if (error instanceof InstallError) {
    console.error(`[install-test-host] error: ${error.message}`);
    if (installStarted) {
      console.error(`[install-test-host] the host in ${hostDir} is incomplete; run "node scripts/install-test-host.mjs" again after fixing the cause.`);
    }
    process.exit(1);
  }
  throw error;
}

