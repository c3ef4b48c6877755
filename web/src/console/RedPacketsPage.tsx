// Group red packets (拼手气红包) at /console/red-packets: the budget figures (version, paid out,
// budget available, reserved for live packets, returned by expired ones, packets sent, shares
// taken), one form, not raw JSON, and the newest 50 packets. Read by admin, marketing and
// auditor; changed by admin and marketing (as the lottery). Money is typed in yuan and sent as
// integer fen (console/redPacketsForm.ts); a REDPACKET_INVALID (or FIELD_INVALID) answer marks
// the field its message names.
import { Alert, Button, Card, Col, Divider, Form, Input, InputNumber, Row, Switch, Table, Tag, message } from 'antd';
import { useState, type ReactNode } from 'react';

import { ApiError } from '../api/client';
import {
  MAX_DAILY,
  MAX_SHARES,
  MAX_VALID_HOURS,
  MIN_SHARES,
  getRedPackets,
  putRedPackets,
  type StaffPacket,
  type StaffRedPackets,
} from '../api/redPackets';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { packetStatusKey } from '../h5/redPacketFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { BudgetedProgramStatus } from './BudgetedProgramStatus';
import { FormErrorLine } from './FormErrorLine';
import { serverMessageDetail } from './lotteryForm';
import {
  redPacketsFormFieldOfError,
  redPacketsToForm,
  toRedPacketsInput,
  type RedPacketsFormField,
  type RedPacketsFormValues,
} from './redPacketsForm';
import { canEditRedPackets } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

const STATUS_COLORS: Record<string, string> = { open: 'processing', empty: 'success', expired: 'default' };

function Figures({ program }: { program: StaffRedPackets }) {
  const { t } = useI18n();
  const item = (key: string, label: MessageKey, testId: string, value: number, money: boolean) => ({
    key,
    label: t(label),
    children: (
      <span data-testid={testId} {...(money ? { 'data-fen': value } : { 'data-value': value })}>
        {money ? formatFen(value) : value}
      </span>
    ),
  });
  const extra = [
    item('reserved', 'redPacket.reserved', 'red-packets-reserved', program.reserved, true),
    item('returned', 'redPacket.returned', 'red-packets-returned', program.returned, true),
    item('sent', 'redPacket.packetsSent', 'red-packets-packets-sent', program.packets_sent, false),
    item('claims', 'redPacket.claimCount', 'red-packets-claims', program.claims, false),
  ];
  return <BudgetedProgramStatus program={program} idPrefix="red-packets" messagePrefix="redPacket" extra={extra} />;
}

function PacketTable({
  packets,
  loading,
  onRefresh,
}: {
  packets: readonly StaffPacket[];
  loading: boolean;
  onRefresh: () => void;
}) {
  const { t } = useI18n();
  const columns = [
    { title: t('redPacket.col.id'), key: 'id', render: (_: unknown, p: StaffPacket) => p.id },
    { title: t('redPacket.col.sender'), key: 'sender', render: (_: unknown, p: StaffPacket) => p.sender_phone },
    {
      title: t('redPacket.col.sentAt'),
      key: 'sent',
      render: (_: unknown, p: StaffPacket) => formatChinaTime(p.sent_at),
    },
    {
      title: t('redPacket.col.expiresAt'),
      key: 'expires',
      render: (_: unknown, p: StaffPacket) => formatChinaTime(p.expires_at),
    },
    { title: t('redPacket.col.amount'), key: 'amount', render: (_: unknown, p: StaffPacket) => formatFen(p.amount) },
    {
      title: t('redPacket.col.claimed'),
      key: 'claimed',
      render: (_: unknown, p: StaffPacket) => `${p.claimed}/${p.shares} · ${formatFen(p.claimed_amount)}`,
    },
    {
      title: t('redPacket.col.status'),
      key: 'status',
      render: (_: unknown, p: StaffPacket) => (
        <Tag color={STATUS_COLORS[p.status] ?? 'default'}>{t(packetStatusKey(p.status))}</Tag>
      ),
    },
  ];
  return (
    <>
      <Divider titlePlacement="start">{t('redPacket.list')}</Divider>
      <Button onClick={onRefresh} loading={loading} style={{ marginBottom: 16 }} data-testid="red-packets-refresh">
        {t('common.refresh')}
      </Button>
      <Table<StaffPacket>
        rowKey="id"
        size="small"
        dataSource={[...packets]}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('redPacket.empty') }}
        onRow={(p) =>
          ({
            'data-testid': 'red-packets-row',
            'data-row-id': p.id,
            'data-status': p.status,
            'data-claimed': p.claimed,
            'data-shares': p.shares,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </>
  );
}

/** One field of the form in a third of a row, with its label and help text. */
function Field({
  name,
  label,
  help,
  children,
}: {
  name: RedPacketsFormField;
  label: MessageKey;
  help: MessageKey;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Col span={8}>
      <Form.Item name={name} label={t(label)} extra={t(help)}>
        {children}
      </Form.Item>
    </Col>
  );
}

function countInput(testId: string, min: number, max: number) {
  return <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} data-testid={testId} />;
}

