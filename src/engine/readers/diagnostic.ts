/**
 * Mapping of Azure Monitor diagnostic records (Entra diagnostic settings sent
 * to a storage account or an event hub): top-level `time`, `category`,
 * `resultType` and the like, with the Graph-shaped record under `properties`.
 */
import { AUDIT_LOGS } from '../../schema/logAnalytics';
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';
import { mapGraphSignIn } from './graphSignIns';
import { isObject } from './jsonRecords';
import { scalarText } from './rows';

/** Diagnostic category and the table its records go to. */
export const DIAGNOSTIC_TABLES: ReadonlyMap<string, TableSchema> = new Map([
  ['signinlogs', SIGNIN_LOGS],
  ['noninteractiveusersigninlogs', AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS],
  ['auditlogs', AUDIT_LOGS],
]);

/** Returns whether a JSON record is an Azure Monitor diagnostic record. */
export function isDiagnosticRecord(record: Readonly<Record<string, unknown>>): boolean {
  return typeof record.category === 'string' && isObject(record.properties) && 'time' in record;
}

/** Returns the table of a diagnostic record, or undefined for a category that has no bundled table. */
export function diagnosticTable(record: Readonly<Record<string, unknown>>): TableSchema | undefined {
  return DIAGNOSTIC_TABLES.get(String(record.category).toLowerCase());
}

/** Maps a diagnostic record to column values of its table. */
export function mapDiagnosticRecord(record: Readonly<Record<string, unknown>>, table: TableSchema): Record<string, unknown> {
  const properties = record.properties as Record<string, unknown>;
  const values = table === AUDIT_LOGS ? mapAuditProperties(properties) : mapGraphSignIn(properties, table);
  // The envelope's fields win over the ones derived from properties.
  values.TimeGenerated = record.time;
  values.OperationName = record.operationName ?? values.OperationName;
  values.OperationVersion = record.operationVersion;
  // AuditLogs keeps the audit category (UserManagement, ...) from properties.
  values.Category = table === AUDIT_LOGS ? values.Category : record.category;
  values.Level = record.Level ?? record.level;
  values.Location = record.location ?? values.Location;
  values.Identity = record.identity ?? values.Identity;
  values.TenantId = record.tenantId;
  values.ResourceId = record.resourceId;
  values.DurationMs = record.durationMs;
  values.CorrelationId = record.correlationId ?? values.CorrelationId;
  if (record.resultType !== undefined && record.resultType !== null) {
    values.ResultType = scalarText(record.resultType);
  }
  values.ResultSignature = record.resultSignature;
  values.ResultDescription = record.resultDescription ?? values.ResultDescription;
  values.Type = table.name;
  return values;
}

/** Maps the properties of an AuditLogs diagnostic record (the Graph directoryAudit resource). */
function mapAuditProperties(properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    Id: properties.id,
    Category: properties.category,
    CorrelationId: properties.correlationId,
    Result: properties.result,
    ResultReason: properties.resultReason,
    ActivityDisplayName: properties.activityDisplayName,
    ActivityDateTime: properties.activityDateTime,
    AADOperationType: properties.operationType,
    LoggedByService: properties.loggedByService,
    InitiatedBy: properties.initiatedBy,
    TargetResources: properties.targetResources,
    AdditionalDetails: properties.additionalDetails,
    OperationName: properties.activityDisplayName,
  };
}
