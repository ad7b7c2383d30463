/**
 * The sample tenant's Log Analytics sign-ins rewritten as an Entra admin
 * center download (each row's own id as its Request ID, no
 * OriginalRequestId, CRLF), as the portal writes it or as Excel saves it again.
 */
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { ENTRA_AUTH_DETAILS_HEADERS, ENTRA_SIGN_IN_HEADERS, entraAuthDetailsRows, entraSignInRow } from '../../../src/sample/entraExport';

export const SAMPLE_DATA = join(__dirname, '..', '..', '..', '..', 'sample', 'data');
const LOG_ANALYTICS_SIGN_INS = 'SigninLogs.json.gz';

/** The sample's storylines.json: where its hunts run and whom they must flag. */
export interface Truth {
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

/** How the download is written: as the portal writes it, or as Excel saves it again in a day-first locale. */
export type EntraFormStyle = 'portal' | 'excel';

/** Returns "25.11.2026 01:44:54" for "2026-11-25T01:44:54Z", the date form of Excel in a German locale. */
function excelDateTime(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!match) {
    throw new Error(`not an ISO datetime: ${iso}`);
  }
  const [, year, month, day, hour, minute, second] = match;
  return `${day}.${month}.${year} ${hour}:${minute}:${second}`;
}

/**
 * Copies the sample folder with its Log Analytics sign-ins replaced by an
 * Entra download of the same rows. The 'excel' style separates cells with
 * semicolons and writes the dates of both files day first.
 */
export async function writeEntraForm(folder: string, style: EntraFormStyle = 'portal'): Promise<number> {
  for (const name of await readdir(SAMPLE_DATA)) {
    if (name !== LOG_ANALYTICS_SIGN_INS) {
      await copyFile(join(SAMPLE_DATA, name), join(folder, name));
    }
  }
  const rows = JSON.parse(gunzipSync(await readFile(join(SAMPLE_DATA, LOG_ANALYTICS_SIGN_INS))).toString('utf8')) as Array<Record<string, unknown>>;
  const records = rows.map(graphSignIn);
  const delimiter = style === 'excel' ? ';' : ',';
  const csv = (header: readonly string[], body: string[][]) => stringify([[...header], ...body], { record_delimiter: 'windows', delimiter });
  const dated = (rows: string[][], dateIndex: number) =>
    style === 'excel' ? rows.map((row) => row.map((cell, index) => (index === dateIndex && cell !== '' ? excelDateTime(cell) : cell))) : rows;
  const signIns = dated(records.map(entraSignInRow), ENTRA_SIGN_IN_HEADERS.indexOf('Date (UTC)'));
  const steps = dated(records.flatMap(entraAuthDetailsRows), ENTRA_AUTH_DETAILS_HEADERS.indexOf('Date (UTC)'));
  await writeFile(join(folder, 'InteractiveSignIns_2026-11-16_2026-11-29_fromLogAnalytics.csv'), csv(ENTRA_SIGN_IN_HEADERS, signIns));
  await writeFile(join(folder, 'InteractiveSignIns_AuthDetails_2026-11-16_2026-11-29_fromLogAnalytics.csv'), csv(ENTRA_AUTH_DETAILS_HEADERS, steps));
  return rows.length;
}