function ProgramFields() {
  const { t } = useI18n();
  return (
    <>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="enabled" label={t('redPacket.enabled')} valuePropName="checked">
            <Switch data-testid="red-packets-enabled" />
          </Form.Item>
        </Col>
        <Col span={9}>
          <Form.Item name="startsAt" label={t('redPacket.startsAt')}>
            <Input type="datetime-local" data-testid="red-packets-starts-at" />
          </Form.Item>
        </Col>
        <Col span={9}>
          <Form.Item name="endsAt" label={t('redPacket.endsAt')}>
            <Input type="datetime-local" data-testid="red-packets-ends-at" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Field name="paymentMin" label="redPacket.paymentMin" help="redPacket.paymentMin.help">
          <Input inputMode="decimal" data-testid="red-packets-payment-min" />
        </Field>
        <Field name="packetsDaily" label="redPacket.packetsDaily" help="redPacket.packetsDaily.help">
          {countInput('red-packets-packets-daily', 1, MAX_DAILY)}
        </Field>
        <Field name="claimsDaily" label="redPacket.claimsDaily" help="redPacket.claimsDaily.help">
          {countInput('red-packets-claims-daily', 1, MAX_DAILY)}
        </Field>
      </Row>
      <Row gutter={16}>
        <Field name="packetAmount" label="redPacket.packetAmount" help="redPacket.packetAmount.help">
          <Input inputMode="decimal" data-testid="red-packets-packet-amount" />
        </Field>
        <Field name="shares" label="redPacket.shares" help="redPacket.shares.help">
          {countInput('red-packets-shares', MIN_SHARES, MAX_SHARES)}
        </Field>
        <Field name="validHours" label="redPacket.validHours" help="redPacket.validHours.help">
          {countInput('red-packets-valid-hours', 1, MAX_VALID_HOURS)}
        </Field>
      </Row>
      <Row gutter={16}>
        <Field name="budget" label="redPacket.budget" help="redPacket.budget.help">
          <Input inputMode="decimal" data-testid="red-packets-budget" />
        </Field>
      </Row>
    </>
  );
}

export function RedPacketsPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditRedPackets(staff.roles);
  const loaded = useLoad(() => getRedPackets(staffApi), []);
  const [saved, setSaved] = useState<StaffRedPackets | null>(null);
  const [form] = Form.useForm<RedPacketsFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const program = saved ?? loaded.data;

  const submit = async () => {
    const mapped = toRedPacketsInput(form.getFieldsValue(true) as RedPacketsFormValues);
    if (!mapped.ok) {
      const text = t(mapped.problem.message as MessageKey, mapped.problem.params);
      form.setFields([{ name: mapped.problem.field, errors: [text] }]);
      setError(null);
      setProblem(text);
      return;
    }
    setSaving(true);
    setError(null);
    setProblem(null);
    try {
      const answer = await putRedPackets(staffApi, mapped.value);
      setSaved(answer);
      form.setFieldsValue(redPacketsToForm(answer));
      void message.success(t('redPacket.saved'));
    } catch (cause) {
      setError(cause);
      if (cause instanceof ApiError && cause.status >= 400 && cause.status < 500) {
        const field = redPacketsFormFieldOfError(cause.message);
        if (field !== null) {
          const detail = serverMessageDetail(cause.message);
          form.setFields([{ name: field, errors: [t('redPacket.form.serverRejected', { detail })] }]);
        }
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('redPacket.admin.title')} data-testid="red-packets-config">
      <ConsoleError error={loaded.error} />
      {program !== null && <Figures program={program} />}
      {program !== null && !editor && (
        <Alert type="info" showIcon title={t('redPacket.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {loaded.data !== null && (
        <Form
          form={form}
          layout="vertical"
          initialValues={redPacketsToForm(loaded.data)}
          onFinish={submit}
          requiredMark={false}
          disabled={!editor}
          onValuesChange={() => {
            setError(null);
            setProblem(null);
          }}
        >
          <ProgramFields />
          <FormErrorLine error={error} text={problem} />
          {editor && (
            <Button type="primary" htmlType="submit" loading={saving} data-testid="red-packets-save">
              {t('redPacket.save')}
            </Button>
          )}
        </Form>
      )}
      {program !== null && (
        <PacketTable
          packets={program.packets}
          loading={loaded.loading}
          onRefresh={() => {
            // The figures and the list as the server has them now, not as the last save answered.
            setSaved(null);
            loaded.reload();
          }}
        />
      )}
    </Card>
  );
}
