/**
 * Storyline test in Entra form: the sample tenant's Log Analytics sign-ins
 * are rewritten as an Entra admin center download (each row's own id as its
 * Request ID, no OriginalRequestId, CRLF), and every library hunt must flag
 * the same users on it as on the Log Analytics form, never the trap user.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { runQuery, type Database } from '../../../src/engine/index';
import { loadData } from '../../../src/engine/load';
import { HUNTS } from '../../../src/hunts/library';
import { renderHunt } from '../../../src/hunts/render';
import { loadKustoLanguage } from '../../../src/kusto/bridge';
import { ENTRA_AUTH_DETAILS_HEADERS, ENTRA_SIGN_IN_HEADERS, entraAuthDetailsRows, entraSignInRow } from '../../../src/sample/entraExport';

const SAMPLE_DATA = join(__dirname, '..', '..', '..', '..', 'sample', 'data');
const LOG_ANALYTICS_SIGN_INS = 'SigninLogs.json.gz';

interface Truth {
  referenceTime: string;
  trapUser: string;
  expectedFlags: Record<string, string[]>;
}

/** Returns a dynamic value of a Log Analytics row as an object, parsing it when the export wrote it as JSON text. */
function dynamicOf(value: unknown): unknown {
  return typeof value === 'string' && /^[[{]/.test(value) ? JSON.parse(value) : value;
}

/** Turns a Log Analytics SigninLogs row back into the Graph signIn fields that the sample's Entra writer reads. */
function graphSignIn(row: Record<string, unknown>): Record<string, unknown> {
  return {
    createdDateTime: row.TimeGenerated,
    id: row.Id,
    userAgent: row.UserAgent,
    correlationId: row.CorrelationId,
    userId: row.UserId,
    userDisplayName: row.UserDisplayName,
    userPrincipalName: row.UserPrincipalName,
    userType: row.UserType,
    uniqueTokenIdentifier: row.UniqueTokenIdentifier,
    appDisplayName: row.AppDisplayName,
    appId: row.AppId,
    resourceDisplayName: row.ResourceDisplayName,
    resourceId: row.ResourceIdentity,
    resourceTenantId: row.ResourceTenantId,
    homeTenantId: row.HomeTenantId,
    ipAddress: row.IPAddress,
    location: dynamicOf(row.LocationDetails) ?? {},
    status: dynamicOf(row.Status) ?? {},
    clientAppUsed: row.ClientAppUsed,
    deviceDetail: dynamicOf(row.DeviceDetail) ?? {},
    authenticationDetails: dynamicOf(row.AuthenticationDetails) ?? [],
    authenticationRequirement: row.AuthenticationRequirement,
    sessionId: row.SessionId,
    autonomousSystemNumber: row.AutonomousSystemNumber,
    tokenIssuerType: row.TokenIssuerType,
    conditionalAccessStatus: row.ConditionalAccessStatus,
  };
}

/** Copies the sample folder with its Log Analytics sign-ins replaced by an Entra download of the same rows. */
async function writeEntraForm(folder: string): Promise<number> {
  for (const name of await readdir(SAMPLE_DATA)) {
    if (name !== LOG_ANALYTICS_SIGN_INS) {
      await copyFile(join(SAMPLE_DATA, name), join(folder, name));
    }
  }
  const rows = JSON.parse(gunzipSync(await readFile(join(SAMPLE_DATA, LOG_ANALYTICS_SIGN_INS))).toString('utf8')) as Array<Record<string, unknown>>;
  const records = rows.map(graphSignIn);
  const csv = (header: readonly string[], body: string[][]) => stringify([[...header], ...body], { record_delimiter: 'windows' });
  await writeFile(join(folder, 'InteractiveSignIns_2026-11-16_2026-11-29_fromLogAnalytics.csv'), csv(ENTRA_SIGN_IN_HEADERS, records.map(entraSignInRow)));
  await writeFile(
    join(folder, 'InteractiveSignIns_AuthDetails_2026-11-16_2026-11-29_fromLogAnalytics.csv'),
    csv(ENTRA_AUTH_DETAILS_HEADERS, records.flatMap(entraAuthDetailsRows)),
  );
  return rows.length;
}

describe('library hunts on the sample tenant in Entra form', function () {
  this.timeout(180_000);
  const truth = JSON.parse(readFileSync(join(SAMPLE_DATA, 'storylines.json'), 'utf8')) as Truth;
  let folder: string;
  let logAnalytics: Database;
  let entra: Database;

  before(async () => {
    loadKustoLanguage();
    folder = await mkdtemp(join(tmpdir(), 'hunt-lens-entra-form-'));
    const rows = await writeEntraForm(folder);
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
