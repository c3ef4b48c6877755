import { describe, expect, it } from 'vitest';

import {
  channelFromSearch,
  chinaDateDigits,
  isValidMemo,
  isValidRealName,
  luhnCheckDigit,
  luhnValid,
  normalizeCardNumber,
  normalizeInviteCode,
  normalizeResidentId,
  residentIdCheckCharacter,
  residentIdProblem,
} from './validation';

const TODAY = '20261123';

describe('resident ID (GB 11643)', () => {
  it('computes the MOD 11-2 check character', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
    expect(residentIdCheckCharacter('11010119900307803')).toBe('X');
    expect(() => residentIdCheckCharacter('1101')).toThrow(RangeError);
  });

  it('accepts well-formed numbers, with the check X in either case', () => {
    expect(residentIdProblem('11010519491231002X', TODAY)).toBeNull();
    expect(residentIdProblem('11010519491231002x', TODAY)).toBeNull();
    expect(residentIdProblem('440524188001010014', TODAY)).toBeNull();
    expect(residentIdProblem('11010119900307803X', TODAY)).toBeNull();
    expect(residentIdProblem('110101199003078039', TODAY)).toBe('BAD_CHECKSUM');
  });

  it('reports the first problem in the server order', () => {
    expect(residentIdProblem('11010519491231002', TODAY)).toBe('WRONG_LENGTH');
    expect(residentIdProblem('11010519491231002XX', TODAY)).toBe('WRONG_LENGTH');
    expect(residentIdProblem('1101051949123100AX', TODAY)).toBe('BAD_CHARACTER');
    expect(residentIdProblem('11010519491231002Y', TODAY)).toBe('BAD_CHARACTER');
    // One digit changed: the check character no longer matches.
    expect(residentIdProblem('11010519491231003X', TODAY)).toBe('BAD_CHECKSUM');
    expect(residentIdProblem('110105194912310029', TODAY)).toBe('BAD_CHECKSUM');
  });

  it('checks province, birth date and the future, each behind a correct checksum', () => {
    const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
    expect(residentIdProblem(withCheck('99010519491231002'), TODAY)).toBe('BAD_PROVINCE');
    expect(residentIdProblem(withCheck('11010519490231002'), TODAY)).toBe('BAD_BIRTH_DATE');
    expect(residentIdProblem(withCheck('11010519491331002'), TODAY)).toBe('BAD_BIRTH_DATE');
    expect(residentIdProblem(withCheck('11010519000229002'), TODAY)).toBe('BAD_BIRTH_DATE');
    expect(residentIdProblem(withCheck('11010520000229002'), TODAY)).toBeNull();
    expect(residentIdProblem(withCheck('11010520261124002'), TODAY)).toBe('BIRTH_DATE_IN_FUTURE');
    expect(residentIdProblem(withCheck('11010520261123002'), TODAY)).toBeNull();
  });

  it('normalizes and takes today in China time', () => {
    expect(normalizeResidentId(' 11010519491231002x ')).toBe('11010519491231002X');
    // 2026-11-22 16:30 UTC is already 00:30 on the 23rd in Beijing.
    expect(chinaDateDigits(new Date('2026-11-22T16:30:00Z'))).toBe('20261123');
    expect(chinaDateDigits(new Date('2026-11-22T15:59:59Z'))).toBe('20261122');
  });

  it('checks real names', () => {
    expect(isValidRealName('张三')).toBe(true);
    expect(isValidRealName('买买提·艾力')).toBe(true);
    expect(isValidRealName('John Smith')).toBe(true);
    expect(isValidRealName('张')).toBe(false);
    expect(isValidRealName('张3')).toBe(false);
    expect(isValidRealName('<script>')).toBe(false);
    expect(isValidRealName('张'.repeat(31))).toBe(false);
  });
});

describe('bank cards (Luhn)', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111-1111')).toBe(false);
  });

  it('completes a payload with its check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    const card = '622202020011223344' + luhnCheckDigit('622202020011223344');
    expect(luhnValid(card)).toBe(true);
  });

  it('normalizes typed card numbers and refuses bad ones', () => {
    expect(normalizeCardNumber('4111 1111 1111 1111')).toBe('4111111111111111');
    expect(normalizeCardNumber('4111-1111-1111-1111')).toBe('4111111111111111');
    expect(normalizeCardNumber('4111 1111 1111 1112')).toBeNull();
    // Luhn-valid but too short (12 digits) or too long (20 digits).
    expect(normalizeCardNumber('0000000000000'.slice(1))).toBeNull();
    expect(normalizeCardNumber('0'.repeat(20))).toBeNull();
    expect(normalizeCardNumber('4111a11111111111')).toBeNull();
  });
});

describe('other form fields', () => {
  it('takes the channel from the URL, organic by default', () => {
    expect(channelFromSearch('?channel=campus')).toBe('campus');
    expect(channelFromSearch('?x=1&channel=search_ad')).toBe('search_ad');
    expect(channelFromSearch('')).toBe('organic');
    expect(channelFromSearch('?channel=tv')).toBe('organic');
    expect(channelFromSearch('?channel=')).toBe('organic');
  });

  it('leaves an empty invite code out and limits memos to 50 characters', () => {
    expect(normalizeInviteCode('  ')).toBeUndefined();
    expect(normalizeInviteCode(' AB12 ')).toBe('AB12');
    expect(isValidMemo('')).toBe(true);
    expect(isValidMemo('饭'.repeat(50))).toBe(true);
    expect(isValidMemo('饭'.repeat(51))).toBe(false);
    expect(isValidMemo('😀'.repeat(50))).toBe(true);
  });
});
