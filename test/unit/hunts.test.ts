import * as assert from 'node:assert/strict';
import { findHunt, HUNTS } from '../../src/hunts/library';
import { renderHunt } from '../../src/hunts/render';
import type { EntityKind, Hunt, HuntStage } from '../../src/hunts/types';
import { findStringNumberComparisons } from '../../src/kusto/comparisons';
import { analyzeQuery, loadKustoLanguage, walkSyntax, type QueryAnalysis, type SyntaxNodeView } from '../../src/kusto/service';
import { findTableSchema, TABLE_SCHEMAS } from '../../src/schema/tables';

const STAGES: readonly HuntStage[] = ['before', 'approval', 'after'];
const ENTITY_KINDS: readonly EntityKind[] = [
  'userPrincipalName',
  'userObjectId',
  'ipAddress',
  'approvalTime',
  'lastSeen',
  'sessionId',
  'correlationId',
];
const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/** Columns that are dynamic in SigninLogs but string in AADNonInteractiveUserSignInLogs. */
const SPLIT_TYPE_COLUMNS = new Set(['Status', 'DeviceDetail', 'LocationDetails', 'MfaDetail', 'ConditionalAccessPolicies']);

const analyses = new Map<string, QueryAnalysis>();

/** Analyzes the hunt at its default parameters against its target's schemas, once per hunt. */
function analyzeHunt(hunt: Hunt): QueryAnalysis {
  let analysis = analyses.get(hunt.id);
  if (!analysis) {
    analysis = analyzeQuery(renderHunt(hunt), TABLE_SCHEMAS[hunt.target]);
    analyses.set(hunt.id, analysis);
  }
  return analysis;
}

function analyzeSigninLogs(text: string): QueryAnalysis {
  return analyzeQuery(text, TABLE_SCHEMAS.logAnalytics);
}

function describeDiagnostics(analysis: QueryAnalysis, severities: readonly string[]): string {
  return analysis.diagnostics
    .filter((diagnostic) => severities.includes(diagnostic.severity))
    .map((diagnostic) => {
      const text = analysis.text.slice(diagnostic.start, diagnostic.start + diagnostic.length);
      return `${diagnostic.line}:${diagnostic.column} ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message} [${text}]`;
    })
    .join('\n');
}

function nodesOf(analysis: QueryAnalysis, predicate: (node: SyntaxNodeView) => boolean): SyntaxNodeView[] {
  const nodes: SyntaxNodeView[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (predicate(node)) {
      nodes.push(node);
    }
  });
  return nodes;
}

/** True when `node` is (part of) an argument of a todynamic() or parse_json() call. */
function insideDynamicConversion(node: SyntaxNodeView): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.kind === 'FunctionCallExpression') {
      const name = current.symbol?.name;
      return name === 'todynamic' || name === 'parse_json';
    }
  }
  return false;
}

