/**
 * Ordinary working days of one user: a morning MFA prompt, sign-ins whose MFA
 * comes from a claim in the token every two hours after it, token refreshes,
 * mailbox and file activity, now and then an unanswered prompt, and for some
 * users a trip in the first week.
 */
import { cloudAppEvent, fileDownloaded, mailItemsAccessed } from './activity';
import type { SeededRandom } from './random';
import { APPS, claimSignIn, mfaAttemptRows, nonInteractiveSignIn, type SignInSetting } from './signIns';
import { TRAVEL_PLACES, type Place, type SampleUser } from './tenant';
import type { SampleSink } from './sink';

export const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** What differs between users' ordinary weeks; storyline users get none of the random events. */
export interface UserHabits {
  /** Unanswered prompts (500121 timeouts) before the morning approval, by day index. */
  readonly timeouts: ReadonlyMap<number, number>;
  /** Whether the user travels on days 2 and 3 of the first week. */
  readonly travels: boolean;
  /** Day indexes on which the user does not sign in at all. */
  readonly daysOff: ReadonlySet<number>;
  /** Whether every denial is logged twice, so counting rows instead of attempts doubles it. */
  readonly duplicateDenials: boolean;
}

/** Draws the habits of an ordinary user. Only users of the Log Analytics export get timeouts and trips. */
export function drawHabits(random: SeededRandom, user: SampleUser, days: number): UserHabits {
  const varied = user.channel === 'logAnalytics';
  const timeouts = new Map<number, number>();
  if (varied && random.chance(0.1)) {
    timeouts.set(random.int(0, days - 1), 1);
  }
  const travels = varied && random.chance(0.05);
  // Days off only in the second week, so the first week shows every user's usual hours and addresses.
  const daysOff = new Set<number>();
  for (let day = 7; day < days; day += 1) {
    if (random.chance(0.04)) {
      daysOff.add(day);
    }
  }
  return { timeouts, travels, daysOff, duplicateDenials: false };
}

/** Writes one ordinary day of a user. `start` is midnight UTC of day `day` (0 is a Monday). */
export async function writeOrdinaryDay(
  random: SeededRandom,
  sink: SampleSink,
  user: SampleUser,
  habits: UserHabits,
  day: number,
  start: number,
): Promise<void> {
  if (habits.daysOff.has(day)) {
    return;
  }
  const weekend = day % 7 >= 5;
  const travelling = habits.travels && (day === 2 || day === 3);
  const place: Place = travelling ? TRAVEL_PLACES[user.index % TRAVEL_PLACES.length] : user.home;
  // Office and home addresses alternate by day, so both appear in the first week; weekends are at home.
  const ipAddress = travelling ? `203.0.113.${200 + (user.index % 50)}` : user.ipAddresses[weekend ? 1 : day % 2];
  const setting: SignInSetting = {
    user,
    ipAddress,
    place,
    device: user.device,
    app: random.pick(APPS),
    sessionId: random.guid(),
    correlationId: random.guid(),
  };
  const startHour = user.home.workStartUtc;

  if (weekend) {
    if (random.chance(0.15)) {
      const time = start + startHour * HOUR_MS + random.int(0, 40) * MINUTE_MS;
      await sink.signIns(user, mfaAttemptRows(random, setting, time, 'approved'));
    }
    return;
  }

  // The morning prompt. The rare unanswered one is retried within minutes, in the same hour.
  let time = start + startHour * HOUR_MS + random.int(0, 40) * MINUTE_MS;
  for (let attempt = 0; attempt < (habits.timeouts.get(day) ?? 0); attempt += 1) {
    await sink.signIns(user, mfaAttemptRows(random, setting, time, 'timeout', habits.duplicateDenials || random.chance(0.5)));
    time += random.int(2, 5) * MINUTE_MS;
  }
  await sink.signIns(user, mfaAttemptRows(random, setting, time, 'approved'));

  // Later sign-ins at fixed two-hour slots satisfy MFA from the token, so the
  // user's usual hours are the same every working day.
  for (let slot = 1; slot <= 4; slot += 1) {
    const slotTime = start + (startHour + 2 * slot) * HOUR_MS + random.int(0, 55) * MINUTE_MS;
    const slotSetting = { ...setting, app: random.pick(APPS), correlationId: random.guid() };
    await sink.signIns(user, [claimSignIn(random, slotSetting, slotTime)]);
    if (random.chance(0.35)) {
      await sink.signIns(user, [nonInteractiveSignIn(random, slotSetting, slotTime + random.int(5, 50) * MINUTE_MS)]);
    }
  }

  if (random.chance(0.5)) {
    const mailTime = start + (startHour + 1) * HOUR_MS + random.int(0, 50) * MINUTE_MS;
    const clientIP = random.chance(0.5) ? `${ipAddress}:${random.int(49152, 65535)}` : ipAddress;
    await sink.office(mailItemsAccessed(random, user, mailTime, clientIP));
    if (random.chance(0.3)) {
      await sink.cloudApp(cloudAppEvent(random, user, mailTime, 'MailItemsAccessed', ipAddress, place));
    }
  }
  if (random.chance(0.15)) {
    const fileTime = start + (startHour + 3) * HOUR_MS + random.int(0, 50) * MINUTE_MS;
    await sink.office(fileDownloaded(random, user, fileTime, ipAddress, `Report-${day + 1}.xlsx`));
  }
}
