/**
 * Checks storylines.json against a plain TypeScript model of each library
 * hunt's conditions (default parameters, now() at referenceTime), run on the
 * rows the readers return. The model states the conditions, not the KQL, so
 * it checks the generator's ground truth; running the hunts themselves needs
 * the local engine.
 */
import * as assert from 'node:assert/strict';
import { readExportFolder } from '../../../src/engine/readers';
import { generateSample } from '../../../src/sample/generate';
import { makeFixtureFolder, problemCollector, readAll, rowsOf } from './helpers';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface SignIn {
  time: number;
  user: string;
  resultType: string;
  mfa: boolean;
  attempt: string;
  ipAddress: string;
  detail: string;
  steps: string;
  country: string;
  sessionId: string;
}

/** Reads a dynamic column, which the readers return as an object or as JSON text. */
function bag(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    return value.startsWith('{') ? (JSON.parse(value) as Record<string, unknown>) : {};
  }
  return (value ?? {}) as Record<string, unknown>;
}
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toSignIn(row: Record<string, unknown>): SignIn {
  return {
    time: Date.parse(text(row.TimeGenerated)),
    user: text(row.UserPrincipalName).toLowerCase(),
    resultType: text(row.ResultType),
    mfa: row.AuthenticationRequirement === 'multiFactorAuthentication',
    attempt: text(row.OriginalRequestId),
    ipAddress: text(row.IPAddress),
    detail: text(bag(row.Status).additionalDetails),
    steps: text(row.AuthenticationDetails),
    country: text(bag(row.LocationDetails).countryOrRegion),
    sessionId: text(row.SessionId),
  };
}

/** Returns one row per attempt (distinct OriginalRequestId), the earliest. */
function attempts(rows: readonly SignIn[]): SignIn[] {
  const first = new Map<string, SignIn>();
  for (const row of rows) {
    const seen = first.get(row.attempt);
    if (!seen || row.time < seen.time) {
      first.set(row.attempt, row);
    }
  }
  return [...first.values()];
}

const users = (rows: readonly { user: string }[]) => [...new Set(rows.map((row) => row.user))].sort();

