// Builds the production bundles and packages them into hunt-lens-<version>.vsix.
// Dependencies are bundled by esbuild, so vsce packs no node_modules.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const output = join(root, `hunt-lens-${version}.vsix`);

function run(program, args) {
  const result = spawnSync(program, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${program} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
    process.exit(1);
  }
}

run('node', ['scripts/build.mjs', '--production']);
run('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--out', output]);
console.log(`Packaged ${output}`);
