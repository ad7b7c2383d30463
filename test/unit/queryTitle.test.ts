import * as assert from 'node:assert/strict';
import { queryTitle } from '../../src/hunts/queryTitle';
import { HUNTS } from '../../src/hunts/library';

describe('query titles', () => {
  it('use the hunt title of a tagged block', () => {
    const hunt = HUNTS[0];
    assert.ok(hunt);
    assert.equal(queryTitle(`// something else\n// hunt: ${hunt.id}\nSigninLogs`), hunt.title);
  });

  it('use the first descriptive comment', () => {
    assert.equal(queryTitle('// connection: local\n// Denials per user\nSigninLogs\n| take 1'), 'Denials per user');
  });

  it('fall back to the first line of code', () => {
    assert.equal(queryTitle('SigninLogs\n| summarize count()'), 'SigninLogs');
  });

  it('cut long titles', () => {
    const title = queryTitle(`// ${'x'.repeat(200)}\nT`);
    assert.equal(title.length, 80);
    assert.ok(title.endsWith('…'));
  });
});
