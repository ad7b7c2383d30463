/**
 * Storyline test: every library hunt runs with its default parameters on the
 * sample tenant (now() at the generator's reference time) through the export
 * readers and the local engine, and must flag exactly the users that
 * sample/data/storylines.json lists for it. No hunt may flag the trap user,
 * who approves from their usual IP after a few ordinary timeouts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQuery, type Database } from '../../../src/engine/index';
import { loadData } from '../../../src/engine/load';
import { HUNTS } from '../../../src/hunts/library';
import { renderHunt } from '../../../src/hunts/render';
import { loadKustoLanguage } from '../../../src/kusto/bridge';

const SAMPLE_DATA = join(__dirname, '..', '..', '..', '..', 'sample', 'data');

interface Storylines {
  referenceTime: string;
  trapUser: string;
  expectedFlags: Record<string, string[]>;
  notApplicable: Record<string, string>;
  pivotHunts: Record<string, { userPrincipalName: string; startTime: string; operations: string[]; ipAddress: string }>;
  storylines: Array<{
    id: string;
    userPrincipalName: string;
    attackerIPAddress?: string;
    approvalTime?: string;
    sessionId?: string;
    inboxRule?: { time: string };
    securityInfoRegistered?: string;
  }>;
}

/** Pivot hunts of the library that take their values from a flagged entity; checked from the approved push-bombing below. */
const ENTITY_PIVOTS = ['sign-ins-of-user', 'sign-ins-from-ip', 'session-non-interactive-sign-ins', 'mfa-methods-registered-in-range', 'inbox-rules-in-range'];

const truth = JSON.parse(readFileSync(join(SAMPLE_DATA, 'storylines.json'), 'utf8')) as Storylines;

/** Returns the users in a hunt's user principal name column, lower case, sorted, once each. */
function flaggedUsers(database: Database, huntId: string): string[] {
  const hunt = HUNTS.find((candidate) => candidate.id === huntId);
  assert.ok(hunt, `no hunt ${huntId}`);
  const column = hunt.entities.find((entity) => entity.kind === 'userPrincipalName')?.column;
  assert.ok(column, `${huntId} declares no user principal name column`);
  const table = runQuery(database, renderHunt(hunt), { now: Date.parse(truth.referenceTime) }).tables[0];
  assert.ok(table, `${huntId} returned no table`);
  const index = table.columns.findIndex((candidate) => candidate.name === column);
  assert.ok(index >= 0, `${huntId} has no ${column} column in its result`);
  return [...new Set(table.rows.map((row) => (typeof row[index] === 'string' ? row[index] : '').toLowerCase()))].sort();
}

