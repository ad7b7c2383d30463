import * as assert from 'node:assert/strict';
import { failureMessage, main } from '../../src/cli/huntlens';
import { EngineError } from '../../src/engine/errors';
import { queryBlockCount, wholeFileNote } from '../../src/runner/blockNotes';
import { readableSyntaxNames } from '../../src/runner/syntaxNames';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (text) => (out += text), (text) => (err += text));
  return { code, out, err };
}

describe('huntlens help', () => {
  for (const args of [['--help'], ['-h'], ['query', '--help'], ['query', '--data', 'd', '-h']]) {
    it(`prints help for ${args.join(' ')}`, async () => {
      const { code, out, err } = await run(args);
      assert.equal(code, 0);
      assert.equal(err, '');
      for (const option of ['--data', '--file', '--format', '--now', '--max-rows', '--no-formula-guard', '--help']) {
        assert.ok(out.includes(option), `help lacks ${option}`);
      }
    });
  }

  it('names the units of the values', async () => {
    const { out } = await run(['--help']);
    assert.match(out, /ISO 8601 instant/);
    assert.match(out, /whole number/);
    assert.match(out, /Exit codes/);
  });
});

describe('huntlens failure messages', () => {
  it('notes that several blocks ran as one query', () => {
    const error = new EngineError('syntax', 'Scalar value expected. (line 6, column 1)', 6, 1);
    const message = failureMessage(error, 'SigninLogs\n| take 1\n\n// count\nSigninLogs\n| count\n');
    assert.match(message, /^Scalar value expected\. \(line 6, column 1\) The query holds 2 blocks/);
  });

  it('adds no note for one block under a comment block', () => {
    const error = new EngineError('syntax', 'Bad (line 3, column 1)', 3, 1);
    assert.equal(failureMessage(error, '// header\n\nSigninLogs\n| take 1\n'), 'Bad (line 3, column 1)');
  });

  it('names operators in KQL words', () => {
    const error = new EngineError('unsupported', 'The tabular expression SearchOperator is not supported by the local engine (line 1, column 3).', 1, 3);
    assert.match(failureMessage(error, 'search "x"'), /^The search operator is not supported/);
  });
});

describe('syntax kind names', () => {
  it('rewrites operator kinds', () => {
    assert.equal(readableSyntaxNames('a table produced by TakeOperator at line 2, column 3'), 'a table produced by the take operator at line 2, column 3');
    assert.equal(readableSyntaxNames('MvExpandOperator'), 'the mv-expand operator');
    assert.equal(readableSyntaxNames('FilterOperator'), 'the where operator');
  });

  it('leaves other text alone', () => {
    assert.equal(readableSyntaxNames('The search operator is not supported'), 'The search operator is not supported');
  });
});

describe('whole file runs', () => {
  it('counts blocks that hold code', () => {
    assert.equal(queryBlockCount('// a\n// b\n\nT\n| take 1\n\nT | count'), 2);
  });

  it('says the whole file ran', () => {
    assert.match(wholeFileNote('T | take 1\n\nT | count'), /the whole file ran: its 2 blocks ran together/);
    assert.equal(wholeFileNote('T | take 1'), '');
  });
});
