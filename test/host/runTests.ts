// Entry point of the extension-host test tier: `node out/test/host/runTests.js`.
// It runs @vscode/test-electron's runTests with test/host/code-server-launcher as
// the VS Code executable, so the tests in out/test/host/**/*.host.test.js run in
// code-server and headless Chromium instead of a downloaded VS Code build.
//
// Environment:
//   HUNT_LENS_RESULTS_FILE  where the counts JSON goes
//                           (default test-results/host-results.json)
//   HUNT_LENS_HOST_TIMEOUT_MS, HUNT_LENS_HOST_VERBOSE  see test/host/launcher.ts
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { makeTestCertificate } from '../support/certificate';
import { locateTestHost } from '../support/testHost';

const repoRoot = resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const bundle = join(repoRoot, 'dist', 'extension.js');
  if (!existsSync(bundle)) {
    console.error(`Extension bundle not found: ${bundle}. Run "npm run build" first.`);
    return 2;
  }
  try {
    locateTestHost();
  } catch (error) {
    // The message names the install command.
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }

  const resultsFile = resolve(process.env.HUNT_LENS_RESULTS_FILE ?? join(repoRoot, 'test-results', 'host-results.json'));
  rmSync(resultsFile, { force: true });
  const stateDir = mkdtempSync(join(tmpdir(), 'hunt-lens-host-tests-'));
  // The tests write workspace settings, so they get a copy of the fixture workspace.
  const workspaceDir = join(stateDir, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceDir, { recursive: true });
  // The query tests' HTTPS server uses this certificate; NODE_EXTRA_CA_CERTS makes
  // the extension host trust it, because Node reads that variable only at start-up.
  const certificate = makeTestCertificate(stateDir);

  try {
    await runTests({
      vscodeExecutablePath: join(repoRoot, 'test', 'host', 'code-server-launcher'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'host', 'index.js'),
      launchArgs: [
        workspaceDir,
        '--disable-extensions',
        `--user-data-dir=${join(stateDir, 'user-data')}`,
        `--extensions-dir=${join(stateDir, 'extensions')}`,
      ],
      // runTests merges this into its own environment for the launcher, which
      // passes it on to code-server and so to the extension host.
      extensionTestsEnv: {
        HUNT_LENS_RESULTS_FILE: resultsFile,
        HUNT_LENS_LAUNCHER_NODE: process.execPath,
        NODE_EXTRA_CA_CERTS: certificate.certPath,
        HUNT_LENS_TEST_CERT_DIR: stateDir,
        HUNT_LENS_TEST_STATE_DIR: stateDir,
        // A fresh token per run; the extension accepts it only in test mode.
        HUNT_LENS_TEST_TOKEN: `test-token-${randomUUID()}`,
      },
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      return error.code ?? 1;
    }
    throw error;
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }

  if (!existsSync(resultsFile)) {
    console.error(`The tests passed but wrote no counts to ${resultsFile}; HUNT_LENS_RESULTS_FILE did not reach the extension host.`);
    return 1;
  }
  console.log(`Counts in ${resultsFile}: ${readFileSync(resultsFile, 'utf8').trim()}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
