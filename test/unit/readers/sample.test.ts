import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readExportFolder } from '../../../src/engine/readers';
import { generateSample, parseSampleArguments, SAMPLE_FILES } from '../../../src/sample/generate';
import { makeFixtureFolder, problemCollector, readAll, rowsOf } from './helpers';

/** The smallest tenant that still has a user for every storyline. */
const USERS = 60;

describe('sample generator', function () {
  this.timeout(60_000);
  let first: string;
  let truth: Record<string, unknown>;

  before(async () => {
    first = await makeFixtureFolder();
    truth = await generateSample({ out: first, seed: 7, users: USERS });
  });

  it('writes the same files for the same seed', async () => {
    const second = await makeFixtureFolder();
    await generateSample({ out: second, seed: 7, users: USERS });
    const names = (await readdir(first)).sort();
    assert.deepEqual(names, Object.values(SAMPLE_FILES).sort());
    for (const name of names) {
      const [a, b] = await Promise.all([readFile(join(first, name)), readFile(join(second, name))]);
      assert.ok(a.equals(b), `${name} differs between two runs with seed 7`);
    }
  });

  it('writes different files for another seed', async () => {
    const other = await makeFixtureFolder();
    await generateSample({ out: other, seed: 8, users: USERS });
    const [a, b] = await Promise.all([
      readFile(join(first, SAMPLE_FILES.officeActivity)),
      readFile(join(other, SAMPLE_FILES.officeActivity)),
    ]);
    assert.ok(!a.equals(b));
  });

  it('is read by the readers without problems', async () => {
    const { problems, onProblem } = problemCollector();
    const results = await readAll(await readExportFolder(first, { onProblem }));
    assert.deepEqual(problems, []);
    const total = [...results.values()].reduce((sum, table) => sum + table.rows.length, 0);
    assert.equal(total, truth.rows, 'every generated row is read once');
    for (const table of ['SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AuditLogs', 'OfficeActivity', 'CloudAppEvents', 'AADUserRiskEvents']) {
      assert.ok(rowsOf(results, table).length > 0, `${table} has rows`);
    }
  });

  it('writes the storylines into the sign-ins', async () => {
    const { onProblem } = problemCollector();
    const signIns = rowsOf(await readAll(await readExportFolder(first, { onProblem })), 'SigninLogs');
    const refused = String(truth.refusedUser);
    const fraud = signIns.filter(
      (row) => row.UserPrincipalName === refused && row.ResultType === '500121' && JSON.stringify(row.Status).includes('Reported Fraud'),
    );
    assert.equal(fraud.length > 0, true);
    const trap = String(truth.trapUser);
    const trapDenials = signIns.filter((row) => row.UserPrincipalName === trap && row.ResultType === '500121');
    const trapAttempts = new Set(trapDenials.map((row) => row.OriginalRequestId));
    // Two attempts in each week, each written as two denial rows.
    assert.equal(trapAttempts.size, 4);
    assert.equal(trapDenials.length, 8);
    const attacked = truth.attackedUsers as string[];
    assert.ok(!attacked.includes(trap));
    assert.ok(Date.parse(String(truth.referenceTime)) > Date.parse('2026-11-29T00:00:00Z'));
  });

  it('rejects invalid command-line values', () => {
    assert.throws(() => parseSampleArguments(['--rows', 'many']), /--rows must be a positive whole number, not "many"/);
    assert.throws(() => parseSampleArguments(['--size', '3']), /Unknown option --size/);
    assert.throws(() => parseSampleArguments(['--users', '10']), /--users must be at least 60/);
    assert.equal(parseSampleArguments(['--rows', '1000000']).users, Math.ceil(1_000_000 / 87));
  });
});
