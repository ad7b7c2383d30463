/**
 * Defender XDR advanced hunting tables that hunts after an MFA approval
 * read: device sign-ins, network connections and processes of the approving
 * user, Safe Links clicks, and on-premises directory changes.
 *
 * Source: MicrosoftDocs/defender-docs, defender-xdr/advanced-hunting-<table>-table.md.
 * The date of each page is given at its table.
 */
import { defineTable, type KustoColumnType } from './schemaTypes';

/**
 * The columns that describe the process behind a device event, in the order
 * the DeviceNetworkEvents page lists them. The logon and process pages list
 * InitiatingProcessParentId before InitiatingProcessParentFileName.
 */
const INITIATING_PROCESS_COLUMNS: Readonly<Record<string, KustoColumnType>> = {
  InitiatingProcessSHA1: 'string',
  InitiatingProcessSHA256: 'string',
  InitiatingProcessMD5: 'string',
  InitiatingProcessFileName: 'string',
  InitiatingProcessFileSize: 'long',
  InitiatingProcessVersionInfoCompanyName: 'string',
  InitiatingProcessVersionInfoProductName: 'string',
  InitiatingProcessVersionInfoProductVersion: 'string',
  InitiatingProcessVersionInfoInternalFileName: 'string',
  InitiatingProcessVersionInfoOriginalFileName: 'string',
  InitiatingProcessVersionInfoFileDescription: 'string',
  InitiatingProcessId: 'long',
  InitiatingProcessCommandLine: 'string',
  InitiatingProcessCreationTime: 'datetime',
  InitiatingProcessFolderPath: 'string',
  InitiatingProcessParentFileName: 'string',
  InitiatingProcessParentId: 'long',
  InitiatingProcessParentCreationTime: 'datetime',
};

/** The account that ran the initiating process, as DeviceLogonEvents and DeviceNetworkEvents list it. */
const INITIATING_ACCOUNT_COLUMNS: Readonly<Record<string, KustoColumnType>> = {
  InitiatingProcessAccountDomain: 'string',
  InitiatingProcessAccountName: 'string',
  InitiatingProcessAccountSid: 'string',
  InitiatingProcessAccountUpn: 'string',
  InitiatingProcessAccountObjectId: 'string',
  InitiatingProcessIntegrityLevel: 'string',
  InitiatingProcessTokenElevation: 'string',
};

/** The remote desktop session of the initiating process, the last columns of the logon and network pages. */
const REMOTE_SESSION_COLUMNS: Readonly<Record<string, KustoColumnType>> = {
  InitiatingProcessSessionId: 'long',
  IsInitiatingProcessRemoteSession: 'bool',
  InitiatingProcessRemoteSessionDeviceName: 'string',
  InitiatingProcessRemoteSessionIP: 'string',
};

/** advanced-hunting-devicelogonevents-table.md, 2024-09-06. The page gives IsLocalAdmin as `boolean`, Kusto's bool. */
export const DEVICE_LOGON_EVENTS = defineTable('DeviceLogonEvents', {
  Timestamp: 'datetime',
  DeviceId: 'string',
  DeviceName: 'string',
  ActionType: 'string',
  LogonType: 'string',
  AccountDomain: 'string',
  AccountName: 'string',
  AccountSid: 'string',
  Protocol: 'string',
  FailureReason: 'string',
  IsLocalAdmin: 'bool',
  LogonId: 'long',
  RemoteDeviceName: 'string',
  RemoteIP: 'string',
  RemoteIPType: 'string',
  RemotePort: 'int',
  ...INITIATING_ACCOUNT_COLUMNS,
  ...INITIATING_PROCESS_COLUMNS,
  ReportId: 'long',
  AppGuardContainerId: 'string',
  // JSON as text: parse it with todynamic() before reading a property.
  AdditionalFields: 'string',
  ...REMOTE_SESSION_COLUMNS,
});

