// Merchants (admin, risk, support, auditor): the list with a status filter, onboarding a
// merchant (admin; fee and "activate now"), and one merchant with approve / suspend / reinstate
// (admin, risk).
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  message,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { staffApi } from '../api/session';
import {
  getMerchant,
  listMerchants,
  onboardMerchant,
  setMerchantStatus,
  type NewMerchant,
} from '../api/staff';
import { MERCHANT_STATUSES, type Merchant, type MerchantStatus } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { MerchantFields } from '../merchant/MerchantFields';
import { useLoad } from '../useLoad';
import { rowTestAttributes } from './format';
import { canChangeMerchantStatus, canOnboardMerchant } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

const STATUS_COLORS: Record<MerchantStatus, string> = {
  pending_review: 'orange',
  active: 'green',
  suspended: 'red',
};

export function MerchantStatusTag({ status }: { status: MerchantStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="merchant-status-tag" data-status={status}>
      {t(`merchant.status.${status}`)}
    </Tag>
  );
}

function OnboardDialog({ onClose, onDone }: { onClose: () => void; onDone: (m: Merchant) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewMerchant>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (values: NewMerchant) => {
    setSaving(true);
    setError(null);
    try {
      const merchant = await onboardMerchant(staffApi, {
        ...values,
        username: values.username.trim(),
        activate: values.activate === true,
      });
      void message.success(t('console.merchant.onboarded'));
      onDone(merchant);
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('console.merchant.onboard')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'onboard-submit' } as object) }}
      destroyOnHidden
    >
      <ConsoleError error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ category: 'catering', fee_bps: 60, activate: true }}
        requiredMark={false}
      >
        <MerchantFields t={t} prefix="onboard" />
        <Form.Item name="fee_bps" label={t('console.merchant.feeBps')}>
          <InputNumber min={0} max={1000} precision={0} data-testid="onboard-fee-bps" />
        </Form.Item>
        <Form.Item name="activate" valuePropName="checked">
          <Checkbox data-testid="onboard-activate">{t('console.merchant.activateNow')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MerchantsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const staff = currentStaff();
  const [status, setStatus] = useState<MerchantStatus | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const merchants = useLoad(
    () => listMerchants(staffApi, status, cursors.at(-1) ?? null),
    [status, cursors],
  );
  const [onboarding, setOnboarding] = useState(false);

  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    { title: t('merchant.field.legalName'), dataIndex: 'legal_name', key: 'name' },
    { title: t('merchant.field.category'), dataIndex: 'category_name', key: 'category' },
    {
      title: t('merchant.col.status'),
      key: 'status',
      render: (_: unknown, m: Merchant) => <MerchantStatusTag status={m.status} />,
    },
    {
      title: t('merchant.col.fee'),
      key: 'fee',
      render: (_: unknown, m: Merchant) => `${m.fee_bps} bp`,
    },
    {
      title: t('console.col.registeredAt'),
      key: 'created',
      render: (_: unknown, m: Merchant) => formatChinaTime(m.created_at),
    },
  ];

  return (
    <Card
      title={t('console.merchants')}
      extra={
        <Space>
          <Select<MerchantStatus | 'all'>
            style={{ width: 160 }}
            value={status ?? 'all'}
            onChange={(value) => {
              setStatus(value === 'all' ? null : value);
              setCursors([]);
            }}
            data-testid="merchant-status-filter"
            options={[
              { value: 'all', label: t('console.merchant.allStatuses') },
              ...MERCHANT_STATUSES.map((value) => ({
                value,
                label: t(`merchant.status.${value}`),
              })),
            ]}
          />
          {staff && canOnboardMerchant(staff.roles) && (
            <Button type="primary" onClick={() => setOnboarding(true)} data-testid="merchant-onboard">
              {t('console.merchant.onboard')}
            </Button>
          )}
        </Space>
      }
    >
      <ConsoleError error={merchants.error} />
      <Table<Merchant>
        rowKey="id"
        size="small"
        loading={merchants.loading}
        columns={columns}
        dataSource={merchants.data?.merchants ?? []}
        pagination={false}
        onRow={(m) => ({
          ...rowTestAttributes('merchant-row', m.id),
          'data-status': m.status,
          onClick: () => navigate(`/console/merchants/${m.id}`),
          style: { cursor: 'pointer' },
        } as React.HTMLAttributes<HTMLElement>)}
      />
      <Space style={{ marginTop: 16 }}>
        {cursors.length > 0 && <Button onClick={() => setCursors([])}>{t('merchant.firstPage')}</Button>}
        {merchants.data?.next_cursor && (
          <Button
            onClick={() => setCursors([...cursors, merchants.data?.next_cursor ?? ''])}
            data-testid="merchant-more"
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Space>
      {onboarding && (
        <OnboardDialog
          onClose={() => setOnboarding(false)}
          onDone={(merchant) => {
            setOnboarding(false);
            navigate(`/console/merchants/${merchant.id}`);
          }}
        />
      )}
    </Card>
  );
}

export function MerchantDetailPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const staff = currentStaff();
  const loaded = useLoad(() => getMerchant(staffApi, id), [id]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const merchant = loaded.data;
  const mayChange = staff !== null && canChangeMerchantStatus(staff.roles);

  const change = async (next: 'active' | 'suspended') => {
    setBusy(true);
    setError(null);
    try {
      await setMerchantStatus(staffApi, id, next);
      loaded.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Button onClick={() => navigate('/console/merchants')}>{t('common.back')}</Button>
      <ConsoleError error={error ?? loaded.error} />
      {merchant && (
        <Card
          title={merchant.legal_name}
          data-testid="merchant-detail"
          data-merchant-id={merchant.id}
          data-status={merchant.status}
          extra={
            mayChange && (
              <Space>
                {merchant.status === 'pending_review' && (
                  <Button type="primary" loading={busy} onClick={() => change('active')} data-testid="merchant-approve">
                    {t('console.merchant.approve')}
                  </Button>
                )}
                {merchant.status === 'active' && (
                  <Popconfirm title={t('console.merchant.suspendConfirm')} onConfirm={() => change('suspended')}>
                    <Button danger loading={busy} data-testid="merchant-suspend">
                      {t('console.merchant.suspend')}
                    </Button>
                  </Popconfirm>
                )}
                {merchant.status === 'suspended' && (
                  <Button loading={busy} onClick={() => change('active')} data-testid="merchant-reinstate">
                    {t('console.merchant.reinstate')}
                  </Button>
                )}
              </Space>
            )
          }
        >
          <Descriptions column={2}>
            <Descriptions.Item label={t('console.col.id')}>{merchant.id}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.col.status')}>
              <MerchantStatusTag status={merchant.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.creditCode')}>{merchant.credit_code}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.category')}>{merchant.category_name}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.col.fee')}>{merchant.fee_bps} bp</Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.account')}>
              {merchant.settlement_bank_code} ****{merchant.settlement_account_last4}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.contactPhone')}>{merchant.contact_phone}</Descriptions.Item>
            <Descriptions.Item label={t('console.col.registeredAt')}>
              {formatChinaTime(merchant.created_at)}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.merchant.statusChangedAt')}>
              {formatChinaTime(merchant.status_changed_at)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </Space>
  );
}