/** Returns the users each modelled hunt flags. */
function modelFlags(signIns: readonly SignIn[], nonInteractive: readonly SignIn[], now: number): Record<string, string[]> {
  const since = now - 7 * DAY;
  const isPrompt = (row: SignIn) => row.mfa && !/claim in the token/.test(row.detail);
  const denials = attempts(signIns.filter((row) => row.time > since - HOUR && row.resultType === '500121'));
  const approvals = attempts(signIns.filter((row) => row.time > since && row.resultType === '0' && isPrompt(row)));
  const denialsBefore = (approval: SignIn, filter: (denial: SignIn) => boolean = () => true) =>
    denials.filter((denial) => denial.user === approval.user && denial.time >= approval.time - HOUR && denial.time <= approval.time && filter(denial));
  const watched = approvals.filter((approval) => denialsBefore(approval).length >= 3);

  const failures = attempts(signIns.filter((row) => row.time > since && row.mfa && ['500121', '50158', '50088'].includes(row.resultType)));
  const recentDenials = denials.filter((denial) => denial.time > since);

  const baseline = attempts(signIns.filter((row) => row.time >= now - 37 * DAY && row.time <= since && row.resultType === '0'));
  const known = new Map<string, { count: number; hours: Map<number, number>; ips: Set<string>; countries: Set<string> }>();
  for (const row of baseline) {
    const entry = known.get(row.user) ?? { count: 0, hours: new Map(), ips: new Set(), countries: new Set() };
    const hour = new Date(row.time).getUTCHours();
    entry.count += 1;
    entry.hours.set(hour, (entry.hours.get(hour) ?? 0) + 1);
    entry.ips.add(row.ipAddress);
    entry.countries.add(row.country);
    known.set(row.user, entry);
  }
  const prompts = attempts(signIns.filter((row) => row.time > since && ['0', '500121'].includes(row.resultType) && isPrompt(row)));

  const perAddress = new Map<string, { user: string; failed: number; succeeded: number; firstFailure: number; lastSuccess: number }>();
  for (const row of attempts(signIns.filter((row) => row.time > since && row.mfa && ['0', '500121'].includes(row.resultType)))) {
    const key = `${row.user}|${row.ipAddress}`;
    const entry = perAddress.get(key) ?? { user: row.user, failed: 0, succeeded: 0, firstFailure: Infinity, lastSuccess: 0 };
    if (row.resultType === '500121') {
      entry.failed += 1;
      entry.firstFailure = Math.min(entry.firstFailure, row.time);
    } else {
      entry.succeeded += 1;
      entry.lastSuccess = Math.max(entry.lastSuccess, row.time);
    }
    perAddress.set(key, entry);
  }

  const count = (rows: readonly SignIn[], user: string) => rows.filter((row) => row.user === user).length;
  return {
    'mfa-failures-and-denials': users(failures.filter((row) => count(failures, row.user) >= 3)),
    'mfa-prompt-burst': users(
      recentDenials.filter((denial) => recentDenials.filter((other) => other.user === denial.user && other.time >= denial.time - 10 * 60_000 && other.time <= denial.time).length >= 5),
    ),
    'prompts-outside-usual-hours': users(
      prompts.filter((prompt) => {
        const entry = known.get(prompt.user);
        return entry !== undefined && entry.count >= 20 && (entry.hours.get(new Date(prompt.time).getUTCHours()) ?? 0) * 100 < 3 * entry.count;
      }),
    ),
    'fraud-reported': users(signIns.filter((row) => row.time > now - 14 * DAY && row.resultType === '500121' && /fraud/i.test(row.detail + row.steps))),
    'success-after-failures': [...new Set([...perAddress.values()].filter((entry) => entry.failed >= 5 && entry.succeeded >= 1 && entry.lastSuccess > entry.firstFailure).map((entry) => entry.user))].sort(),
    'denials-then-approval': users(watched),
    'wrong-number-then-approval': users(approvals.filter((approval) => denialsBefore(approval, (denial) => /correct number/.test(denial.detail + denial.steps)).length >= 1)),
    'approval-from-new-location': users(
      approvals.filter((approval) => {
        const entry = known.get(approval.user);
        return !entry || !entry.ips.has(approval.ipAddress) || (approval.country !== '' && !entry.countries.has(approval.country));
      }),
    ),
    'approved-session-non-interactive': users(
      watched.filter((approval) => nonInteractive.some((row) => row.sessionId === approval.sessionId && row.time >= approval.time)),
    ),
  };
}

describe('sample ground truth', function () {
  this.timeout(60_000);

  for (const { seed, userCount } of [
    { seed: 20261116, userCount: 200 },
    { seed: 7, userCount: 60 },
  ]) {
    it(`matches the modelled hunts, seed ${seed}`, async () => {
      const folder = await makeFixtureFolder();
      const truth = await generateSample({ out: folder, seed, users: userCount });
      const { problems, onProblem } = problemCollector();
      const results = await readAll(await readExportFolder(folder, { onProblem }));
      assert.deepEqual(problems, []);
      const signIns = rowsOf(results, 'SigninLogs').map(toSignIn);
      const nonInteractive = rowsOf(results, 'AADNonInteractiveUserSignInLogs').map(toSignIn);
      const flags = modelFlags(signIns, nonInteractive, Date.parse(String(truth.referenceTime)));
      const expected = truth.expectedFlags as Record<string, string[]>;
      for (const [hunt, flagged] of Object.entries(flags)) {
        assert.deepEqual(flagged, [...expected[hunt]].sort(), `hunt ${hunt}`);
        assert.ok(!flagged.includes(String(truth.trapUser)), `hunt ${hunt} flags the trap user`);
      }
    });
  }
});
