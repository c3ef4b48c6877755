// Words for a security event on the security page: what happened, and for a staff view of the
// customer's data, which data and the reason staff gave.
import type { SecurityEvent } from '../api/securityEvents';
import type { MessageKey } from '../i18n/dictionaries';
import type { MessageParams } from '../i18n/translate';

type Translate = (key: MessageKey, params?: MessageParams) => string;

const TITLES: Record<SecurityEvent['type'], MessageKey> = {
  login: 'securityEvents.login',
  login_failed: 'securityEvents.loginFailed',
  signed_out: 'securityEvents.signedOut',
  totp_enabled: 'securityEvents.totpEnabled',
  totp_disabled: 'securityEvents.totpDisabled',
  totp_locked: 'securityEvents.totpLocked',
  recovery_code_used: 'securityEvents.recoveryCodeUsed',
  pin_set: 'securityEvents.pinSet',
  pin_changed: 'securityEvents.pinChanged',
  pin_reset: 'securityEvents.pinReset',
  pin_locked: 'securityEvents.pinLocked',
  device_key_bound: 'securityEvents.deviceKeyBound',
  device_key_removed: 'securityEvents.deviceKeyRemoved',
  device_key_bad_signature: 'securityEvents.deviceKeyBadSignature',
  device_key_locked: 'securityEvents.deviceKeyLocked',
  staff_viewed_data: 'securityEvents.staffViewed',
  data_exported: 'securityEvents.dataExported',
  account_closed: 'securityEvents.accountClosed',
};

/** The event in the customer's language; an unknown type falls back to the server's words. */
export function securityEventTitle(event: SecurityEvent, t: Translate): string {
  const key = TITLES[event.type] as MessageKey | undefined;
  if (key === undefined) return event.description;
  if (event.type === 'staff_viewed_data') {
    const field = t(event.field === 'card' ? 'securityEvents.card' : 'securityEvents.residentId');
    return t(key, { field, reason: event.reason ?? '-' });
  }
  if (event.type === 'login_failed' && event.locked === true) {
    return t('securityEvents.loginLocked');
  }
  return t(key);
}

/** Whether the event is one the customer should look at twice (shown highlighted). */
export function isAlarming(event: SecurityEvent): boolean {
  return (
    event.type === 'login_failed' ||
    event.type === 'totp_locked' ||
    event.type === 'pin_locked' ||
    event.type === 'device_key_bad_signature' ||
    event.type === 'device_key_locked' ||
    event.type === 'totp_disabled' ||
    event.type === 'staff_viewed_data'
  );
}
