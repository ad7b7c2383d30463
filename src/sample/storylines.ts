/**
 * The attack storylines and the false-positive trap, written into the sample
 * beside ordinary days, with the ground truth that the storyline test checks.
 */
import { cloudAppEvent, fileDownloaded, mailItemsAccessed, newInboxRule, riskEvent, securityInfoAudit } from './activity';
import type { SeededRandom } from './random';
import { APPS, mfaAttemptRows, nonInteractiveSignIn, type PromptOutcome, type SignInSetting } from './signIns';
import type { SampleSink } from './sink';
import { ATTACKER_PLACES, type Place, type SampleUser } from './tenant';

const MINUTE_MS = 60 * 1000;
const iso = (time: number) => new Date(time).toISOString();

/** The users the storylines happen to, picked from the users of the Log Analytics export by home country. */
export interface StorylineCast {
  readonly nightApproval: SampleUser;
  readonly refusedAndReported: SampleUser;
  readonly wrongNumber: SampleUser;
  readonly flakyPhone: SampleUser;
}

/** Picks the cast: the first users of the Log Analytics export at home in DE, US (New York), GB and FR. */
export function pickCast(users: readonly SampleUser[]): StorylineCast {
  const taken = new Set<SampleUser>();
  const pick = (city: string): SampleUser => {
    const user = users.find((candidate) => candidate.channel === 'logAnalytics' && candidate.home.city === city && !taken.has(candidate));
    if (!user) {
      throw new Error(`The sample has no user at home in ${city} for a storyline; generate at least 60 users.`);
    }
    taken.add(user);
    return user;
  };
  return { nightApproval: pick('Berlin'), refusedAndReported: pick('New York'), wrongNumber: pick('London'), flakyPhone: pick('Paris') };
}

interface Bombing {
  readonly denialTimes: number[];
  readonly denialRequestIds: string[];
  readonly lastCorrelationId: string;
  readonly end: number;
}

/** Sends one denied attempt per outcome from the attacker, `gapSeconds` apart. */
async function promptStorm(
  random: SeededRandom,
  sink: SampleSink,
  victim: SampleUser,
  attacker: { ipAddress: string; place: Place },
  start: number,
  outcomes: readonly PromptOutcome[],
  gapSeconds: readonly [number, number],
): Promise<Bombing> {
  const denialTimes: number[] = [];
  const denialRequestIds: string[] = [];
  let time = start;
  let lastCorrelationId = '';
  for (const outcome of outcomes) {
    const setting = attackerSetting(random, victim, attacker);
    const rows = mfaAttemptRows(random, setting, time, outcome, random.chance(0.5));
    await sink.signIns(victim, rows);
    denialTimes.push(Date.parse(String(rows[1].createdDateTime)));
    denialRequestIds.push(String(rows[1].originalRequestId));
    lastCorrelationId = setting.correlationId;
    time += random.int(gapSeconds[0], gapSeconds[1]) * 1000;
  }
  return { denialTimes, denialRequestIds, lastCorrelationId, end: time };
}

function attackerSetting(random: SeededRandom, victim: SampleUser, attacker: { ipAddress: string; place: Place }): SignInSetting {
  return {
    user: victim,
    ipAddress: attacker.ipAddress,
    place: attacker.place,
    device: undefined,
    app: APPS[0],
    sessionId: random.guid(),
    correlationId: random.guid(),
  };
}

/** The attacker's approved sign-in and the session's token refreshes over the next hours. Returns the approval time and session. */
async function approvalAndSession(
  random: SeededRandom,
  sink: SampleSink,
  victim: SampleUser,
  attacker: { ipAddress: string; place: Place },
  time: number,
): Promise<{ approvalTime: number; sessionId: string }> {
  const setting = attackerSetting(random, victim, attacker);
  const rows = mfaAttemptRows(random, setting, time, 'approved');
  await sink.signIns(victim, rows);
  const approvalTime = Date.parse(String(rows[rows.length - 1].createdDateTime));
  for (let refresh = 1; refresh <= 6; refresh += 1) {
    const refreshSetting = { ...setting, app: APPS[refresh % APPS.length], correlationId: random.guid() };
    await sink.signIns(victim, [nonInteractiveSignIn(random, refreshSetting, approvalTime + refresh * 23 * MINUTE_MS)]);
  }
  return { approvalTime, sessionId: setting.sessionId };
}

/**
 * Storyline 1: push bombing at night from Sao Paulo until the user approves,
 * then mailbox access, an inbox rule that hides mail, and a new Authenticator.
 */
