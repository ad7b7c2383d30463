/** Where the generator sends rows; the export writers implement it. */
import type { GraphSignIn } from './signIns';
import type { SampleUser } from './tenant';

export interface SampleSink {
  /** Sign-ins of one user, interactive or not; the sink picks the export by user and kind. */
  signIns(user: SampleUser, records: readonly GraphSignIn[]): Promise<void>;
  office(row: Record<string, unknown>): Promise<void>;
  cloudApp(row: Record<string, unknown>): Promise<void>;
  /** An Azure Monitor diagnostic record of category AuditLogs. */
  audit(record: Record<string, unknown>): Promise<void>;
  risk(row: Record<string, unknown>): Promise<void>;
}
