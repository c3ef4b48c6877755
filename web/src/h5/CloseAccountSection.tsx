// Closing the account (注销账户) at the bottom of the security page. First what closing does, in
// plain words: the balance must be zero (else a hint and a link to withdraw, and the form stays
// disabled), a copy of the data can be downloaded first, what is erased, what the law makes the
// bank keep for five years, and that the phone number can register again. Then an SMS code
// (purpose close_account), the payment PIN once one is set, and the confirmation word typed
// out. The server ends every session on success, so the token is dropped as log-out does and
// the log-in page says when the account closed.
import { Button, Form, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { closeAccount, sendCloseAccountCode } from '../api/accountClosure';
import { ApiError } from '../api/client';
import { customerApi, customerSession } from '../api/session';
import { getBalance, getMe } from '../api/wallet';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import {
  CONFIRMATION_WORDS,
  closureBlocker,
  closureRequest,
  walletIsEmpty,
  type AccountClosedState,
  type ClosureBlocker,
} from './closeAccount';
import { FieldInput, FormError } from './common';
import { forgetDeviceKey } from './deviceKey';
import { PinErrorDetail, PinInput } from './PaymentPin';
import { SmsCodeItem } from './SmsCodeItem';
import { DataExportButton } from './SecurityEventsSection';
import { useCountdown } from './useCountdown';

const DEFAULT_RESEND_SECONDS = 60;

/** The line under the disabled button; the balance has its own hint above the form. */
const BLOCKER_HINTS: Partial<Record<ClosureBlocker, MessageKey>> = {
  code: 'closeAccount.needCode',
  pin: 'closeAccount.needPin',
  confirmation: 'closeAccount.needConfirmation',
};

export function CloseAccountSection({ pinRequired }: { pinRequired: boolean }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const me = useLoad(() => getMe(customerApi), []);
  const [balanceVersion, setBalanceVersion] = useState(0);
  const balance = useLoad(() => getBalance(customerApi), [balanceVersion]);
  const countdown = useCountdown();
  const [smsCode, setSmsCode] = useState('');
  const [paymentPin, setPaymentPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const word = CONFIRMATION_WORDS[language];
  const form = { smsCode, paymentPin, confirmation };
  const blocker = closureBlocker(form, { balance: balance.data, pinRequired, language });
  const empty = balance.data !== null && walletIsEmpty(balance.data);
  const state = balance.data === null ? 'loading' : empty ? 'ready' : 'balance';
  const hint = blocker === null ? undefined : BLOCKER_HINTS[blocker];

  const send = async () => {
    if (me.data === null) return;
    setApiError(null);
    setBusy(true);
    try {
      const answer = await sendCloseAccountCode(customerApi, me.data.phone);
      countdown.start(answer.resend_after_seconds || DEFAULT_RESEND_SECONDS);
      Toast.show({ content: t('field.smsCode.sent') });
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (blocker !== null || me.data === null) return;
    const phone = me.data.phone;
    setApiError(null);
    setBusy(true);
    try {
      const closed = await closeAccount(customerApi, closureRequest(form, pinRequired));
      customerSession.clear();
      // The server removed the device keys: one kept here would only offer a sign-in that fails.
      void forgetDeviceKey(phone).catch(() => {});
      const next: AccountClosedState = { accountClosedAt: closed.closed_at };
      navigate('/login', { replace: true, state: next });
    } catch (error) {
      setApiError(error);
      // Money arrived (or a hold started) since the page loaded: show the balance as it is.
      if (error instanceof ApiError && error.code === 'BALANCE_NOT_ZERO') {
        setBalanceVersion((version) => version + 1);
      }
      setBusy(false);
    }
  };

  return (
    <section data-testid="close-account-section" data-state={state}>
      <h3 className="h5-page">{t('closeAccount.title')}</h3>
      <div className="h5-page">
        <p>{t('closeAccount.intro')}</p>
        <p>
          {t('closeAccount.balanceRule')}{' '}
          {balance.data !== null && (
            <strong data-testid="close-account-balance" data-fen={balance.data.balance}>
              {t('closeAccount.balance', { balance: formatFen(balance.data.balance) })}
            </strong>
          )}
        </p>
        {state === 'balance' && (
          <p className="h5-error" data-testid="close-account-balance-hint">
            {t('closeAccount.balanceNotZero')}{' '}
            <Link to="/withdraw" data-testid="close-account-withdraw">
              {t('closeAccount.withdraw')}
            </Link>
          </p>
        )}
        <p>{t('closeAccount.exportFirst')}</p>
      </div>
      <DataExportButton testId="close-account-data-export" />
      <div className="h5-page">
        <p>{t('closeAccount.erased')}</p>
        <p>{t('closeAccount.kept')}</p>
        <p>{t('closeAccount.phoneReleased')}</p>
      </div>
      <Form
        layout="vertical"
        mode="card"
        disabled={!empty}
        footer={
          <Button
            block
            color="danger"
            onClick={confirm}
            loading={busy}
            disabled={blocker !== null}
            data-testid="close-account-submit"
            data-blocker={blocker ?? ''}
          >
            {t('closeAccount.submit')}
          </Button>
        }
      >
        <SmsCodeItem
          testIdPrefix="close-account"
          value={smsCode}
          onChange={setSmsCode}
          onSend={send}
          secondsLeft={countdown.secondsLeft}
          sendDisabled={!empty || busy || me.data === null}
        />
        {pinRequired && (
          <PinInput testId="close-account-pin" label={t('pin.payment')} value={paymentPin} onChange={setPaymentPin} />
        )}
        <Form.Item label={t('closeAccount.confirmation', { word })}>
          <FieldInput
            testId="close-account-confirmation"
            autoComplete="off"
            maxLength={16}
            placeholder={word}
            value={confirmation}
            onChange={setConfirmation}
          />
        </Form.Item>
      </Form>
      {state !== 'balance' && hint !== undefined && (
        <p className="h5-page h5-muted" data-testid="close-account-hint">
          {t(hint, { word })}
        </p>
      )}
      <FormError error={apiError ?? me.error ?? balance.error} />
      <PinErrorDetail error={apiError} />
    </section>
  );
}
