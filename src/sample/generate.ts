/**
 * Generates the sample tenant's exports: `node out/src/sample/generate.js
 * [--out folder] [--seed n] [--users n | --rows n]`. The same seed and size
 * always write the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { AAD_USER_RISK_EVENTS, CLOUD_APP_EVENTS, OFFICE_ACTIVITY } from '../schema/logAnalytics';
import { newInboxRule, OFFICE_ACTIVITY_COLUMNS, RISK_EVENT_COLUMNS, riskEvent, securityInfoAudit } from './activity';
import { DAY_MS, drawHabits, writeOrdinaryDay, type UserHabits } from './dailyLife';
import { ENTRA_AUTH_DETAILS_HEADERS, ENTRA_SIGN_IN_HEADERS, entraAuthDetailsRows, entraSignInRow } from './entraExport';
import { SeededRandom } from './random';
import type { GraphSignIn } from './signIns';
import type { SampleSink } from './sink';
import { pickCast, writeNightApproval, writeRefusedAndReported, writeWrongNumber } from './storylines';
import { createUsers, type ExportChannel, type SampleUser } from './tenant';
import { expectedFlags } from './truth';
import { CsvFile, GraphPagesFile, JsonArrayFile, JsonLinesFile, logAnalyticsObject, outputPath, signInLogsObject } from './writers';

/** Monday 2026-11-16 00:00 UTC, the first of the sample's 14 days. */
export const SAMPLE_START = Date.UTC(2026, 10, 16);
export const SAMPLE_DAYS = 14;
/** Sign-in rows per user over the 14 days, measured on the default sample; sizes the `--rows` option. */
const ROWS_PER_USER = 87;
/** The smallest tenant that has a user at home in each storyline's city, for nearly every seed. */
const MIN_USERS = 60;

export interface SampleOptions {
  readonly out: string;
  readonly seed: number;
  readonly users: number;
}

/** Names of the files the generator writes. */
export const SAMPLE_FILES = {
  signInLogs: 'SigninLogs.json.gz',
  graphInteractive: 'GraphSignIns_interactive.json',
  graphNonInteractive: 'GraphSignIns_NonInteractive.jsonl.gz',
  entraSignIns: 'InteractiveSignIns_2026-11-16_2026-11-29.csv',
  entraAuthDetails: 'InteractiveSignIns_AuthDetails_2026-11-16_2026-11-29.csv',
  auditLogs: 'insights-logs-auditlogs.json',
  officeActivity: 'OfficeActivity.csv',
  cloudAppEvents: 'CloudAppEvents.json',
  riskEvents: 'AADUserRiskEvents.csv',
  storylines: 'storylines.json',
} as const;

/** Returns the export of a user's sign-ins: one user in 20 is in the Entra download, another in Graph pages, the rest in Log Analytics. */
function channelOf(index: number): ExportChannel {
  if (index % 20 === 3) {
    return 'entra';
  }
  return index % 20 === 13 ? 'graph' : 'logAnalytics';
}

/** The export writers behind the generator's sink, with the newest row time seen. */
class ExportSink implements SampleSink {
  newest = 0;
  rows = 0;
  private readonly signInLogs: JsonArrayFile;
  private readonly graphInteractive: GraphPagesFile;
  private readonly graphNonInteractive: JsonLinesFile;
  private readonly entraSignIns: CsvFile;
  private readonly entraAuthDetails: CsvFile;
  private readonly auditLogs: JsonLinesFile;
  private readonly officeActivity: CsvFile;
  private readonly cloudAppEvents: JsonArrayFile;
  private readonly riskEvents: CsvFile;

