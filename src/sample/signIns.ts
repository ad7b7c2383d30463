/**
 * Builders of Microsoft Graph signIn records (beta shape, camelCase), the form
 * the generator keeps every sign-in in. The writers turn them into each
 * export format.
 */
import type { SeededRandom } from './random';
import { TENANT_ID, type Device, type Place, type SampleUser } from './tenant';

/** A Microsoft Graph signIn record. */
export type GraphSignIn = Record<string, unknown>;

export interface SampleApp {
  readonly appId: string;
  readonly appDisplayName: string;
  readonly resourceId: string;
  readonly resourceDisplayName: string;
}

/** First-party Microsoft application and resource ids, which are the same in every tenant. */
export const APPS: readonly SampleApp[] = [
  {
    appId: '4765445b-32c6-49b0-83e6-1d93765276ca',
    appDisplayName: 'OfficeHome',
    resourceId: '00000003-0000-0000-c000-000000000000',
    resourceDisplayName: 'Microsoft Graph',
  },
  {
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    resourceDisplayName: 'Office 365 Exchange Online',
  },
  {
    appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
    appDisplayName: 'Microsoft Teams',
    resourceId: '00000003-0000-0ff1-ce00-000000000000',
    resourceDisplayName: 'Office 365 SharePoint Online',
  },
];

/** How one MFA attempt ended. */
export type PromptOutcome = 'approved' | 'timeout' | 'declined' | 'wrongNumber' | 'fraud';

/** Status.additionalDetails of each outcome, as Entra writes them. */
export const OUTCOME_DETAILS: Readonly<Record<PromptOutcome, string>> = {
  approved: 'MFA successfully completed',
  timeout: 'MFA denied; user did not respond to mobile app notification',
  declined: 'MFA denied; user declined the authentication',
  wrongNumber: 'MFA denied; user did not select the correct number',
  fraud: 'MFA denied; Phone App Reported Fraud',
};

/** Where and how one sign-in happens. */
export interface SignInSetting {
  readonly user: SampleUser;
  readonly ipAddress: string;
  readonly place: Place;
  readonly device: Device | undefined;
  readonly app: SampleApp;
  readonly sessionId: string;
  readonly correlationId: string;
}

interface RowFields {
  readonly time: number;
  readonly errorCode: number;
  readonly failureReason: string;
  readonly additionalDetails?: string;
  readonly originalRequestId: string;
  readonly isInteractive: boolean;
  readonly authenticationDetails?: ReadonlyArray<Record<string, unknown>>;
}

/** Builds one signIn record. */
function signInRecord(random: SeededRandom, setting: SignInSetting, fields: RowFields): GraphSignIn {
  const { user, place, device, app } = setting;
  const status: Record<string, unknown> = { errorCode: fields.errorCode, failureReason: fields.failureReason };
  if (fields.additionalDetails !== undefined) {
    status.additionalDetails = fields.additionalDetails;
  }
  return {
    id: random.guid(),
    createdDateTime: new Date(fields.time).toISOString(),
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    userId: user.id,
    appId: app.appId,
    appDisplayName: app.appDisplayName,
    ipAddress: setting.ipAddress,
    clientAppUsed: 'Browser',
    userAgent: device?.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    correlationId: setting.correlationId,
    originalRequestId: fields.originalRequestId,
    conditionalAccessStatus: 'notApplied',
    isInteractive: fields.isInteractive,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    resourceDisplayName: app.resourceDisplayName,
    resourceId: app.resourceId,
    resourceTenantId: TENANT_ID,
    homeTenantId: TENANT_ID,
    userType: 'Member',
    authenticationRequirement: 'multiFactorAuthentication',
    tokenIssuerType: 'AzureAD',
    uniqueTokenIdentifier: random.guid().replace(/-/g, '').slice(0, 22),
    sessionId: setting.sessionId,
    autonomousSystemNumber: 64496 + (place.countryOrRegion.charCodeAt(0) % 15),
    status,
    deviceDetail: device
      ? {
          deviceId: device.deviceId,
          displayName: device.displayName,
          operatingSystem: device.operatingSystem,
          browser: device.browser,
          isCompliant: device.isCompliant,
          isManaged: device.isManaged,
          trustType: device.trustType,
        }
      : { deviceId: '', displayName: '', operatingSystem: 'Linux', browser: 'Chrome 130.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: {
      city: place.city,
      state: place.state,
      countryOrRegion: place.countryOrRegion,
      geoCoordinates: { latitude: place.latitude, longitude: place.longitude },
    },
    authenticationDetails: fields.authenticationDetails ?? [],
  };
}

