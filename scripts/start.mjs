// The main-job command (`npm start`): packages Hunt Lens, installs it into
// code-server and serves the sample hunting workspace on 127.0.0.1, so a new
// user can try the hunt library in a browser without installing VS Code.
//
// The sample is served from a copy in ~/.cache/hunt-lens/sample-workspace,
// made on the first run and kept afterwards (later runs add only files the
// copy lacks), because the browser workbench saves edits automatically and
// the repository's sample/ must stay as it is.
//
// Environment: HUNT_LENS_PORT (default 8080; each port keeps its own profile
// under ~/.cache/hunt-lens), HUNT_LENS_WORKSPACE (a folder to
// serve in place instead of the sample copy), HUNT_LENS_TEST_HOST_DIR (where
// code-server is installed).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_SETTINGS } from './profileSettings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.HUNT_LENS_PORT ?? 8080);
const workspace = process.env.HUNT_LENS_WORKSPACE
  ? resolve(process.env.HUNT_LENS_WORKSPACE)
  : join(homedir(), '.cache', 'hunt-lens', 'sample-workspace');
const hostDir = resolve(process.env.HUNT_LENS_TEST_HOST_DIR ?? join(homedir(), '.cache', 'hunt-lens', 'test-host'));
// One profile per port, so two servers started side by side do not share
// settings, window state or the installed extension.
const profileDir = join(homedir(), '.cache', 'hunt-lens', `start-profile-${port}`);

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Invalid HUNT_LENS_PORT "${process.env.HUNT_LENS_PORT}": use a port number from 1 to 65535.`);
  process.exit(2);
}

function run(program, args) {
  const result = spawnSync(program, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${program} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
    process.exit(1);
  }
}

if (!process.env.HUNT_LENS_WORKSPACE) {
  if (!existsSync(workspace)) {
    console.log(`Copying the sample workspace to ${workspace}`);
  }
  // Files the sample gained since an earlier copy (new data files, say) are
  // added; files already in the copy are left as the user saved them.
  cpSync(join(root, 'sample'), workspace, { recursive: true, force: false, errorOnExist: false });
}

run('node', ['scripts/install-test-host.mjs']);
run('node', ['scripts/package.mjs']);

const host = JSON.parse(readFileSync(join(hostDir, 'host.json'), 'utf8'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `hunt-lens-${version}.vsix`);
const userDataDir = join(profileDir, 'user-data');
const extensionsDir = join(profileDir, 'extensions');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
mkdirSync(extensionsDir, { recursive: true });

writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(PROFILE_SETTINGS, null, 2) + '\n');

const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(profileDir, 'xdg-config'),
  XDG_DATA_HOME: join(profileDir, 'xdg-data'),
  EXTENSIONS_GALLERY: '{}',
};
const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
const installed = spawnSync(host.node, [host.codeServerEntry, ...common, '--force', '--install-extension', vsix], {
  env,
  stdio: 'inherit',
});
if (installed.status !== 0) {
  console.error(`Installing ${vsix} into code-server failed.`);
  process.exit(1);
}

const server = spawn(
  host.node,
  [
    host.codeServerEntry,
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    workspace,
  ],
  { env, stdio: 'inherit' },
);
console.log(`\nHunt Lens is running in code-server with ${workspace}:`);
console.log(`open http://127.0.0.1:${port}/ in a browser (Ctrl+C stops it).\n`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
