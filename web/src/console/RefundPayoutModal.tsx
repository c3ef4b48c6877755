// Support records paying a former customer the refunds that reached the account after it
// closed: the amount (at most what is owed) and the bank's reference for the transfer or the
// counter payment. One Idempotency-Key per amount and reference, so a retried click pays once.
import { Form, Input, Modal, message } from 'antd';
import { useRef, useState } from 'react';

import { ActionKey } from '../api/idempotency';
import { staffApi } from '../api/session';
import { payOutClosedRefund } from '../api/staff';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { ConsoleError } from './StaffLayout';

const MAX_REFERENCE_CHARS = 64;

export function RefundPayoutModal({
  customerId,
  owedFen,
  onClose,
  onDone,
}: {
  customerId: string;
  owedFen: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [amount, setAmount] = useState(formatFen(owedFen, { symbol: false, grouping: false }));
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const action = useRef(new ActionKey());

  const submit = async () => {
    const parsed = parseYuan(amount);
    if (!parsed.ok) {
      setProblem(t(`error.amount.${parsed.error}`));
      return;
    }
    if (parsed.fen > owedFen) {
      setProblem(t('console.refundPayout.tooMuch'));
      return;
    }
    const ref = reference.trim();
    if (ref === '') {
      setProblem(t('console.refundPayout.referenceRequired'));
      return;
    }
    setProblem(null);
    setSaving(true);
    const request = { amount: parsed.fen, reference: ref };
    const key = action.current.keyFor(request);
    try {
      await payOutClosedRefund(staffApi, customerId, parsed.fen, ref, key);
      action.current.settle();
      void message.success(t('console.refundPayout.done'));
      onDone();
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('console.refundPayout')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'refund-payout-submit' } as object) }}
      destroyOnHidden
    >
      <p>{t('console.refundPayout.explain')}</p>
      <ConsoleError error={error} />
      <Form layout="vertical">
        <Form.Item
          label={t('console.refundPayout.amount')}
          help={problem}
          validateStatus={problem ? 'error' : ''}
        >
          <Input
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            data-testid="refund-payout-amount"
          />
        </Form.Item>
        <Form.Item label={t('console.refundPayout.reference')}>
          <Input
            value={reference}
            maxLength={MAX_REFERENCE_CHARS}
            onChange={(event) => setReference(event.target.value)}
            data-testid="refund-payout-reference"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
