// Mocha reporter for the test tiers: mocha's Spec output, plus the run's counts
// written as {"passed": n, "failed": n, "skipped": n} to the file named by
// HUNT_LENS_RESULTS_FILE (or reporterOptions.resultsFile) when the run ends.
// scripts/test.mjs reads those files to print one summary line for all tiers.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class CountingReporter extends Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const resultsFile = options.reporterOptions?.resultsFile ?? process.env.HUNT_LENS_RESULTS_FILE;
    if (!resultsFile) {
      return;
    }
    runner.once(EVENT_RUN_END, () => {
      const counts = {
        passed: this.stats.passes,
        failed: this.stats.failures,
        skipped: this.stats.pending,
      };
      fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
      fs.writeFileSync(resultsFile, JSON.stringify(counts) + '\n');
    });
  }
}

CountingReporter.description = 'spec output plus counts JSON in HUNT_LENS_RESULTS_FILE';

module.exports = CountingReporter;