/** advanced-hunting-devicenetworkevents-table.md, 2024-09-06. */
export const DEVICE_NETWORK_EVENTS = defineTable('DeviceNetworkEvents', {
  Timestamp: 'datetime',
  DeviceId: 'string',
  DeviceName: 'string',
  ActionType: 'string',
  RemoteIP: 'string',
  RemotePort: 'int',
  RemoteUrl: 'string',
  LocalIP: 'string',
  LocalPort: 'int',
  Protocol: 'string',
  LocalIPType: 'string',
  RemoteIPType: 'string',
  ...INITIATING_PROCESS_COLUMNS,
  ...INITIATING_ACCOUNT_COLUMNS,
  ReportId: 'long',
  AppGuardContainerId: 'string',
  AdditionalFields: 'string',
  ...REMOTE_SESSION_COLUMNS,
});

/** advanced-hunting-deviceprocessevents-table.md, 2024-04-11. */
export const DEVICE_PROCESS_EVENTS = defineTable('DeviceProcessEvents', {
  Timestamp: 'datetime',
  DeviceId: 'string',
  DeviceName: 'string',
  ActionType: 'string',
  FileName: 'string',
  FolderPath: 'string',
  SHA1: 'string',
  SHA256: 'string',
  MD5: 'string',
  FileSize: 'long',
  ProcessVersionInfoCompanyName: 'string',
  ProcessVersionInfoProductName: 'string',
  ProcessVersionInfoProductVersion: 'string',
  ProcessVersionInfoInternalFileName: 'string',
  ProcessVersionInfoOriginalFileName: 'string',
  ProcessVersionInfoFileDescription: 'string',
  ProcessId: 'long',
  ProcessCommandLine: 'string',
  ProcessIntegrityLevel: 'string',
  ProcessTokenElevation: 'string',
  ProcessCreationTime: 'datetime',
  AccountDomain: 'string',
  AccountName: 'string',
  AccountSid: 'string',
  AccountUpn: 'string',
  AccountObjectId: 'string',
  LogonId: 'long',
  InitiatingProcessAccountDomain: 'string',
  InitiatingProcessAccountName: 'string',
  InitiatingProcessAccountSid: 'string',
  InitiatingProcessAccountUpn: 'string',
  InitiatingProcessAccountObjectId: 'string',
  InitiatingProcessLogonId: 'long',
  InitiatingProcessIntegrityLevel: 'string',
  InitiatingProcessTokenElevation: 'string',
  ...INITIATING_PROCESS_COLUMNS,
  InitiatingProcessSignerType: 'string',
  InitiatingProcessSignatureStatus: 'string',
  ReportId: 'long',
  AppGuardContainerId: 'string',
  AdditionalFields: 'string',
});

/**
 * advanced-hunting-urlclickevents-table.md, 2024-01-16. ReportId is text
 * here, unlike the device tables, and IsClickedThrough is bool.
 */
export const URL_CLICK_EVENTS = defineTable('UrlClickEvents', {
  Timestamp: 'datetime',
  Url: 'string',
  ActionType: 'string',
  AccountUpn: 'string',
  Workload: 'string',
  NetworkMessageId: 'string',
  ThreatTypes: 'string',
  DetectionMethods: 'string',
  IPAddress: 'string',
  IsClickedThrough: 'bool',
  UrlChain: 'string',
  ReportId: 'string',
});

/** advanced-hunting-identitydirectoryevents-table.md, 2025-03-28. AdditionalFields is dynamic in this table. */
export const IDENTITY_DIRECTORY_EVENTS = defineTable('IdentityDirectoryEvents', {
  Timestamp: 'datetime',
  ActionType: 'string',
  Application: 'string',
  TargetAccountUpn: 'string',
  TargetAccountDisplayName: 'string',
  TargetDeviceName: 'string',
  DestinationDeviceName: 'string',
  DestinationIPAddress: 'string',
  DestinationPort: 'int',
  Protocol: 'string',
  AccountName: 'string',
  AccountDomain: 'string',
  AccountUpn: 'string',
  AccountSid: 'string',
  AccountObjectId: 'string',
  AccountDisplayName: 'string',
  DeviceName: 'string',
  IPAddress: 'string',
  Port: 'int',
  Location: 'string',
  ISP: 'string',
  ReportId: 'string',
  AdditionalFields: 'dynamic',
});
