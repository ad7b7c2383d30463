import * as assert from 'node:assert/strict';
import { analyzeQuery, loadKustoLanguage } from '../../src/kusto/service';
import { TABLE_SCHEMAS } from '../../src/schema/tables';
import { unknownOperators } from '../../src/server/operatorRule';

/** Returns the operators HL005 offers for the words after the pipes of `text`. */
function offered(text: string): string[] {
  const analysis = analyzeQuery(text, TABLE_SCHEMAS.logAnalytics);
  return unknownOperators(text, analysis.diagnostics).map((finding) => finding.fix?.edits[0].newText ?? '');
}

describe('misspelled operator rule', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('offers the operator meant', () => {
    const cases: Array<[string, string]> = [
      ['wher TimeGenerated > ago(1d)', 'where'],
      ['summarise count() by IPAddress', 'summarize'],
      ['projct IPAddress', 'project'],
      ['tkae 10', 'take'],
      ['mv-expnd x = Status', 'mv-expand'],
      ['distnct IPAddress', 'distinct'],
      ['Where ResultType == "0"', 'where'],
    ];
    for (const [operator, meant] of cases) {
      assert.deepEqual(offered(`SigninLogs\n| ${operator}`), [meant], operator);
    }
  });

  it('offers nothing for words far from an operator', () => {
    for (const operator of ['frobnicate x', 'xy 10', 'wheeeere x']) {
      assert.deepEqual(offered(`SigninLogs\n| ${operator}`), [], operator);
    }
  });

  it('spans to the end of the statement only', () => {
    const text = 'SigninLogs\n| wher x == ";" // a ; in a comment\n| project IPAddress;\nprint 1';
    const analysis = analyzeQuery(text, TABLE_SCHEMAS.logAnalytics);
    const [finding] = unknownOperators(text, analysis.diagnostics);
    assert.equal(text.slice(finding.start, finding.start + finding.length), 'wher x == ";" // a ; in a comment\n| project IPAddress');
  });
});
