import { describe, expect, it } from 'vitest';

import type { SecurityEvent } from '../api/securityEvents';
import { translate } from '../i18n/translate';
import { isAlarming, securityEventTitle } from './securityEventFormat';

function event(partial: Partial<SecurityEvent>): SecurityEvent {
  return {
    id: '1',
    time: '2026-11-23T02:00:00Z',
    type: 'login',
    by: 'you',
    description: 'Signed in',
    device: null,
    ip: null,
    ...partial,
  };
}

const zh = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('zh', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('en', key, params);

describe('securityEventTitle', () => {
  it('words each type in the language', () => {
    expect(securityEventTitle(event({}), zh)).toBe('登录成功');
    expect(securityEventTitle(event({ type: 'pin_changed' }), en)).toBe('Payment PIN changed');
  });

  it('says a failed log-in locked sign-in when it did', () => {
    expect(securityEventTitle(event({ type: 'login_failed' }), en)).toBe(
      'Wrong password at sign-in',
    );
    expect(securityEventTitle(event({ type: 'login_failed', locked: true }), en)).toBe(
      'Too many wrong passwords: sign-in locked',
    );
  });

  it('names the data staff viewed and their reason', () => {
    const viewed = event({
      type: 'staff_viewed_data',
      by: 'bank_staff',
      field: 'card',
      reason: '来电核实',
    });
    expect(securityEventTitle(viewed, zh)).toBe(
      '银行工作人员查看了您的完整银行卡号，原因：来电核实',
    );
    expect(securityEventTitle({ ...viewed, field: 'resident_id' }, en)).toBe(
      'Bank staff viewed your full resident ID number. Reason: 来电核实',
    );
  });

  it('falls back to the server description for a type it does not know', () => {
    const unknown = event({ type: 'new_kind' as SecurityEvent['type'], description: 'Something' });
    expect(securityEventTitle(unknown, en)).toBe('Something');
  });
});

describe('isAlarming', () => {
  it('highlights failures, locks, two-step turned off and staff views', () => {
    expect(isAlarming(event({ type: 'login' }))).toBe(false);
    expect(isAlarming(event({ type: 'pin_locked' }))).toBe(true);
    expect(isAlarming(event({ type: 'staff_viewed_data' }))).toBe(true);
  });
});
