import * as assert from 'node:assert/strict';
import { Database } from '../../../src/engine';
import { loadKustoLanguage } from '../../../src/kusto/service';
import { OFFICE_ACTIVITY } from '../../../src/schema/logAnalytics';
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../../src/schema/signInTables';
import { buildTable, minutesAgo, rowsOf } from './tables';

describe('union of a table wildcard', () => {
  let db: Database;

  before(() => {
    loadKustoLanguage();
    db = new Database([
      buildTable(SIGNIN_LOGS, [
        { TimeGenerated: minutesAgo(3), UserPrincipalName: 'ben@contoso.example' },
        { TimeGenerated: minutesAgo(2), UserPrincipalName: 'ben@contoso.example' },
      ]),
      buildTable(AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, [{ TimeGenerated: minutesAgo(1), UserPrincipalName: 'ben@contoso.example' }]),
      buildTable(OFFICE_ACTIVITY, [{ TimeGenerated: minutesAgo(4), UserId: 'ben@contoso.example' }]),
    ]);
  });

  it('union * reads every loaded table', () => {
    const rows = rowsOf(db, 'union withsource=SourceTable * | summarize Rows = count() by SourceTable | order by SourceTable asc');
    assert.deepEqual(rows, [
      { SourceTable: 'AADNonInteractiveUserSignInLogs', Rows: 1 },
      { SourceTable: 'OfficeActivity', Rows: 1 },
      { SourceTable: 'SigninLogs', Rows: 2 },
    ]);
  });

  it('union * without withsource counts all rows', () => {
    assert.deepEqual(rowsOf(db, 'union * | count'), [{ Count: 4 }]);
  });

  it('a prefix wildcard reads the matching tables', () => {
    const rows = rowsOf(db, 'union withsource=SourceTable *Sign*, OfficeActivity | summarize Rows = count() by SourceTable | order by SourceTable asc');
    assert.deepEqual(rows, [
      { SourceTable: 'AADNonInteractiveUserSignInLogs', Rows: 1 },
      { SourceTable: 'OfficeActivity', Rows: 1 },
      { SourceTable: 'SigninLogs', Rows: 2 },
    ]);
  });
});