export async function writeNightApproval(random: SeededRandom, sink: SampleSink, victim: SampleUser, start: number) {
  const attacker = { ipAddress: '203.0.113.45', place: ATTACKER_PLACES.saoPaulo };
  const outcomes: PromptOutcome[] = Array.from({ length: 14 }, (_, index) => (index % 3 === 1 ? 'declined' : 'timeout'));
  const storm = await promptStorm(random, sink, victim, attacker, start, outcomes, [40, 55]);
  const { approvalTime, sessionId } = await approvalAndSession(random, sink, victim, attacker, storm.end + 30_000);

  const clientIP = `${attacker.ipAddress}:${random.int(49152, 65535)}`;
  const mailTimes = [approvalTime + 4 * MINUTE_MS, approvalTime + 11 * MINUTE_MS, approvalTime + 26 * MINUTE_MS];
  for (const time of mailTimes) {
    await sink.office(mailItemsAccessed(random, victim, time, clientIP));
    await sink.cloudApp(cloudAppEvent(random, victim, time, 'MailItemsAccessed', attacker.ipAddress, attacker.place));
  }
  const ruleTime = approvalTime + 17 * MINUTE_MS;
  const ruleName = '..';
  await sink.office(
    newInboxRule(random, victim, ruleTime, clientIP, [
      ['Identity', `${victim.userPrincipalName}\\${ruleName}`],
      ['Name', ruleName],
      ['SubjectOrBodyContainsWords', 'invoice;payment;security;password'],
      ['MoveToFolder', 'RSS Feeds'],
      ['MarkAsRead', 'True'],
      ['StopProcessingRules', 'True'],
    ]),
  );
  await sink.cloudApp(cloudAppEvent(random, victim, ruleTime, 'New-InboxRule', attacker.ipAddress, attacker.place));
  const registrationTime = approvalTime + 32 * MINUTE_MS;
  await sink.audit(securityInfoAudit(random, victim, registrationTime, attacker.ipAddress, 'User registered security info', 'Microsoft Authenticator'));

  return {
    id: 'push-bombing-approved',
    userPrincipalName: victim.userPrincipalName,
    attackerIPAddress: attacker.ipAddress,
    attackerCountry: attacker.place.countryOrRegion,
    denials: storm.denialTimes.length,
    firstDenial: iso(storm.denialTimes[0]),
    lastDenial: iso(storm.denialTimes[storm.denialTimes.length - 1]),
    approvalTime: iso(approvalTime),
    sessionId,
    mailItemsAccessed: mailTimes.map(iso),
    inboxRule: { time: iso(ruleTime), name: ruleName, moveToFolder: 'RSS Feeds' },
    securityInfoRegistered: iso(registrationTime),
  };
}

/** Storyline 2: push bombing at night that the user never approves; the last prompt is reported as fraud. */
export async function writeRefusedAndReported(random: SeededRandom, sink: SampleSink, victim: SampleUser, start: number) {
  const attacker = { ipAddress: '203.0.113.77', place: ATTACKER_PLACES.bucharest };
  const outcomes: PromptOutcome[] = ['timeout', 'declined', 'timeout', 'declined', 'timeout', 'declined', 'declined', 'fraud'];
  const storm = await promptStorm(random, sink, victim, attacker, start, outcomes, [35, 50]);
  const reportTime = storm.denialTimes[storm.denialTimes.length - 1];
  const reportRequestId = storm.denialRequestIds[storm.denialRequestIds.length - 1];
  await sink.risk(
    riskEvent(random, victim, reportTime, 'userReportedSuspiciousActivity', attacker.ipAddress, attacker.place, {
      requestId: reportRequestId,
      correlationId: storm.lastCorrelationId,
    }),
  );
  return {
    id: 'push-bombing-refused',
    userPrincipalName: victim.userPrincipalName,
    attackerIPAddress: attacker.ipAddress,
    attackerCountry: attacker.place.countryOrRegion,
    denials: storm.denialTimes.length,
    firstDenial: iso(storm.denialTimes[0]),
    lastDenial: iso(reportTime),
    fraudReportTime: iso(reportTime),
    fraudReportCorrelationId: storm.lastCorrelationId,
  };
}

/** Storyline 3: four wrong-number denials in the user's working hours, then an approval and a file download. */
export async function writeWrongNumber(random: SeededRandom, sink: SampleSink, victim: SampleUser, start: number) {
  const attacker = { ipAddress: '203.0.113.101', place: ATTACKER_PLACES.istanbul };
  const outcomes: PromptOutcome[] = ['wrongNumber', 'wrongNumber', 'wrongNumber', 'wrongNumber'];
  const storm = await promptStorm(random, sink, victim, attacker, start, outcomes, [270, 300]);
  const { approvalTime, sessionId } = await approvalAndSession(random, sink, victim, attacker, storm.end);
  const downloadTime = approvalTime + 14 * MINUTE_MS;
  await sink.office(fileDownloaded(random, victim, downloadTime, attacker.ipAddress, 'Payroll-2026.xlsx'));
  return {
    id: 'wrong-number-then-approval',
    userPrincipalName: victim.userPrincipalName,
    attackerIPAddress: attacker.ipAddress,
    attackerCountry: attacker.place.countryOrRegion,
    denials: storm.denialTimes.length,
    firstDenial: iso(storm.denialTimes[0]),
    lastDenial: iso(storm.denialTimes[storm.denialTimes.length - 1]),
    approvalTime: iso(approvalTime),
    sessionId,
    fileDownloaded: iso(downloadTime),
  };
}