describe('hunt library', function () {
  // The first analysis loads the Kusto language service (about 5 MB of script).
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  describe('catalogue', () => {
    it('has at least 12 hunts', () => {
      assert.ok(HUNTS.length >= 12, `the library has ${HUNTS.length} hunts`);
    });

    it('has unique kebab-case ids', () => {
      const ids = HUNTS.map((hunt) => hunt.id);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
      for (const id of ids) {
        assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      }
    });

    it('has unique titles', () => {
      const titles = HUNTS.map((hunt) => hunt.title);
      assert.equal(new Set(titles).size, titles.length);
    });

    for (const stage of STAGES) {
      it(`has hunts for the ${stage} stage`, () => {
        assert.ok(HUNTS.some((hunt) => hunt.stage === stage));
      });
    }

    it('finds hunts by id', () => {
      for (const hunt of HUNTS) {
        assert.equal(findHunt(hunt.id), hunt);
      }
      assert.equal(findHunt('no-such-hunt'), undefined);
    });

    it('has activity hunts for both targets', () => {
      const activityHunts = HUNTS.filter((hunt) => hunt.tables.includes('CloudAppEvents') || hunt.tables.includes('OfficeActivity'));
      assert.ok(activityHunts.some((hunt) => hunt.target === 'defenderXdr'));
      assert.ok(activityHunts.some((hunt) => hunt.target === 'logAnalytics'));
    });
  });

  for (const hunt of HUNTS) {
    describe(`hunt ${hunt.id}`, () => {
      it('has title, description and technique', () => {
        assert.ok(hunt.title.trim().length > 0);
        assert.ok(hunt.description.trim().length > 0);
        assert.match(hunt.mitre, /^T\d{4}(\.\d{3})?$/);
      });

      it('declares valid lowerCamelCase parameters', () => {
        const names = hunt.parameters.map((parameter) => parameter.name);
        assert.equal(new Set(names).size, names.length, `duplicate parameters in ${names.join(', ')}`);
        for (const parameter of hunt.parameters) {
          assert.match(parameter.name, /^[a-z][a-zA-Z0-9]*$/, `parameter ${parameter.name}`);
          assert.ok(parameter.description.trim().length > 0, `parameter ${parameter.name} has no description`);
        }
        assert.doesNotThrow(() => renderHunt(hunt));
      });

      it('matches placeholders and parameters', () => {
        const used = new Set([...hunt.query.matchAll(PLACEHOLDER)].map((match) => match[1]));
        const declared = new Set(hunt.parameters.map((parameter) => parameter.name));
        for (const name of used) {
          assert.ok(declared.has(name), `{{${name}}} is not a declared parameter`);
        }
        for (const name of declared) {
          assert.ok(used.has(name), `parameter ${name} is never used`);
        }
        assert.doesNotMatch(renderHunt(hunt), /\{\{|\}\}/);
      });

      it('reads only tables in its target schema', () => {
        for (const table of hunt.tables) {
          assert.ok(findTableSchema(hunt.target, table), `${table} has no ${hunt.target} schema`);
        }
      });

      it('lists exactly the tables its query reads', () => {
        const referenced = new Set(
          nodesOf(analyzeHunt(hunt), (node) => node.kind === 'NameReference' && node.symbol?.kind === 'Table').map(
            (node) => node.symbol!.name,
          ),
        );
        assert.deepEqual([...referenced].sort(), [...hunt.tables].sort());
      });

      it('binds with no errors or warnings', () => {
        const analysis = analyzeHunt(hunt);
        const problems = describeDiagnostics(analysis, ['error', 'warning']);
        assert.equal(problems, '', `diagnostics:\n${problems}`);
      });

      it('never compares a string with a number', () => {
        const findings = findStringNumberComparisons(analyzeHunt(hunt));
        assert.deepEqual(
          findings.map((finding) => finding.message),
          [],
        );
      });

      it('outputs its entity columns', () => {
        const columns = analyzeHunt(hunt).resultColumns;
        assert.ok(columns, 'the query does not return a table');
        const names = new Set(columns.map((column) => column.name));
        assert.ok(hunt.entities.length > 0, 'the hunt declares no entity columns');
        for (const entity of hunt.entities) {
          assert.ok(ENTITY_KINDS.includes(entity.kind), `unknown entity kind ${entity.kind}`);
          assert.ok(names.has(entity.column), `entity column ${entity.column} is not in the output: ${[...names].join(', ')}`);
        }
      });

      // The editor ends a statement block at a blank line, so a blank line would split the hunt.
      it('has no blank lines', () => {
        assert.doesNotMatch(hunt.query.trimEnd(), /\n[ \t]*\n/);
      });

      if (hunt.tables.includes('SigninLogs') && hunt.tables.includes('AADNonInteractiveUserSignInLogs')) {
        it('reads split-type columns through todynamic', () => {
          const analysis = analyzeHunt(hunt);
          const references = nodesOf(
            analysis,
            (node) => node.kind === 'NameReference' && node.symbol?.kind === 'Column' && SPLIT_TYPE_COLUMNS.has(node.symbol.name),
          );
          assert.ok(
            references.some((node) => node.symbol?.name === 'Status'),
            'the hunt never reads Status',
          );
          for (const reference of references) {
            assert.ok(
              insideDynamicConversion(reference),
              `${reference.text} at offset ${reference.start} is read without todynamic()`,
            );
          }
          const columns = analysis.resultColumns ?? [];
          assert.ok(!columns.some((column) => /_(dynamic|string)$/.test(column.name)));
        });
      }
    });
  }
});

