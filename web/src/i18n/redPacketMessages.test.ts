import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { PACKET_STATUSES } from '../api/redPackets';
import { errorMessage, errorMessageKey } from './errors';
import { redPacketEn, redPacketZh } from './redPacketMessages';
import { hasMessage, translate } from './translate';

describe('red packet messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(redPacketEn).sort()).toEqual(Object.keys(redPacketZh).sort());
  });

  it('names every packet status', () => {
    for (const status of [...PACKET_STATUSES, 'other']) {
      expect(hasMessage(`redPacket.status.${status}`), status).toBe(true);
    }
  });

  it('has its own text for each red packet error, in both languages', () => {
    for (const code of [
      'REDPACKET_INVALID',
      'REDPACKET_OFF',
      'REDPACKET_NONE_TO_SEND',
      'REDPACKET_BUDGET',
      'REDPACKET_NOT_FOUND',
      'REDPACKET_EXPIRED',
      'REDPACKET_EMPTY',
      'REDPACKET_DAILY_LIMIT',
      'REDPACKET_WALLET_FULL',
      'REDPACKET_SAME_DEVICE',
    ]) {
      const error = new ApiError(409, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('shows a risk refusal of a claim as other risk refusals are shown', () => {
    const error = new ApiError(403, 'RISK_DENIED', 'server text');
    expect(errorMessageKey(error).key).toBe('apiError.RISK_DENIED');
  });

  it('labels the menu, the home action, 开, 手气最佳 and the history entry', () => {
    expect(translate('zh', 'console.redPackets')).toBe('红包');
    expect(translate('en', 'console.redPackets')).toBe('Red packets');
    expect(translate('zh', 'home.redPackets')).toBe('红包');
    expect(translate('zh', 'redPacket.send')).toBe('发红包');
    expect(translate('zh', 'redPacket.open')).toBe('开');
    expect(translate('zh', 'redPacket.best')).toBe('手气最佳');
    expect(translate('zh', 'redPacket.got', { amount: '¥4.17' })).toBe('你抢到 ¥4.17，已存入钱包');
    expect(translate('zh', 'history.type.red_packet')).toBe('红包');
    expect(translate('en', 'history.type.red_packet')).toBe('Red packet');
  });
});