  constructor(folder: string) {
    const path = (name: string) => outputPath(folder, name);
    this.signInLogs = new JsonArrayFile(path(SAMPLE_FILES.signInLogs));
    this.graphInteractive = new GraphPagesFile(path(SAMPLE_FILES.graphInteractive));
    this.graphNonInteractive = new JsonLinesFile(path(SAMPLE_FILES.graphNonInteractive));
    this.entraSignIns = new CsvFile(path(SAMPLE_FILES.entraSignIns), ENTRA_SIGN_IN_HEADERS);
    this.entraAuthDetails = new CsvFile(path(SAMPLE_FILES.entraAuthDetails), ENTRA_AUTH_DETAILS_HEADERS);
    this.auditLogs = new JsonLinesFile(path(SAMPLE_FILES.auditLogs));
    this.officeActivity = new CsvFile(path(SAMPLE_FILES.officeActivity), OFFICE_ACTIVITY_COLUMNS);
    this.cloudAppEvents = new JsonArrayFile(path(SAMPLE_FILES.cloudAppEvents));
    this.riskEvents = new CsvFile(path(SAMPLE_FILES.riskEvents), RISK_EVENT_COLUMNS);
  }

  private seen(time: unknown): void {
    this.newest = Math.max(this.newest, Date.parse(String(time)));
    this.rows += 1;
  }

  async signIns(user: SampleUser, records: readonly GraphSignIn[]): Promise<void> {
    for (const record of records) {
      this.seen(record.createdDateTime);
      if (record.isInteractive === false) {
        await this.graphNonInteractive.add(record);
      } else if (user.channel === 'graph') {
        await this.graphInteractive.add(record);
      } else if (user.channel === 'entra') {
        await this.entraSignIns.add(entraSignInRow(record));
        for (const row of entraAuthDetailsRows(record)) {
          await this.entraAuthDetails.add(row);
        }
      } else {
        await this.signInLogs.add(signInLogsObject(record));
      }
    }
  }

  async office(row: Record<string, unknown>): Promise<void> {
    this.seen(row.TimeGenerated);
    const values = logAnalyticsObject(OFFICE_ACTIVITY, row);
    await this.officeActivity.add(OFFICE_ACTIVITY_COLUMNS.map((column) => values[column]));
  }

  async cloudApp(row: Record<string, unknown>): Promise<void> {
    this.seen(row.TimeGenerated);
    await this.cloudAppEvents.add(logAnalyticsObject(CLOUD_APP_EVENTS, row));
  }

  async audit(record: Record<string, unknown>): Promise<void> {
    this.seen(record.time);
    await this.auditLogs.add(record);
  }

  async risk(row: Record<string, unknown>): Promise<void> {
    this.seen(row.TimeGenerated);
    const values = logAnalyticsObject(AAD_USER_RISK_EVENTS, row);
    await this.riskEvents.add(RISK_EVENT_COLUMNS.map((column) => values[column]));
  }

  async close(): Promise<void> {
    for (const file of [
      this.signInLogs,
      this.graphInteractive,
      this.graphNonInteractive,
      this.entraSignIns,
      this.entraAuthDetails,
      this.auditLogs,
      this.officeActivity,
      this.cloudAppEvents,
      this.riskEvents,
    ]) {
      await file.close();
    }
  }
}

const NO_HABITS: UserHabits = { timeouts: new Map(), travels: false, daysOff: new Set(), duplicateDenials: false };

/**
 * Writes the first-week events of an ordinary user that are not daily: a new
 * phone's Authenticator registration, and an Identity Protection detection.
 */
async function writeOrdinaryEvents(
  random: SeededRandom,
  sink: SampleSink,
  user: SampleUser,
  hours: (day: number, hour: number, minute: number) => number,
): Promise<void> {
  const day = random.int(0, 4);
  const time = hours(day, user.home.workStartUtc + 1, random.int(0, 59));
  if (random.chance(0.04)) {
    await sink.audit(securityInfoAudit(random, user, time, user.ipAddresses[0], 'User registered security info', 'Microsoft Authenticator'));
  }
  if (random.chance(0.02)) {
    await sink.risk(
      riskEvent(random, user, time, 'unfamiliarFeatures', user.ipAddresses[1], user.home, {
        requestId: random.guid(),
        correlationId: random.guid(),
      }),
    );
  }
}

