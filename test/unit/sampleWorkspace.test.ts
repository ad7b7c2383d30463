/**
 * The sample workspace's KQL file holds hunts from the library; each block
 * tagged `// hunt:` must match the library's current text, so the sample never
 * shows a hunt that the library has since fixed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBlocks } from '../../src/extension/blocks';
import { huntBlock, huntIdOf } from '../../src/hunts/document';
import { findHunt } from '../../src/hunts/library';

const SAMPLE_FILE = join(__dirname, '..', '..', '..', 'sample', 'mfa-fatigue.kql');

describe('sample workspace', () => {
  it('holds library hunts exactly as the library renders them', () => {
    const lines = readFileSync(SAMPLE_FILE, 'utf8').split('\n');
    const hunts = findBlocks(lines)
      .map((block) => lines.slice(block.startLine, block.endLine + 1))
      .filter((block) => huntIdOf(block) !== undefined);
    assert.ok(hunts.length >= 3, `only ${hunts.length} hunt blocks in the sample file`);
    for (const block of hunts) {
      const id = huntIdOf(block) ?? '';
      const hunt = findHunt(id);
      assert.ok(hunt, `the sample file tags a hunt "${id}" that the library does not have`);
      assert.equal(`${block.join('\n')}\n`, huntBlock(hunt), `the sample's copy of ${id} differs from the library`);
    }
  });
});
