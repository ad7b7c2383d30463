import * as assert from 'node:assert/strict';
import { parseResultFile } from '../../../src/webview/resultFile';
import { signInResult } from '../../fixtures/signInResults';

describe('results file', () => {
  it('reads a stored result back', () => {
    const result = signInResult(5);
    assert.deepEqual(parseResultFile(JSON.stringify(result), 'r.json'), result);
  });

  it('names invalid JSON', () => {
    assert.throws(() => parseResultFile('{', 'r.json'), /r\.json is not valid JSON/);
  });

  it('names the first invalid cell', () => {
    const result = signInResult(3);
    (result.tables[0].rows[2] as unknown[])[7] = { kind: 'html', value: '<b>' };
    assert.throws(() => parseResultFile(JSON.stringify(result), 'r.json'), /tables\[0\]\.rows\[2\]\[7\] is an object that is neither/);
  });

  it('names rows of the wrong width', () => {
    const result = signInResult(2);
    result.tables[0].rows[1].pop();
    assert.throws(() => parseResultFile(JSON.stringify(result), 'r.json'), /rows\[1\] is not an array of 8 cells/);
  });

  it('names an unknown status', () => {
    assert.throws(() => parseResultFile(JSON.stringify({ ...signInResult(1), status: 'Maybe' }), 'r.json'), /status "Maybe"/);
  });
});
