import * as assert from 'node:assert/strict';
import { huntPickOptions, parameterPrompt } from '../../src/extension/commands/parameterPrompt';
import { HUNTS } from '../../src/hunts/library';

describe('hunt parameter prompts', () => {
  it('stay open when focus moves', () => {
    for (const hunt of HUNTS) {
      for (const index of hunt.parameters.keys()) {
        assert.equal(parameterPrompt(hunt, index).ignoreFocusOut, true, `${hunt.id} parameter ${index + 1}`);
      }
    }
    assert.equal(huntPickOptions('Run Hunt', 'Pick a hunt to run').ignoreFocusOut, true);
  });

  it('number each prompt and accept the default', async () => {
    const hunt = HUNTS.find((candidate) => candidate.parameters.length > 1);
    assert.ok(hunt, 'no hunt has two parameters');
    const second = parameterPrompt(hunt, 1);
    assert.equal(second.title, `${hunt.title} (2/${hunt.parameters.length})`);
    assert.equal(second.value, String(hunt.parameters[1]?.default));
    assert.equal(await second.validateInput?.(second.value ?? ''), undefined);
  });

  it('rejects an index past the last parameter', () => {
    const hunt = HUNTS[0];
    assert.ok(hunt);
    assert.throws(() => parameterPrompt(hunt, hunt.parameters.length), /has no parameter/);
  });
});
