import { describe, expect, it } from 'vitest';

import {
  channelFromSearch,
  inviteCodeFromSearch,
  isValidPassword,
  isValidPhone,
  isValidSmsCode,
  validateRegisterForm,
} from './validation';

describe('registration validation', () => {
  it.each([
    ['13800138000', true],
    ['19912345678', true],
    ['12800138000', false],
    ['1380013800', false],
    ['138001380001', false],
    ['+8613800138000', false],
    ['1380013800a', false],
  ])('phone %j → %s', (phone, valid) => {
    expect(isValidPhone(phone)).toBe(valid);
  });

  it('checks SMS codes and passwords', () => {
    expect(isValidSmsCode('123456')).toBe(true);
    expect(isValidSmsCode('12345')).toBe(false);
    expect(isValidSmsCode('12345a')).toBe(false);
    expect(isValidPassword('abcd1234')).toBe(true);
    expect(isValidPassword('abcdefgh')).toBe(false);
    expect(isValidPassword('12345678')).toBe(false);
    expect(isValidPassword('a1')).toBe(false);
    expect(isValidPassword('a1'.repeat(33))).toBe(false);
  });

  it('reports every bad field of the form', () => {
    expect(
      validateRegisterForm({
        phone: '13800138000',
        smsCode: '123456',
        password: 'abcd1234',
        passwordConfirm: 'abcd1234',
      }),
    ).toEqual({});
    expect(
      validateRegisterForm({ phone: '1', smsCode: '', password: 'short', passwordConfirm: 'x' }),
    ).toEqual({
      phone: 'error.phone',
      smsCode: 'error.smsCode',
      password: 'error.password',
      passwordConfirm: 'error.passwordConfirm',
    });
  });

  it('fills the invite code from an invite link, keeping the channel', () => {
    expect(inviteCodeFromSearch('?invite=7KQ2M9XA')).toBe('7KQ2M9XA');
    expect(inviteCodeFromSearch('?channel=campus&invite=%207kq2m9xa%20')).toBe('7kq2m9xa');
    expect(channelFromSearch('?channel=campus&invite=7KQ2M9XA')).toBe('campus');
    expect(inviteCodeFromSearch('')).toBe('');
    expect(inviteCodeFromSearch('?invite=')).toBe('');
    expect(inviteCodeFromSearch(`?invite=${'A'.repeat(40)}`)).toHaveLength(32);
  });
});