/** Writes the sample into `options.out` and returns the ground truth written to storylines.json. */
export async function generateSample(options: SampleOptions): Promise<Record<string, unknown>> {
  await mkdir(options.out, { recursive: true });
  const random = new SeededRandom(options.seed);
  const users = createUsers(random, options.users, channelOf);
  const cast = pickCast(users);
  const castUsers = new Set(Object.values(cast));
  const sink = new ExportSink(options.out);
  const dayStart = (day: number) => SAMPLE_START + day * DAY_MS;
  const hours = (day: number, hour: number, minute: number) => dayStart(day) + (hour * 60 + minute) * 60 * 1000;

  for (const user of users) {
    let habits = castUsers.has(user) ? NO_HABITS : drawHabits(random, user, SAMPLE_DAYS);
    if (user === cast.flakyPhone) {
      // Two unanswered prompts before the morning approval, once in each week, every denial logged twice.
      habits = { ...NO_HABITS, timeouts: new Map([[1, 2], [11, 2]]), duplicateDenials: true };
    }
    for (let day = 0; day < SAMPLE_DAYS; day += 1) {
      await writeOrdinaryDay(random, sink, user, habits, day, dayStart(day));
    }
    if (!castUsers.has(user)) {
      await writeOrdinaryEvents(random, sink, user, hours);
    }
  }

  // A benign inbox rule, not after any approval, for the inbox-rule hunt to pass over.
  const ruleUser = users.find((user) => user.channel === 'logAnalytics' && !castUsers.has(user)) ?? users[0];
  await sink.office(
    newInboxRule(random, ruleUser, hours(3, ruleUser.home.workStartUtc + 2, 10), ruleUser.ipAddresses[0], [
      ['Name', 'Newsletters'],
      ['FromAddressContainsWords', 'newsletter'],
      ['MoveToFolder', 'Newsletters'],
    ]),
  );

  const storylines = [
    await writeNightApproval(random, sink, cast.nightApproval, hours(9, 1, 42)),
    await writeRefusedAndReported(random, sink, cast.refusedAndReported, hours(10, 7, 10)),
    await writeWrongNumber(random, sink, cast.wrongNumber, hours(8, cast.wrongNumber.home.workStartUtc + 4, 2)),
  ];
  await sink.close();

  const truth = expectedFlags(cast, storylines, {
    seed: options.seed,
    users: users.length,
    rows: sink.rows,
    referenceTime: new Date(sink.newest).toISOString(),
  });
  await writeFile(outputPath(options.out, SAMPLE_FILES.storylines), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/** Parses the command line: --out, --seed, --users, --rows. */
export function parseSampleArguments(argv: readonly string[]): SampleOptions {
  const options = { out: 'sample/data', seed: 20261116, users: 200 };
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1]];
    if (value === undefined) {
      throw new Error(`${name} needs a value, for example ${name} 200.`);
    }
    if (name === '--out') {
      options.out = value;
    } else if (name === '--seed' || name === '--users' || name === '--rows') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) {
        throw new Error(`${name} must be a positive whole number, not "${value}".`);
      }
      if (name === '--seed') {
        options.seed = number;
      } else if (name === '--users') {
        if (number < MIN_USERS) {
          throw new Error(`--users must be at least ${MIN_USERS}, so that every storyline has a user, not ${number}.`);
        }
        options.users = number;
      } else {
        options.users = Math.max(MIN_USERS, Math.ceil(number / ROWS_PER_USER));
      }
    } else {
      throw new Error(`Unknown option ${name}. Options: --out <folder>, --seed <n>, --users <n>, --rows <n>.`);
    }
  }
  return options;
}

if (require.main === module) {
  generateSample(parseSampleArguments(process.argv.slice(2))).then(
    (truth) => console.log(`Wrote ${String(truth.rows)} rows of ${String(truth.users)} users.`),
    (error: Error) => {
      console.error(`Sample generation failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
