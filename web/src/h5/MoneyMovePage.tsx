// Top up (bank card → wallet) and withdraw (wallet → bank card): choose a card, type an amount
// in yuan. The amount is parsed to integer fen by money.ts; the Idempotency-Key belongs to the
// user action and is reused when the same action is retried after an unclear failure.
import { Button, ErrorBlock, Form, List, Radio, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { ActionKey } from '../api/idempotency';
import { customerApi } from '../api/session';
import { getBalance, listCards, moveCardMoney, type CardMovementKind } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { FieldInput, FormError, H5Page } from './common';
import { PaymentPinField, PinErrorDetail, isSixDigitPin, usePinRequired } from './PaymentPin';

export function MoneyMovePage({ kind }: { kind: CardMovementKind }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const cards = useLoad(() => listCards(customerApi), []);
  const balance = useLoad(() => getBalance(customerApi), []);
  const [cardId, setCardId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const action = useRef(new ActionKey());
  // A withdrawal pays out of the balance: the PIN once one is set (not for a top-up).
  const pinSet = usePinRequired();
  const pinRequired = kind === 'withdrawal' && pinSet;
  const [pin, setPin] = useState('');

  const list = cards.data ?? [];
  const chosen = cardId ?? (list.length === 1 ? (list[0]?.id ?? null) : null);

  const submit = async () => {
    setApiError(null);
    if (chosen === null) {
      setMessage(t('move.chooseCard'));
      return;
    }
    const parsed = parseYuan(amount);
    if (!parsed.ok) {
      setMessage(t(`error.amount.${parsed.error}`));
      return;
    }
    if (pinRequired && !isSixDigitPin(pin)) {
      setMessage(t('pin.sixDigits'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    const body = { card_id: chosen, amount: parsed.fen, currency: 'CNY' };
    const key = action.current.keyFor(body);
    try {
      const answer = await moveCardMoney(
        customerApi,
        kind,
        chosen,
        parsed.fen,
        key,
        pinRequired ? pin : undefined,
      );
      action.current.settle();
      if (answer.status === 'failed') {
        setMessage(t('move.failed'));
      } else if (answer.status === 'processing') {
        setMessage(t('move.processing'));
      } else {
        const done = t('move.done', { amount: formatFen(answer.amount) });
        Toast.show({ icon: 'success', content: done });
        navigate('/home', { replace: true });
        return;
      }
    } catch (error) {
      action.current.settle(error);
      setApiError(error);
    }
    setSubmitting(false);
  };

  const title = kind === 'top_up' ? t('topUp.title') : t('withdraw.title');
  return (
    <H5Page title={title}>
      {balance.data && (
        <p className="h5-page" data-testid="move-balance">
          {t('home.available')} {formatFen(balance.data.available)}
        </p>
      )}
      {cards.data !== null && list.length === 0 ? (
        <ErrorBlock
          status="empty"
          title={t('move.noCard')}
          description={
            <Button size="small" color="primary" onClick={() => navigate('/cards')}>
              {t('cards.bind')}
            </Button>
          }
        />
      ) : (
        <List header={t('move.card')}>
          <Radio.Group value={chosen} onChange={(value) => setCardId(String(value))}>
            {list.map((card) => (
              <List.Item key={card.id}>
                <Radio
                  value={card.id}
                  data-testid="move-card-option"
                  data-card-id={card.id}
                  data-last4={card.last4}
                >
                  {language === 'zh' ? card.bank : card.bank_en} {card.masked}
                </Radio>
              </List.Item>
            ))}
          </Radio.Group>
        </List>
      )}
      <Form
        layout="vertical"
        mode="card"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={submit}
            loading={submitting}
            data-testid="move-submit"
          >
            {kind === 'top_up' ? t('move.submitTopUp') : t('move.submitWithdraw')}
          </Button>
        }
      >
        <Form.Item label={t('move.amount')}>
          <FieldInput
            testId="move-amount"
            inputMode="decimal"
            maxLength={20}
            placeholder={t('move.amount.placeholder')}
            value={amount}
            onChange={setAmount}
          />
        </Form.Item>
        <PaymentPinField required={pinRequired} value={pin} onChange={setPin} />
      </Form>
      <FormError error={apiError ?? cards.error} text={message} />
      <PinErrorDetail error={apiError} />
    </H5Page>
  );
}
