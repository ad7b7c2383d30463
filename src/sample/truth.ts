/** The ground truth of the sample: who was attacked, when and from where, and which hunts flag whom. */
import type { StorylineCast } from './storylines';

interface StorylineFacts {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly [fact: string]: unknown;
}

/**
 * Builds storylines.json. `expectedFlags` lists, per library hunt, the users
 * it returns when run with its default parameters and now() set to
 * `referenceTime` (the newest row of the sample). No hunt returns the trap user.
 */
export function expectedFlags(
  cast: StorylineCast,
  storylines: readonly StorylineFacts[],
  facts: { seed: number; users: number; rows: number; referenceTime: string },
): Record<string, unknown> {
  const night = cast.nightApproval.userPrincipalName;
  const refused = cast.refusedAndReported.userPrincipalName;
  const wrongNumber = cast.wrongNumber.userPrincipalName;
  const trap = cast.flakyPhone.userPrincipalName;
  const nightStory = storylines.find((story) => story.id === 'push-bombing-approved');
  return {
    description:
      'Ground truth of the generated sample tenant. Not an export: the folder reader skips this file. Run each hunt ' +
      'with its default parameters and now() set to referenceTime.',
    seed: facts.seed,
    users: facts.users,
    rows: facts.rows,
    period: { start: '2026-11-16T00:00:00Z', end: '2026-11-30T00:00:00Z' },
    referenceTime: facts.referenceTime,
    attackedUsers: [night, refused, wrongNumber],
    compromisedUsers: [night, wrongNumber],
    refusedUser: refused,
    trapUser: trap,
    storylines: [
      ...storylines,
      {
        id: 'flaky-phone-trap',
        userPrincipalName: trap,
        ipAddress: cast.flakyPhone.ipAddresses,
        description:
          'Two unanswered prompts (each written as three rows) before an approval from the usual address in the usual ' +
          'hour, on 2026-11-17 and again on 2026-11-27. Counting rows instead of distinct OriginalRequestId sees four ' +
          'denials each time.',
      },
    ],
    expectedFlags: {
      'mfa-failures-and-denials': [night, refused, wrongNumber],
      'mfa-prompt-burst': [night, refused],
      'prompts-outside-usual-hours': [night, refused],
      'fraud-reported': [refused],
      'success-after-failures': [night],
      'denials-then-approval': [night, wrongNumber],
      'wrong-number-then-approval': [wrongNumber],
      'approval-from-new-location': [night, wrongNumber],
      'inbox-rule-after-approval': [night],
      'mfa-method-registered-after-approval': [night],
      'approved-session-non-interactive': [night, wrongNumber],
    },
    pivotHunts: {
      'activity-after-approval': {
        description:
          'Lists every user without a user filter. Pivoted on the night approval (userPrincipalName and startTime set, ' +
          'window 24h) it returns three MailItemsAccessed and one New-InboxRule from the attacker address.',
        userPrincipalName: night,
        startTime: nightStory?.approvalTime,
        operations: ['MailItemsAccessed', 'MailItemsAccessed', 'New-InboxRule', 'MailItemsAccessed'],
        ipAddress: nightStory?.attackerIPAddress,
      },
    },
    notApplicable: {
      'mfa-prompt-burst-xdr': 'reads the Defender XDR table AADSignInEventsBeta, which the sample does not have',
      'activity-after-approval-xdr': 'reads Defender XDR CloudAppEvents with its Timestamp column',
    },
  };
}
