/**
 * The Entra admin center sign-in download: display-name headers, including
 * the quirks of the real files (trailing and doubled spaces in some headers,
 * "Incoming token type" twice), and the auth-details file beside it.
 */
import { scalarText } from '../engine/readers/rows';
import type { GraphSignIn } from './signIns';

export const ENTRA_SIGN_IN_HEADERS = [
  'Date (UTC)',
  'Request ID',
  'User agent',
  'Correlation ID',
  'User ID',
  'User',
  'Username',
  'User type',
  'Cross tenant access type',
  'Incoming token type',
  'Authentication Protocol',
  'Unique token identifier',
  'Application',
  'Application ID ',
  'Resource',
  'Resource ID ',
  'Resource tenant ID',
  'Home tenant ID',
  'IP address',
  'Location',
  'Status',
  'Sign-in error code',
  'Failure reason',
  'Client app',
  'Device ID',
  'Browser',
  'Operating System',
  'Compliant',
  'Managed',
  'Join Type',
  'Multifactor authentication result',
  'Multifactor authentication auth method',
  'Multifactor authentication auth detail',
  'Authentication requirement',
  'Sign-in identifier',
  'Session ID',
  'Autonomous system  number',
  'Flagged for review',
  'Token issuer type',
  'Incoming token type',
  'Token issuer name',
  'Latency',
  'Conditional Access',
];

export const ENTRA_AUTH_DETAILS_HEADERS = [
  'Request ID',
  'Date (UTC)',
  'Authentication method',
  'Authentication method detail',
  'Succeeded',
  'Result detail',
  'Requirement',
];

type Bag = Record<string, unknown>;

const text = (value: unknown): string => scalarText(value) ?? '';
function yesNo(value: unknown): string {
  if (typeof value !== 'boolean') {
    return '';
  }
  return value ? 'Yes' : 'No';
}

/** Returns the Status column of the download: Success, Failure, or Interrupted for the expected interrupts. */
function statusText(errorCode: number): string {
  if (errorCode === 0) {
    return 'Success';
  }
  return errorCode === 50074 || errorCode === 50140 ? 'Interrupted' : 'Failure';
}

/** Returns the download's row for one Graph signIn record, in ENTRA_SIGN_IN_HEADERS order. */
export function entraSignInRow(record: GraphSignIn): string[] {
  const status = record.status as Bag;
  const location = record.location as Bag;
  const device = record.deviceDetail as Bag;
  const errorCode = Number(status.errorCode);
  const mfaStep = (record.authenticationDetails as Bag[]).find((step) => step.authenticationStepRequirement !== 'Primary authentication');
  return [
    text(record.createdDateTime),
    text(record.id),
    text(record.userAgent),
    text(record.correlationId),
    text(record.userId),
    text(record.userDisplayName),
    text(record.userPrincipalName),
    text(record.userType),
    'None',
    'None',
    'None',
    text(record.uniqueTokenIdentifier),
    text(record.appDisplayName),
    text(record.appId),
    text(record.resourceDisplayName),
    text(record.resourceId),
    text(record.resourceTenantId),
    text(record.homeTenantId),
    text(record.ipAddress),
    `${text(location.city)}, ${text(location.state)}, ${text(location.countryOrRegion)}`,
    statusText(errorCode),
    String(errorCode),
    text(status.failureReason),
    text(record.clientAppUsed),
    text(device.deviceId),
    text(device.browser),
    text(device.operatingSystem),
    yesNo(device.isCompliant),
    yesNo(device.isManaged),
    text(device.trustType),
    text(status.additionalDetails),
    text(mfaStep?.authenticationMethod),
    text(mfaStep?.authenticationMethodDetail),
    record.authenticationRequirement === 'multiFactorAuthentication' ? 'Multifactor authentication' : 'Single-factor authentication',
    text(record.userPrincipalName),
    text(record.sessionId),
    text(record.autonomousSystemNumber),
    'No',
    text(record.tokenIssuerType),
    'None',
    '',
    '120',
    record.conditionalAccessStatus === 'notApplied' ? 'Not Applied' : text(record.conditionalAccessStatus),
  ];
}

/** Returns the auth-details rows of one Graph signIn record, in ENTRA_AUTH_DETAILS_HEADERS order. */
export function entraAuthDetailsRows(record: GraphSignIn): string[][] {
  return (record.authenticationDetails as Bag[]).map((step) => [
    text(record.id),
    text(step.authenticationStepDateTime),
    text(step.authenticationMethod),
    text(step.authenticationMethodDetail),
    step.succeeded === true ? 'True' : 'False',
    text(step.authenticationStepResultDetail),
    text(step.authenticationStepRequirement),
  ]);
}
