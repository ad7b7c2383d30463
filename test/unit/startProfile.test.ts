import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS } from '../support/testHost';

const root = join(__dirname, '..', '..', '..');

describe('npm start profile', () => {
  it('has every test host setting', async () => {
    const module = (await import(pathToFileURL(join(root, 'scripts', 'profileSettings.mjs')).href)) as { PROFILE_SETTINGS: Record<string, unknown> };
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.deepEqual(module.PROFILE_SETTINGS[key], value, key);
    }
  });

  it('turns off the bundled chat UI', async () => {
    const module = (await import(pathToFileURL(join(root, 'scripts', 'profileSettings.mjs')).href)) as { PROFILE_SETTINGS: Record<string, unknown> };
    assert.equal(module.PROFILE_SETTINGS['chat.disableAIFeatures'], true);
  });
});
