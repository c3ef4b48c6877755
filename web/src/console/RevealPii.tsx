// A masked resident ID or card number with a Reveal button for the roles that may open it. The
// button asks for a reason (kept in the audit log with who asked); the value answered is shown
// in place until hidden or the page is left, and never stored.
import { Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';

import { isRevealReason, REVEAL_REASON_MAX, revealCustomerPii, type RevealField } from '../api/pii';
import { staffApi } from '../api/session';
import type { StaffRole } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { ConsoleError } from './StaffLayout';

/** Who may reveal (POST /staff/customers/{id}/reveal), as in src/wallet/staff_access.cc. */
export const PII_REVEAL_ROLES: readonly StaffRole[] = ['admin', 'support', 'risk'];

export function canRevealPii(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => PII_REVEAL_ROLES.includes(role));
}

export function RevealPii(props: {
  customerId: string;
  field: RevealField;
  cardId?: string;
  masked: string;
  roles: readonly StaffRole[];
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [value, setValue] = useState<string | null>(null);
  const testId =
    props.field === 'card' ? `reveal-card-${props.cardId ?? ''}` : 'reveal-resident-id';

  const reveal = async () => {
    if (!isRevealReason(reason)) {
      setError(new Error(t('pii.reveal.reasonTooShort')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await revealCustomerPii(
        staffApi,
        props.customerId,
        props.field,
        reason,
        props.cardId,
      );
      setValue(answer.value);
      setAsking(false);
      setReason('');
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const fieldName = t(props.field === 'card' ? 'pii.reveal.card' : 'pii.reveal.residentId');
  return (
    <Space size="small">
      <span data-testid={`${testId}-value`}>{value ?? props.masked}</span>
      {value !== null ? (
        <Button size="small" onClick={() => setValue(null)} data-testid={`${testId}-hide`}>
          {t('pii.reveal.hide')}
        </Button>
      ) : (
        canRevealPii(props.roles) && (
          <Button size="small" onClick={() => setAsking(true)} data-testid={testId}>
            {t('pii.reveal')}
          </Button>
        )
      )}
      <Modal
        open={asking}
        title={t('pii.reveal.title', { field: fieldName })}
        okText={t('pii.reveal')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={reveal}
        onCancel={() => setAsking(false)}
        okButtonProps={{ 'data-testid': `${testId}-confirm` }}
        destroyOnHidden
      >
        <Input.TextArea
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder={t('pii.reveal.reason')}
          maxLength={REVEAL_REASON_MAX}
          rows={3}
          data-testid={`${testId}-reason`}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('pii.reveal.audited')}
        </Typography.Paragraph>
        <ConsoleError error={error} />
      </Modal>
    </Space>
  );
}
