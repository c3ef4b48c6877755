import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { MESSAGE_KINDS } from '../api/messages';
import { DAY_PARTS } from '../api/offerPush';
import { errorMessage, errorMessageKey } from './errors';
import { messageInboxEn, messageInboxZh } from './messageInboxMessages';
import { hasMessage, translate } from './translate';

describe('message inbox messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(messageInboxEn).sort()).toEqual(Object.keys(messageInboxZh).sort());
  });

  it('names every part of the day and every message kind', () => {
    for (const part of DAY_PARTS) expect(hasMessage(`offerPush.dayPart.${part}`), part).toBe(true);
    for (const kind of MESSAGE_KINDS) expect(hasMessage(`messages.kind.${kind}`), kind).toBe(true);
  });

  it('has its own text for each offer push and inbox error, in both languages', () => {
    for (const code of ['CAMPAIGN_NOT_PUSHABLE', 'OFFER_AUDIENCE_EMPTY', 'MESSAGE_NOT_FOUND']) {
      const error = new ApiError(422, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('labels the card, the home item and the personalised-offers switch', () => {
    expect(translate('zh', 'offerPush.title')).toBe('定向推送');
    expect(translate('en', 'offerPush.title')).toBe('Offer push');
    expect(translate('zh', 'home.messages')).toBe('消息');
    expect(translate('en', 'home.messages')).toBe('Messages');
    expect(translate('zh', 'messages.openOffer')).toBe('去看看');
    expect(translate('en', 'messages.openOffer')).toBe('See the offer');
    expect(translate('zh', 'messages.personalised.help')).toBe('关闭后，我们不会再根据您的消费习惯向您推送优惠');
    expect(translate('en', 'messages.personalised.help')).toBe(
      'When off, we will not send you offers chosen from your spending habits',
    );
    expect(translate('en', 'offerPush.sent', { count: 120 })).toBe('Sent to 120 customers');
  });
});
