// Reads the "Hunt Lens" log file that VS Code writes for the output channel
// under the test host's state folder (HUNT_LENS_TEST_STATE_DIR, set by runTests.ts).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function logFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...logFiles(path));
    } else if (entry.name.endsWith('Hunt Lens.log')) {
      found.push(path);
    }
  }
  return found;
}

/** Returns the text of every Hunt Lens log file of the test host. */
export function readHuntLensLog(): string {
  const stateFolder = process.env.HUNT_LENS_TEST_STATE_DIR;
  assert.ok(stateFolder, 'HUNT_LENS_TEST_STATE_DIR is not set; run the host tier through out/test/host/runTests.js');
  return logFiles(stateFolder)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/**
 * Waits until the log contains `text`. The log service writes the file on its
 * own schedule and sends no event, so this polls the file every 100 ms.
 */
export async function waitForLogText(text: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readHuntLensLog();
    if (log.includes(text)) {
      return log;
    }
    if (Date.now() > deadline) {
      throw new Error(`The Hunt Lens log did not contain ${JSON.stringify(text)} within ${timeoutMs} ms. Log:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
