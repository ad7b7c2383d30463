// Runs every test tier in order and prints one summary line over all of them:
// "N passed, N failed" (", N skipped" when any), alone on its line.
//
// Tiers: unit (mocha in Node), grammar (snapshots and corpus), server (the
// language server over LSP in its own process), host (mocha in a
// real extension host in code-server) and e2e (Playwright driving the
// workbench with the packaged .vsix installed). Every tier runs on every
// invocation; a tier that cannot start counts as a failure, never as a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const reporter = join(root, 'test/support/countingReporter.js');
const only = process.argv.slice(2);

/** Steps that must pass before any tier runs; each counts as one check in the summary. */
const checks = [
  { name: 'build', command: ['node', 'scripts/build.mjs'] },
  { name: 'typecheck and compile tests', command: ['npx', 'tsc', '-p', '.'] },
  { name: 'typecheck webview', command: ['npx', 'tsc', '-p', 'src/webview/app'] },
  { name: 'lint', command: ['npx', 'eslint', '.'] },
];

const mocha = (pattern) => ['npx', 'mocha', '--reporter', reporter, pattern];

const tiers = [
  // Reader tests write and read files, which can pass mocha's default 2 s on a busy machine.
  { name: 'unit', steps: [[...mocha('out/test/unit/**/*.test.js'), '--timeout', '20000']] },
  { name: 'grammar', steps: [mocha('out/test/grammar/**/*.test.js')] },
  // The language server tier spawns dist/server.js (built by the build check) and talks LSP to it.
  { name: 'server', steps: [[...mocha('out/test/server/**/*.test.js'), '--timeout', '30000']] },
  {
    name: 'host',
    steps: [['node', 'scripts/install-test-host.mjs'], ['node', 'out/test/host/runTests.js']],
  },
  {
    name: 'e2e',
    steps: [
      ['node', 'scripts/install-test-host.mjs'],
      ['node', 'scripts/package.mjs'],
      mocha('out/test/e2e/**/*.e2e.test.js'),
    ],
  },
];

function run(command, env = {}) {
  const [program, ...args] = command;
  console.log(`\n$ ${command.join(' ')}`);
  const result = spawnSync(program, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) {
    console.error(`Failed to start ${program}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function readCounts(file) {
  if (!existsSync(file)) {
    return undefined;
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: counts.passed ?? 0, failed: counts.failed ?? 0, skipped: counts.skipped ?? 0 };
}

function runTier(tier) {
  const file = join(resultsDir, `${tier.name}.json`);
  rmSync(file, { force: true });
  for (const step of tier.steps) {
    const status = run(step, { HUNT_LENS_RESULTS_FILE: file });
    if (status !== 0) {
      const counts = readCounts(file);
      if (counts && counts.failed > 0) {
        return counts;
      }
      console.error(`Tier ${tier.name}: "${step.join(' ')}" exited with ${status}; counted as one failure.`);
      return { passed: counts?.passed ?? 0, failed: (counts?.failed ?? 0) + 1, skipped: counts?.skipped ?? 0 };
    }
  }
  const counts = readCounts(file);
  if (!counts || counts.passed + counts.failed + counts.skipped === 0) {
    console.error(`Tier ${tier.name} ran no test; counted as one failure.`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  return counts;
}

function main() {
  mkdirSync(resultsDir, { recursive: true });
  const total = { passed: 0, failed: 0, skipped: 0 };
  const lines = [];

  for (const check of checks) {
    const ok = run(check.command) === 0;
    total[ok ? 'passed' : 'failed'] += 1;
    lines.push(`check ${check.name}: ${ok ? 'passed' : 'FAILED'}`);
  }

  const selected = only.length > 0 ? tiers.filter((tier) => only.includes(tier.name)) : tiers;
  if (total.failed === 0) {
    for (const tier of selected) {
      const counts = runTier(tier);
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
      lines.push(`tier ${tier.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    }
  } else {
    lines.push('tiers not run: a check failed');
    total.failed += selected.length;
  }

  // A skipped test under CI means a tier did not run what it claims to cover.
  if (process.env.CI === 'true' && total.skipped > 0) {
    lines.push(`CI=true: ${total.skipped} skipped tests count as failures`);
    total.failed += total.skipped;
  }

  console.log('\n' + lines.join('\n'));
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
  console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
  process.exit(total.failed > 0 ? 1 : 0);
}

main();