describe('library hunts on the sample tenant', function () {
  this.timeout(120_000);
  let database: Database;

  before(async () => {
    loadKustoLanguage();
    const loaded = await loadData([SAMPLE_DATA]);
    assert.equal(loaded.skipped, 0, `the sample data has unreadable lines: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
    database = loaded.database;
  });

  it('covers every hunt of the library', () => {
    const covered = new Set([...Object.keys(truth.expectedFlags), ...Object.keys(truth.notApplicable), ...Object.keys(truth.pivotHunts), ...ENTITY_PIVOTS]);
    assert.deepEqual(
      HUNTS.map((hunt) => hunt.id).filter((id) => !covered.has(id)),
      [],
    );
  });

  for (const [huntId, expected] of Object.entries(truth.expectedFlags)) {
    it(`${huntId} flags ${expected.join(', ')}`, () => {
      const flagged = flaggedUsers(database, huntId);
      assert.deepEqual(flagged, [...expected].map((user) => user.toLowerCase()).sort());
      assert.ok(!flagged.includes(truth.trapUser.toLowerCase()), `${huntId} flagged the trap user`);
    });
  }

  for (const [huntId, pivot] of Object.entries(truth.pivotHunts)) {
    it(`${huntId} pivoted on ${pivot.userPrincipalName} at ${pivot.startTime} finds the attacker's activity`, () => {
      const hunt = HUNTS.find((candidate) => candidate.id === huntId);
      assert.ok(hunt, `no hunt ${huntId}`);
      const query = renderHunt(hunt, { userPrincipalName: pivot.userPrincipalName, startTime: pivot.startTime, window: '24h' });
      const table = runQuery(database, query, { now: Date.parse(truth.referenceTime) }).tables[0];
      assert.ok(table, `${huntId} returned no table`);
      const column = (name: string): number => table.columns.findIndex((candidate) => candidate.name === name);
      // The user's own mail access later that day is in the window too; the
      // attacker's rows are the ones from the approval's address.
      const fromAttacker = table.rows.filter((row) => row[column('IPAddress')] === pivot.ipAddress);
      assert.deepEqual(
        fromAttacker.map((row) => row[column('Operation')]),
        pivot.operations,
      );
      assert.ok(table.rows.length > fromAttacker.length, "the window holds none of the user's own activity, so the IP filter above tests nothing");
    });
  }

  describe('pivots from the approved push-bombing', () => {
    const story = truth.storylines.find((candidate) => candidate.id === 'push-bombing-approved');
    const user = story?.userPrincipalName ?? '';
    const approval = story?.approvalTime ?? '';

    /** Runs a pivot hunt with the given values and returns its rows as objects. */
    function pivot(huntId: string, values: Record<string, string>): Record<string, unknown>[] {
      const hunt = HUNTS.find((candidate) => candidate.id === huntId);
      assert.ok(hunt, `no hunt ${huntId}`);
      const table = runQuery(database, renderHunt(hunt, { startTime: approval, window: '24h', ...values }), { now: Date.parse(truth.referenceTime) }).tables[0];
      assert.ok(table, `${huntId} returned no table`);
      return table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column.name, row[index]])));
    }
    const time = (value: unknown): string => (typeof value === 'object' && value !== null && 'iso' in value ? new Date(Date.parse(String(value.iso))).toISOString() : '');

    it('has the storyline', () => {
      assert.ok(story, 'storylines.json lacks the approved push-bombing');
      assert.ok(story.attackerIPAddress, 'no attacker address');
      assert.ok(story.sessionId, 'no session id');
      assert.ok(story.inboxRule, 'no inbox rule');
      assert.ok(story.securityInfoRegistered, 'no security info registration');
      assert.ok(approval, 'no approval time');
    });

    it('sign-ins-from-ip finds only the attacked user at the attacker address', () => {
      const rows = pivot('sign-ins-from-ip', { ipAddress: story?.attackerIPAddress ?? '' });
      assert.ok(rows.length > 0);
      assert.deepEqual([...new Set(rows.map((row) => String(row.UserPrincipalName).toLowerCase()))], [user.toLowerCase()]);
    });

    it('sign-ins-of-user includes the approval from the attacker address', () => {
      const rows = pivot('sign-ins-of-user', { userPrincipalName: user });
      assert.ok(rows.some((row) => row.IPAddress === story?.attackerIPAddress));
      assert.ok(rows.every((row) => String(row.UserPrincipalName).toLowerCase() === user.toLowerCase()));
    });

    it('session-non-interactive-sign-ins follows the approved session', () => {
      const rows = pivot('session-non-interactive-sign-ins', { sessionId: story?.sessionId ?? '', userPrincipalName: user });
      assert.ok(rows.length > 0, 'the approved session has no non-interactive sign-ins');
    });

    it('mfa-methods-registered-in-range finds the Authenticator registration', () => {
      const rows = pivot('mfa-methods-registered-in-range', { userPrincipalName: user });
      assert.deepEqual(rows.map((row) => time(row.TimeGenerated)), [story?.securityInfoRegistered]);
    });

    it('inbox-rules-in-range finds the hiding rule', () => {
      const rows = pivot('inbox-rules-in-range', { userPrincipalName: user });
      assert.deepEqual(rows.map((row) => time(row.TimeGenerated)), [story?.inboxRule?.time]);
    });
  });
});
