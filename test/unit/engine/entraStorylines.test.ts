/**
 * Storyline test in Entra form: the sample tenant's Log Analytics sign-ins
 * are rewritten as an Entra admin center download (each row's own id as its
 * Request ID, no OriginalRequestId, CRLF), as the portal writes it and as
 * Excel saves it again (semicolons, "25.11.2026 01:44:54"). Every library
 * hunt must flag the same users on it as on the Log Analytics form, never the
 * trap user.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery, type Database } from '../../../src/engine/index';
import { loadData } from '../../../src/engine/load';
import { HUNTS } from '../../../src/hunts/library';
import { renderHunt } from '../../../src/hunts/render';
import { loadKustoLanguage } from '../../../src/kusto/bridge';
import { SAMPLE_DATA, writeEntraForm, type EntraFormStyle, type Truth } from './entraForm';

const STYLES: readonly EntraFormStyle[] = ['portal', 'excel'];

for (const style of STYLES) {
  describe(`library hunts on the sample tenant in Entra form (${style})`, function () {
    this.timeout(180_000);
    const truth = JSON.parse(readFileSync(join(SAMPLE_DATA, 'storylines.json'), 'utf8')) as Truth;
    let folder: string;
    let logAnalytics: Database;
    let entra: Database;

    before(async () => {
      loadKustoLanguage();
      folder = await mkdtemp(join(tmpdir(), 'hunt-lens-entra-form-'));
      const rows = await writeEntraForm(folder, style);
      assert.ok(rows > 1000, `the sample has only ${rows} Log Analytics sign-ins`);
      logAnalytics = (await loadData([SAMPLE_DATA])).database;
      const loaded = await loadData([folder]);
      assert.equal(loaded.skipped, 0, `the Entra form has unreadable lines: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
      entra = loaded.database;
    });

    after(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    /** Runs a query with now() at the sample's reference time and returns its rows as text, sorted. */
    function rowsOf(database: Database, query: string): string[] {
      const table = runQuery(database, query, { now: Date.parse(truth.referenceTime) }).tables[0];
      assert.ok(table, 'the query returned no table');
      return table.rows.map((row) => JSON.stringify(row)).sort();
    }

    function flaggedUsers(database: Database, huntId: string): string[] {
      const hunt = HUNTS.find((candidate) => candidate.id === huntId);
      assert.ok(hunt, `no hunt ${huntId}`);
      const column = hunt.entities.find((entity) => entity.kind === 'userPrincipalName')?.column;
      assert.ok(column, `${huntId} declares no user principal name column`);
      const query = `${renderHunt(hunt)}\n| distinct tolower(${column})`;
      return rowsOf(database, query);
    }

    it('counts the same MFA attempts per user and result', () => {
      const query = 'SigninLogs | summarize Attempts = dcount(OriginalRequestId) by tolower(UserPrincipalName), ResultType';
      assert.deepEqual(rowsOf(entra, query), rowsOf(logAnalytics, query));
    });

    for (const [huntId, expected] of Object.entries(truth.expectedFlags)) {
      it(`${huntId} flags ${expected.join(', ') || 'nobody'}`, () => {
        const onEntra = flaggedUsers(entra, huntId);
        assert.deepEqual(onEntra, flaggedUsers(logAnalytics, huntId));
        assert.ok(!onEntra.includes(JSON.stringify([truth.trapUser.toLowerCase()])), `${huntId} flagged the trap user`);
      });
    }
  });
}
