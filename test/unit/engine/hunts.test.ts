import * as assert from 'node:assert/strict';
import { findHunt, HUNTS } from '../../../src/hunts/library';
import { renderHunt } from '../../../src/hunts/render';
import { loadKustoLanguage } from '../../../src/kusto/service';
import { database, minutesAgo, rowsOf } from './tables';

const ALICE = 'Alice@Contoso.com';
const ATTACKER_IP = '203.0.113.66';
const HOME_IP = '198.51.100.10';

let requestCounter = 0;

/** Returns one SigninLogs row of an MFA sign-in, with `overrides` in place of the defaults. */
function signIn(minutes: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  requestCounter += 1;
  return {
    TimeGenerated: minutesAgo(minutes),
    UserPrincipalName: ALICE,
    IPAddress: ATTACKER_IP,
    AppDisplayName: 'Office 365 Exchange Online',
    AuthenticationRequirement: 'multiFactorAuthentication',
    ResultType: '0',
    ResultDescription: '',
    OriginalRequestId: `request-${requestCounter}`,
    CorrelationId: `correlation-${requestCounter}`,
    Status: { errorCode: 0, additionalDetails: 'MFA completed in Azure AD' },
    LocationDetails: { countryOrRegion: 'RU', city: 'Moscow' },
    AuthenticationDetails: '[]',
    SessionId: 'session-1',
    UniqueTokenIdentifier: `token-${requestCounter}`,
    ...overrides,
  };
}

/** Returns a denied MFA prompt (ResultType 500121). */
function denial(minutes: number, detail = 'MFA denied; user declined the authentication', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return signIn(minutes, { ResultType: '500121', Status: { errorCode: 500121, additionalDetails: detail }, ...overrides });
}

/** `count` denials one minute apart, the first `startMinutes` before the reference time. */
function storm(startMinutes: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => denial(startMinutes - index));
}

function runHunt(id: string, rows: Parameters<typeof database>[1]): Record<string, unknown>[] {
  const hunt = findHunt(id);
  assert.ok(hunt, `hunt ${id} exists`);
  return rowsOf(database(hunt.target, rows), renderHunt(hunt));
}