function authenticationSteps(time: number, outcome: PromptOutcome): Array<Record<string, unknown>> {
  return [
    {
      authenticationStepDateTime: new Date(time).toISOString(),
      authenticationMethod: 'Password',
      authenticationMethodDetail: 'Password in the cloud',
      succeeded: true,
      authenticationStepResultDetail: 'Correct password',
      authenticationStepRequirement: 'Primary authentication',
    },
    {
      authenticationStepDateTime: new Date(time).toISOString(),
      authenticationMethod: 'Mobile app notification',
      authenticationMethodDetail: 'Microsoft Authenticator',
      succeeded: outcome === 'approved',
      authenticationStepResultDetail: OUTCOME_DETAILS[outcome],
      authenticationStepRequirement: 'Multi-factor authentication',
    },
  ];
}

/**
 * Returns the rows of one MFA attempt, all sharing its OriginalRequestId: the
 * 50074 interrupt logged as MFA is demanded, then the result. A denied
 * attempt is sometimes logged twice (`duplicateDenial`), and an approval is
 * sometimes followed by the 50140 "keep me signed in" interrupt.
 */
export function mfaAttemptRows(
  random: SeededRandom,
  setting: SignInSetting,
  time: number,
  outcome: PromptOutcome,
  duplicateDenial = false,
): GraphSignIn[] {
  const originalRequestId = random.guid();
  const resultTime = time + random.int(8, 40) * 1000;
  const rows = [
    signInRecord(random, setting, {
      time,
      errorCode: 50074,
      failureReason: 'Strong Authentication is required.',
      additionalDetails: 'MFA required in Azure AD',
      originalRequestId,
      isInteractive: true,
    }),
  ];
  const steps = authenticationSteps(time, outcome);
  if (outcome === 'approved') {
    if (random.chance(0.4)) {
      rows.push(
        signInRecord(random, setting, {
          time: resultTime - 2000,
          errorCode: 50140,
          failureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
          originalRequestId,
          isInteractive: true,
        }),
      );
    }
    rows.push(
      signInRecord(random, setting, {
        time: resultTime,
        errorCode: 0,
        failureReason: 'Other.',
        additionalDetails: OUTCOME_DETAILS.approved,
        originalRequestId,
        isInteractive: true,
        authenticationDetails: steps,
      }),
    );
    return rows;
  }
  const denial = {
    errorCode: 500121,
    failureReason: 'Authentication failed during strong authentication request.',
    additionalDetails: OUTCOME_DETAILS[outcome],
    originalRequestId,
    isInteractive: true,
    authenticationDetails: steps,
  };
  rows.push(signInRecord(random, setting, { ...denial, time: resultTime }));
  if (duplicateDenial) {
    rows.push(signInRecord(random, setting, { ...denial, time: resultTime + 1000 }));
  }
  return rows;
}

/** Returns a successful interactive sign-in whose MFA requirement was met by a claim in the token (no prompt). */
export function claimSignIn(random: SeededRandom, setting: SignInSetting, time: number): GraphSignIn {
  return signInRecord(random, setting, {
    time,
    errorCode: 0,
    failureReason: 'Other.',
    additionalDetails: 'MFA requirement satisfied by claim in the token',
    originalRequestId: random.guid(),
    isInteractive: true,
    authenticationDetails: [
      {
        authenticationStepDateTime: new Date(time).toISOString(),
        authenticationMethod: 'Previously satisfied',
        succeeded: true,
        authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token',
        authenticationStepRequirement: 'Multi-factor authentication',
      },
    ],
  });
}

/** Returns a non-interactive sign-in (a token refresh) in the session of `setting`. */
export function nonInteractiveSignIn(random: SeededRandom, setting: SignInSetting, time: number): GraphSignIn {
  const record = signInRecord(random, setting, {
    time,
    errorCode: 0,
    failureReason: 'Other.',
    additionalDetails: 'MFA requirement satisfied by claim in the token',
    originalRequestId: random.guid(),
    isInteractive: false,
  });
  record.clientAppUsed = 'Mobile Apps and Desktop clients';
  record.signInEventTypes = ['nonInteractiveUser'];
  return record;
}
