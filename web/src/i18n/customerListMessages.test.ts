import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { customerListEn, customerListZh } from './customerListMessages';
import { errorMessage, errorMessageKey } from './errors';
import { translate } from './translate';

describe('customer list messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(customerListEn).sort()).toEqual(Object.keys(customerListZh).sort());
  });

  it('has its own text for each refusal of a list, in both languages', () => {
    for (const [status, code] of [
      [409, 'CUSTOMER_LIST_LIMIT'],
      [409, 'CUSTOMER_LIST_IN_USE'],
      [404, 'CUSTOMER_LIST_NOT_FOUND'],
    ] as const) {
      const error = new ApiError(status, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
    expect(errorMessage('zh', new ApiError(409, 'CUSTOMER_LIST_IN_USE', 'x'))).toMatch(/未结束的活动/);
  });

  it('labels the menu, the editor select and the targeting line', () => {
    expect(translate('zh', 'console.customerLists')).toBe('人群包');
    expect(translate('en', 'console.customerLists')).toBe('Customer lists');
    expect(translate('zh', 'campaign.customerList')).toBe('自定义人群包');
    expect(translate('zh', 'campaign.customerList.option', { name: '双11老客', members: '1,234' })).toBe(
      '双11老客（1,234 人）',
    );
    expect(translate('zh', 'campaign.targeting.customerList', { name: '双11老客' })).toBe('人群包：双11老客');
    expect(translate('en', 'campaign.targeting.customerList', { name: 'VIP' })).toBe('List: VIP');
  });
});
