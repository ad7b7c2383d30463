/**
 * Lens and menu titles for flagged entities, such as
 * `alice@contoso.com · 14 denials → approved 02:13 UTC from 203.0.113.7`.
 * Entity values are attacker-controlled log text, so they pass through
 * displayValue() before they are shown.
 */
import { revealControls } from '../webview/core/format';
import type { FlaggedEntity } from './entities';

/** Maximum length, in code points, of an entity value in a title; longer values are cut with an ellipsis. */
const MAX_VALUE_LENGTH = 64;

/**
 * Makes log text safe to show in a CodeLens or quick pick label: hidden and
 * bidirectional characters become `⟨U+XXXX⟩`, line breaks become `⏎`, `$(`
 * is escaped so the text cannot show an icon, and long text is cut.
 */
export function displayValue(text: string): string {
  const visible = revealControls(text).replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, '⏎');
  const cut = [...visible].length > MAX_VALUE_LENGTH ? `${[...visible].slice(0, MAX_VALUE_LENGTH - 1).join('')}…` : visible;
  return cut.replace(/\$\(/g, '\\$(');
}

/** Formats an ISO instant as `HH:MM UTC`, with the date in front when `withDate` is set. */
export function utcClock(iso: string, withDate = false): string {
  const time = iso.slice(11, 16);
  return withDate ? `${iso.slice(0, 10)} ${time} UTC` : `${time} UTC`;
}

/** Formats the title of an entity's lens. */
export function entityTitle(entity: FlaggedEntity): string {
  const subject = entity.userPrincipalName ?? entity.userObjectId ?? entity.ipAddress ?? entity.sessionId ?? entity.correlationId ?? '(no user)';
  const parts = [displayValue(subject)];
  if (entity.denials !== undefined) {
    parts.push(` · ${entity.denials} ${entity.denials === 1 ? 'denial' : 'denials'}`);
  }
  const from = entity.ipAddress !== undefined && subject !== entity.ipAddress ? ` from ${displayValue(entity.ipAddress)}` : '';
  if (entity.approvalTime !== undefined) {
    parts.push(`${entity.denials !== undefined ? ' →' : ' ·'} approved ${utcClock(entity.approvalTime)}${from}`);
  } else if (entity.lastSeen !== undefined) {
    parts.push(` · seen ${utcClock(entity.lastSeen)}${from}`);
  } else if (from) {
    parts.push(` ·${from}`);
  }
  return parts.join('');
}

/** Formats the detail line of an entity in a quick pick: the date and the values a pivot uses. */
export function entityDetail(entity: FlaggedEntity): string {
  const details: string[] = [];
  const time = entity.approvalTime ?? entity.lastSeen;
  if (time !== undefined) {
    details.push(utcClock(time, true));
  }
  if (entity.sessionId !== undefined) {
    details.push(`session ${displayValue(entity.sessionId)}`);
  }
  if (entity.correlationId !== undefined) {
    details.push(`correlation ${displayValue(entity.correlationId)}`);
  }
  details.push(`row ${entity.rowIndex + 1}`);
  return details.join(' · ');
}
