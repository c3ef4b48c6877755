import { Button, Card, Descriptions, Input, Modal, Space, Table, message } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { staffApi } from '../api/session';
import { getCustomerDetail, grantTierI } from '../api/staff';
import type { Card as BankCard, HistoryEntry } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { historyColumns, rowTestAttributes, TierTag } from './format';
import { RefundPayoutModal } from './RefundPayoutModal';
import { canGrantTier, canPayOutRefunds } from './roles';
import { RevealPii } from './RevealPii';
import { ConsoleError, currentStaff } from './StaffLayout';

export function CustomerDetailPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const detail = useLoad(() => getCustomerDetail(staffApi, id), [id]);
  const [granting, setGranting] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [grantError, setGrantError] = useState<unknown>(null);
  const [payingOut, setPayingOut] = useState(false);
  const staff = currentStaff();

  const grant = async () => {
    setSaving(true);
    setGrantError(null);
    try {
      await grantTierI(staffApi, id, note.trim());
      void message.success(t('console.grantTierI.done'));
      setGranting(false);
      setNote('');
      detail.reload();
    } catch (cause) {
      setGrantError(cause);
    } finally {
      setSaving(false);
    }
  };

  const data = detail.data;
  const customer = data?.customer;
  const cardColumns = [
    {
      title: t('console.col.bank'),
      key: 'bank',
      render: (_: unknown, card: BankCard) => (language === 'zh' ? card.bank : card.bank_en),
    },
    {
      title: t('console.col.card'),
      key: 'masked',
      render: (_: unknown, card: BankCard) => (
        <RevealPii
          customerId={id}
          field="card"
          cardId={card.id}
          masked={card.masked}
          roles={staff?.roles ?? []}
        />
      ),
    },
    {
      title: t('console.col.boundAt'),
      key: 'bound',
      render: (_: unknown, card: BankCard) => formatChinaTime(card.bound_at),
    },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Button onClick={() => navigate(-1)}>{t('common.back')}</Button>
      <ConsoleError error={detail.error} />
      {customer && data && (
        <>
          <Card
            title={`${t('console.customer')} #${customer.id}`}
            extra={
              staff !== null &&
              canGrantTier(staff.roles) &&
              customer.tier !== 'I' && (
                <Button
                  type="primary"
                  onClick={() => setGranting(true)}
                  data-testid="grant-tier-i"
                >
                  {t('console.grantTierI')}
                </Button>
              )
            }
          >
            <Descriptions
              column={{ xs: 1, md: 2 }}
              bordered
              size="small"
              data-testid="customer-detail"
            >
              <Descriptions.Item label={t('console.col.id')}>
                <span data-testid="customer-id">{customer.id}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.phone')}>
                <span data-testid="customer-phone">{customer.phone_masked}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.name')}>
                <span data-testid="customer-name">{customer.real_name_masked ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.residentId')}>
                <span data-testid="customer-resident-id">
                  {customer.resident_id_masked ? (
                    <RevealPii
                      customerId={customer.id}
                      field="resident_id"
                      masked={customer.resident_id_masked}
                      roles={staff?.roles ?? []}
                    />
                  ) : (
                    '—'
                  )}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.tier')}>
                <span data-testid="customer-tier" data-tier={customer.tier}>
                  <TierTag tier={customer.tier} t={t} />
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.channel')}>
                {t(`console.channel.${customer.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.registeredAt')}>
                {formatChinaTime(customer.registered_at)}
              </Descriptions.Item>
              <Descriptions.Item label={t('console.col.balance')}>
                <span data-testid="customer-balance" data-fen={data.balance.balance}>
                  {formatFen(data.balance.balance)}
                </span>
                {data.balance.available !== data.balance.balance &&
                  ` (${t('console.col.available')} ${formatFen(data.balance.available)})`}
              </Descriptions.Item>
              {data.refunds_owed > 0 && (
                <Descriptions.Item label={t('console.col.refundsOwed')}>
                  <Space>
                    <span data-testid="customer-refunds-owed" data-fen={data.refunds_owed}>
                      {formatFen(data.refunds_owed)}
                    </span>
                    {staff !== null && canPayOutRefunds(staff.roles) && (
                      <Button
                        size="small"
                        onClick={() => setPayingOut(true)}
                        data-testid="refund-payout"
                      >
                        {t('console.refundPayout')}
                      </Button>
                    )}
                  </Space>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card title={t('console.cards')}>
            <Table<BankCard>
              rowKey="id"
              size="small"
              columns={cardColumns}
              dataSource={data.cards}
              pagination={false}
              onRow={(card) => rowTestAttributes('customer-card-row', card.id)}
            />
          </Card>
          <Card title={t('console.recent')}>
            <Table<HistoryEntry>
              rowKey="id"
              size="small"
              columns={historyColumns(t)}
              dataSource={data.recent}
              pagination={false}
              onRow={(entry) => rowTestAttributes('customer-history-row', entry.id)}
            />
          </Card>
        </>
      )}
      {payingOut && data && (
        <RefundPayoutModal
          customerId={id}
          owedFen={data.refunds_owed}
          onClose={() => setPayingOut(false)}
          onDone={() => {
            setPayingOut(false);
            detail.reload();
          }}
        />
      )}
      <Modal
        open={granting}
        title={t('console.grantTierI')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={grant}
        onCancel={() => setGranting(false)}
        okButtonProps={{ 'data-testid': 'grant-tier-confirm' }}
      >
        <Input.TextArea
          value={note}
          onChange={(event) => setNote(event.target.value)}
          placeholder={t('console.grantTierI.note')}
          maxLength={200}
          rows={3}
          data-testid="grant-tier-note"
        />
        <div style={{ marginTop: 12 }}>
          <ConsoleError error={grantError} />
        </div>
      </Modal>
    </Space>
  );
}
