// Transfer to another wallet by phone number. Amount parsed to integer fen by money.ts; one
// Idempotency-Key per user action, reused on retry (see api/idempotency.ts).
import { Button, Form, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { ApiError, type StepUpDetails } from '../api/client';
import type { DeviceSignature } from '../api/deviceKeys';
import { ActionKey } from '../api/idempotency';
import { customerApi } from '../api/session';
import { getBalance, transfer, type TransferRequest } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { FieldInput, FieldTextArea, FormError, H5Page } from './common';
import { PaymentPinField, PinErrorDetail, isSixDigitPin, usePinRequired } from './PaymentPin';
import { StepUpPanel, type SecondCode } from './StepUpPanel';
import { MAX_MEMO_LENGTH, isValidMemo, isValidPhone } from './validation';

export function TransferPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const balance = useLoad(() => getBalance(customerApi), []);
  const [toPhone, setToPhone] = useState('');
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const action = useRef(new ActionKey());
  const pinRequired = usePinRequired();
  const [pin, setPin] = useState('');
  const [stepUp, setStepUp] = useState<StepUpDetails | null>(null);

  // The transfer as typed (without PIN or factors), or what is wrong with it.
  const typedTransfer = (): { request: TransferRequest } | { problem: string } => {
    if (!isValidPhone(toPhone)) return { problem: t('error.phone') };
    const parsed = parseYuan(amount);
    if (!parsed.ok) return { problem: t(`error.amount.${parsed.error}`) };
    if (!isValidMemo(memo)) return { problem: t('error.memo') };
    const request: TransferRequest = {
      to_phone: toPhone.trim(),
      amount: parsed.fen,
      currency: 'CNY',
    };
    if (memo.trim() !== '') request.memo = memo.trim();
    return { request };
  };

  const submit = async (factor: SecondCode | { device_signature: DeviceSignature } = {}) => {
    setApiError(null);
    const typed = typedTransfer();
    if ('problem' in typed) {
      setMessage(typed.problem);
      return;
    }
    const { request } = typed;
    if (pinRequired && !isSixDigitPin(pin)) {
      setMessage(t('pin.sixDigits'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    // One key per transfer, whatever PIN is typed: the API checks the PIN before the key.
    const key = action.current.keyFor(request);
    if (pinRequired) request.payment_pin = pin;
    // A transfer refused for a step-up moved nothing: repeated with the factor under its own key.
    Object.assign(request, factor);
    try {
      const answer = await transfer(customerApi, request, key);
      action.current.settle();
      const payee = [answer.counterparty.phone_masked, answer.counterparty.name_masked]
        .filter(Boolean)
        .join(' ');
      Toast.show({
        icon: 'success',
        content: t('transfer.done', { amount: formatFen(answer.amount), payee }),
      });
      navigate('/home', { replace: true });
    } catch (error) {
      action.current.settle(error);
      if (error instanceof ApiError && error.stepUp !== undefined) {
        setStepUp(error.stepUp);
      } else {
        setApiError(error);
      }
      setSubmitting(false);
    }
  };

  if (stepUp !== null) {
    // The repeat's key, taken now: a device signature binds the payee, amount and this key.
    const typed = typedTransfer();
    const toSign =
      'problem' in typed
        ? undefined
        : {
            to_phone: typed.request.to_phone,
            amount: typed.request.amount,
            idempotency_key: action.current.keyFor(typed.request),
          };
    return (
      <H5Page title={t('transfer.title')}>
        <StepUpPanel
          stepUp={stepUp}
          transfer={toSign}
          onCode={(code) => {
            setStepUp(null);
            void submit(code);
          }}
          onDeviceSignature={(device_signature) => {
            setStepUp(null);
            void submit({ device_signature });
          }}
        />
      </H5Page>
    );
  }

  return (
    <H5Page title={t('transfer.title')}>
      {balance.data && (
        <p className="h5-page" data-testid="transfer-balance">
          {t('home.available')} {formatFen(balance.data.available)}
        </p>
      )}
      <Form
        layout="vertical"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={() => void submit()}
            loading={submitting}
            data-testid="transfer-submit"
          >
            {t('transfer.submit')}
          </Button>
        }
      >
        <Form.Item label={t('transfer.toPhone')}>
          <FieldInput
            testId="transfer-phone"
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder={t('field.phone.placeholder')}
            value={toPhone}
            onChange={setToPhone}
          />
        </Form.Item>
        <Form.Item label={t('move.amount')}>
          <FieldInput
            testId="transfer-amount"
            inputMode="decimal"
            maxLength={20}
            placeholder={t('move.amount.placeholder')}
            value={amount}
            onChange={setAmount}
          />
        </Form.Item>
        <Form.Item label={t('transfer.memo')}>
          <FieldTextArea
            testId="transfer-memo"
            maxLength={MAX_MEMO_LENGTH}
            showCount
            rows={2}
            placeholder={t('transfer.memo.placeholder')}
            value={memo}
            onChange={setMemo}
          />
        </Form.Item>
        <PaymentPinField required={pinRequired} value={pin} onChange={setPin} />
      </Form>
      <FormError error={apiError} text={message} />
      <PinErrorDetail error={apiError} />
    </H5Page>
  );
}