describe('local engine hunts', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('runs every hunt on empty tables', () => {
    for (const hunt of HUNTS) {
      assert.deepEqual(rowsOf(database(hunt.target), renderHunt(hunt)), [], hunt.id);
    }
  });

  it('finds repeated MFA failures', () => {
    const rows = runHunt('mfa-failures-and-denials', {
      SigninLogs: [...storm(120, 3), denial(30, 'x', { UserPrincipalName: 'bob@contoso.com' }), signIn(10)],
    });
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.UserFailedAttempts, row.Country, row.MfaResultDetail]),
      Array(3).fill(['alice@contoso.com', 3, 'RU', 'MFA denied; user declined the authentication']),
    );
    assert.ok((rows[0].TimeGenerated as string) < (rows[1].TimeGenerated as string));
  });

  it('finds an MFA prompt burst and its approval', () => {
    const rows = runHunt('mfa-prompt-burst', { SigninLogs: [...storm(60, 6), signIn(50)] });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].UserPrincipalName, 'alice@contoso.com');
    assert.equal(rows[0].Denials, 6);
    assert.equal(rows[0].MaxDenialsInWindow, 6);
    assert.equal(rows[0].Approved, true);
    assert.equal(rows[0].BurstDuration, '00:05:00');
    assert.equal(rows[0].TimeToApproval, '00:05:00');
    assert.deepEqual(rows[0].DenialIPs, [ATTACKER_IP]);
  });

  it('finds a prompt burst in Defender XDR', () => {
    const event = (minutes: number, errorCode: number, index: number): Record<string, unknown> => ({
      Timestamp: minutesAgo(minutes),
      AccountUpn: ALICE,
      ErrorCode: errorCode,
      RequestId: `xdr-${index}`,
      IPAddress: ATTACKER_IP,
      Country: 'RU',
      LogonType: '["interactiveUser"]',
      AuthenticationRequirement: 'multiFactorAuthentication',
      SessionId: 'xdr-session',
    });
    const denials = Array.from({ length: 5 }, (_, index) => event(40 - index, 500121, index));
    const rows = runHunt('mfa-prompt-burst-xdr', { AADSignInEventsBeta: [...denials, event(30, 0, 99)] });
    assert.deepEqual(
      rows.map((row) => [row.AccountUpn, row.Denials, row.Approved, row.SessionId]),
      [['alice@contoso.com', 5, true, 'xdr-session']],
    );
  });

  it('finds prompts outside the usual hours', () => {
    const baseline = Array.from({ length: 21 }, (_, day) =>
      signIn(0, { TimeGenerated: new Date(Date.UTC(2024, 4, 12 + day, 10, 0)).toISOString(), IPAddress: HOME_IP }),
    );
    const night = denial(0, 'MFA denied', { TimeGenerated: '2024-06-09T03:00:00Z' });
    const rows = runHunt('prompts-outside-usual-hours', { SigninLogs: [...baseline, night] });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].UserPrincipalName, 'alice@contoso.com');
    assert.equal(rows[0].Denials, 1);
    assert.equal(rows[0].BaselineSignIns, 21);
    assert.deepEqual(rows[0].PromptHours, [3]);
    assert.equal(rows[0].UsualHours, '[10]');
  });

  it('finds a reported fraud and the approval after it', () => {
    const rows = runHunt('fraud-reported', {
      SigninLogs: [denial(90, 'MFA denied; Phone App Reported Fraud'), signIn(60)],
    });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].UserPrincipalName, 'alice@contoso.com');
    assert.deepEqual(rows[0].Sources, ['SigninLogs']);
    assert.equal(rows[0].ApprovalTime, minutesAgo(60).replace(/\.000Z$/, '.0000000Z'));
    assert.equal(rows[0].TimeToApproval, '00:30:00');
  });

  it('finds a success after repeated failures', () => {
    const rows = runHunt('success-after-failures', { SigninLogs: [signIn(300), ...storm(60, 5), signIn(50)] });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.IPAddress, row.FailedAttempts, row.SuccessfulAttempts]),
      [['alice@contoso.com', ATTACKER_IP, 5, 2]],
    );
  });

  it('finds denials followed by an approval', () => {
    const rows = runHunt('denials-then-approval', { SigninLogs: [...storm(40, 3), signIn(30)] });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.Denials, row.ApprovedFromDenialIP, row.TimeToApproval]),
      [['alice@contoso.com', 3, true, '00:08:00']],
    );
  });

  it('finds wrong-number denials followed by an approval', () => {
    const rows = runHunt('wrong-number-then-approval', {
      SigninLogs: [denial(20, 'The user did not select the correct number'), denial(19), signIn(10)],
    });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.WrongNumberDenials, row.TimeToApproval]),
      [['alice@contoso.com', 1, '00:10:00']],
    );
  });

  it('finds an approval from a new IP and country', () => {
    const home = { IPAddress: HOME_IP, LocationDetails: { countryOrRegion: 'US' } };
    const baseline = Array.from({ length: 3 }, (_, index) => signIn((10 + index) * 24 * 60, home));
    const rows = runHunt('approval-from-new-location', { SigninLogs: [...baseline, signIn(60 * 24 * 9, home), signIn(30)] });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.ApprovalIPAddress, row.NewIPAddress, row.NewCountry, row.HasBaseline, row.BaselineSignIns]),
      [['alice@contoso.com', ATTACKER_IP, true, true, true, 4]],
    );
  });

  it('lists mailbox and file activity', () => {
    const rows = runHunt('activity-after-approval', {
      OfficeActivity: [
        { TimeGenerated: minutesAgo(20), UserId: ALICE, Operation: 'MailItemsAccessed', OfficeWorkload: 'Exchange', ClientIP: '[2001:db8::1]:443' },
        { TimeGenerated: minutesAgo(10), UserId: ALICE, Operation: 'FileDownloaded', OfficeWorkload: 'SharePoint', ClientIP: '198.51.100.7:5555', SourceFileName: 'payroll.xlsx' },
        { TimeGenerated: minutesAgo(5), UserId: ALICE, Operation: 'UserLoggedIn', ClientIP: '198.51.100.7' },
      ],
    });
    assert.deepEqual(
      rows.map((row) => [row.Operation, row.IPAddress, row.ItemName]),
      [
        ['MailItemsAccessed', '2001:db8::1', ''],
        ['FileDownloaded', '198.51.100.7', 'payroll.xlsx'],
      ],
    );
    assert.equal((rows[1].RawEventData as Record<string, unknown>).SourceFileName, 'payroll.xlsx');
  });

  it('lists cloud app activity in Defender XDR', () => {
    const rows = runHunt('activity-after-approval-xdr', {
      CloudAppEvents: [
        { Timestamp: minutesAgo(15), ActionType: 'MailItemsAccessed', RawEventData: { UserId: ALICE }, IPAddress: ATTACKER_IP },
        { Timestamp: minutesAgo(15), ActionType: 'Other', RawEventData: { UserId: ALICE } },
      ],
    });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.ActionType, row.IPAddress]),
      [[ALICE, 'MailItemsAccessed', ATTACKER_IP]],
    );
  });

  it('finds an inbox rule created after the approval', () => {
    const parameters = JSON.stringify([
      { Name: 'Name', Value: 'hide replies' },
      { Name: 'MoveToFolder', Value: 'RSS Feeds' },
      { Name: 'SubjectContainsWords', Value: 'invoice' },
    ]);
    const rows = runHunt('inbox-rule-after-approval', {
      SigninLogs: [...storm(120, 3), signIn(110)],
      OfficeActivity: [
        { TimeGenerated: minutesAgo(60), UserId: ALICE, Operation: 'New-InboxRule', OfficeId: 'office-1', ClientIP: '203.0.113.66:5050', Parameters: parameters },
      ],
    });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.RuleName, row.MoveToFolder, row.Keywords, row.ClientIPAddress, row.SameIPAsApproval, row.DenialsBeforeApproval]),
      [['alice@contoso.com', 'hide replies', 'RSS Feeds', 'invoice', ATTACKER_IP, true, 3]],
    );
    assert.equal(rows[0].TimeFromApproval, '00:50:00');
  });

  it('finds an MFA method registered after the approval', () => {
    const rows = runHunt('mfa-method-registered-after-approval', {
      SigninLogs: [...storm(120, 3), signIn(110)],
      AuditLogs: [
        {
          TimeGenerated: minutesAgo(100),
          Id: 'audit-1',
          OperationName: 'User registered security info',
          Result: 'success',
          TargetResources: [{ userPrincipalName: ALICE }],
          InitiatedBy: { user: { userPrincipalName: ALICE, ipAddress: ATTACKER_IP } },
        },
      ],
    });
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.OperationName, row.SameIPAsApproval, row.DenialsBeforeApproval, row.TimeFromApproval]),
      [['alice@contoso.com', 'User registered security info', true, 3, '00:10:00']],
    );
  });

  it('follows the approved session into non-interactive sign-ins', () => {
    const nonInteractive = (minutes: number, ip: string): Record<string, unknown> => ({
      TimeGenerated: minutesAgo(minutes),
      UserPrincipalName: ALICE,
      SessionId: 'session-1',
      IPAddress: ip,
      AppDisplayName: 'Microsoft Outlook',
      ResourceDisplayName: 'Office 365 Exchange Online',
      ResultType: '0',
      Status: '{"errorCode": 0}',
      LocationDetails: '{"countryOrRegion": "RU"}',
      DeviceDetail: '{"operatingSystem": "Windows 10"}',
    });
    const rows = runHunt('approved-session-non-interactive', {
      SigninLogs: [...storm(120, 3), signIn(110)],
      AADNonInteractiveUserSignInLogs: [nonInteractive(100, ATTACKER_IP), nonInteractive(90, '192.0.2.99'), nonInteractive(200, '192.0.2.1')],
    });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].NonInteractiveSignIns, 2);
    assert.deepEqual(rows[0].OtherIPs, ['192.0.2.99']);
    assert.deepEqual(rows[0].ErrorCodes, [0]);
    assert.deepEqual(rows[0].OperatingSystems, ['Windows 10']);
    assert.equal(rows[0].SessionDuration, '00:20:00');
  });
});