describe('string and number comparison check', function () {
  this.timeout(60_000);

  const flagged: readonly [string, string[]][] = [
    ['SigninLogs | where ResultType == 0', ['0']],
    ['SigninLogs | where ResultType != 0', ['0']],
    ['SigninLogs | where ResultType in (0, 50074)', ['0', '50074']],
    ['SigninLogs | where ResultType !in ("50074", 50140)', ['50140']],
    ['SigninLogs | where 500121 == ResultType', ['500121']],
    ['SigninLogs | where ResultType > 0', ['0']],
    ['SigninLogs | where ResultType == -1', ['-1']],
    ['SigninLogs | where tostring(Status.errorCode) == 500121', ['500121']],
    ['AADNonInteractiveUserSignInLogs | where ResultType =~ 0', ['0']],
  ];
  for (const [query, numbers] of flagged) {
    it(`flags ${query}`, () => {
      const findings = findStringNumberComparisons(analyzeSigninLogs(query));
      assert.deepEqual(
        findings.map((finding) => finding.number),
        numbers,
      );
      for (const finding of findings) {
        assert.match(finding.message, /is a string/);
      }
    });
  }

  const accepted = [
    'SigninLogs | where ResultType == "0"',
    'SigninLogs | where ResultType in ("0", "50074")',
    'SigninLogs | where toint(ResultType) == 0',
    'SigninLogs | where Status.errorCode == 500121',
    'SigninLogs | where DurationMs > 100',
    'SigninLogs | where ResultType in (dynamic(["0"]))',
  ];
  for (const query of accepted) {
    it(`accepts ${query}`, () => {
      assert.deepEqual(findStringNumberComparisons(analyzeSigninLogs(query)), []);
    });
  }

  it('accepts numbers for the int ErrorCode', () => {
    const analysis = analyzeQuery('AADSignInEventsBeta | where ErrorCode == 500121', TABLE_SCHEMAS.defenderXdr);
    assert.deepEqual(findStringNumberComparisons(analysis), []);
  });
});

describe('query analysis', function () {
  this.timeout(60_000);

  it('reports unknown column with position', () => {
    const analysis = analyzeSigninLogs('SigninLogs\n| where NoSuchColumn == "x"');
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, 2);
    assert.equal(errors[0].column, 9);
    assert.equal(analysis.text.slice(errors[0].start, errors[0].start + errors[0].length), 'NoSuchColumn');
  });

  it('reports a syntax error', () => {
    const analysis = analyzeSigninLogs('SigninLogs | where');
    assert.ok(analysis.diagnostics.some((diagnostic) => diagnostic.severity === 'error'));
  });

  it('warns on join without kind', () => {
    const analysis = analyzeSigninLogs('SigninLogs | join (AuditLogs) on CorrelationId');
    const warnings = analysis.diagnostics.filter((diagnostic) => diagnostic.source === 'analyzer');
    assert.ok(warnings.some((diagnostic) => diagnostic.severity === 'warning'), JSON.stringify(warnings));
  });

  it('returns typed result columns', () => {
    const analysis = analyzeSigninLogs('SigninLogs | extend Ips = pack_array(IPAddress) | project TimeGenerated, ResultType, Status, Ips');
    assert.deepEqual(analysis.resultColumns, [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'ResultType', type: 'string' },
      { name: 'Status', type: 'dynamic' },
      { name: 'Ips', type: 'dynamic' },
    ]);
  });

  it('binds each target time column', () => {
    const defender = analyzeQuery('CloudAppEvents | where Timestamp > ago(1d)', TABLE_SCHEMAS.defenderXdr);
    assert.equal(describeDiagnostics(defender, ['error']), '');
    const sentinel = analyzeQuery('CloudAppEvents | where TimeGenerated > ago(1d)', TABLE_SCHEMAS.logAnalytics);
    assert.equal(describeDiagnostics(sentinel, ['error']), '');
    const mixed = analyzeQuery('CloudAppEvents | where Timestamp > ago(1d)', TABLE_SCHEMAS.logAnalytics);
    assert.notEqual(describeDiagnostics(mixed, ['error']), '');
  });
});
