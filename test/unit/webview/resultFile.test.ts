import * as assert from 'node:assert/strict';
import { ACCEPTED_FILES, parseResultFile } from '../../../src/webview/resultFile';
import { signInResult } from '../../fixtures/signInResults';

/** Returns the message parseResultFile throws for a text. */
function errorFor(text: string): string {
  try {
    parseResultFile(text, 'hunt.json');
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  assert.fail('the file was accepted');
}

describe('results file', () => {
  it('reads a stored result back', () => {
    const result = signInResult(5);
    assert.deepEqual(parseResultFile(JSON.stringify(result), 'r.json'), result);
  });

  it('names invalid JSON', () => {
    const message = errorFor('{');
    assert.match(message, /^Cannot open hunt\.json: it is not valid JSON \(/);
    assert.ok(message.endsWith(ACCEPTED_FILES), message);
  });

  it('names the first invalid cell', () => {
    const result = signInResult(3);
    (result.tables[0].rows[2] as unknown[])[7] = { kind: 'html', value: '<b>' };
    const message = errorFor(JSON.stringify(result));
    assert.match(message, /^Cannot open hunt\.json as a results file: the value in row 3, column 8 of table 1 is an object that is neither a datetime/);
    assert.ok(message.endsWith(ACCEPTED_FILES), message);
  });

  it('names rows of the wrong width', () => {
    const result = signInResult(2);
    result.tables[0].rows[1].pop();
    assert.match(errorFor(JSON.stringify(result)), /row 2 of table 1 has 7 values, but the table has 8 columns\./);
  });

  it('names an unknown status', () => {
    assert.match(errorFor(JSON.stringify({ ...signInResult(1), status: 'Maybe' })), /the field "status" is not Success, PartialFailure or Failure\./);
  });

  it('lists missing fields', () => {
    const partial: Record<string, unknown> = { ...signInResult(1) };
    delete partial.status;
    delete partial.durationMs;
    assert.match(errorFor(JSON.stringify(partial)), /the fields "status", "durationMs" are missing\./);
  });

  it('names an unknown column type', () => {
    const result = signInResult(1);
    (result.tables[0].columns[2] as { type: string }).type = 'text';
    assert.match(errorFor(JSON.stringify(result)), /column 3 of table 1 needs a "name" and a "type" that is one of string, /);
  });

  it('recognizes an Export JSON file', () => {
    const message = errorFor(JSON.stringify([{ User: 'alice' }]));
    assert.match(message, /it contains a JSON list, not one query result\. It looks like a table saved with Export JSON/);
  });

  it('recognizes an evidence file', () => {
    const evidence = { query: 'SigninLogs', rowsSha256: 'ab'.repeat(32), columns: [], rows: [] };
    assert.match(errorFor(JSON.stringify(evidence)), /It looks like an evidence file from Save as Evidence.*open its CSV file/);
  });

  it('keeps names out of the message', () => {
    const result = signInResult(2);
    result.tables[0].name = '[click](command:workbench.action.quit)';
    result.tables[0].rows[1].pop();
    assert.doesNotMatch(errorFor(JSON.stringify(result)), /click|command:/);
  });
});
