// The friend-referral programme (好友推荐) at /console/referral: one form, not raw JSON, then the
// programme's figures and the newest referrals. Read by admin, marketing and auditor; changed by
// admin and marketing (as campaigns and points). Money is typed in yuan and sent as integer fen
// (console/referralForm.ts); a REFERRAL_INVALID_PROGRAM answer marks the field it names. The
// switch "invitee must verify" (on by default) makes only a real-name-verified invitee qualify.
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import { formatPoints } from '../api/points';
import {
  MAX_MONTHLY_CAP,
  MAX_QUALIFY_DAYS,
  REFERRAL_COUNT_FIGURES,
  REWARD_KINDS,
  getReferralProgram,
  listReferrals,
  putReferralProgram,
  type ReferralProgram,
  type RewardKind,
  type StaffReferral,
} from '../api/referral';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { referralReasonText, rewardText, staffReferralStatusKey } from '../h5/referralFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import {
  referralFormFieldOfError,
  referralProgramToForm,
  toReferralProgramInput,
  type ReferralFormValues,
} from './referralForm';
import { BudgetedProgramStatus } from './BudgetedProgramStatus';
import { FormErrorLine } from './FormErrorLine';
import { canEditReferral } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

const STATUS_COLORS: Record<string, string> = {
  pending: 'processing',
  rewarded: 'success',
  refused: 'error',
  expired: 'default',
  clawed_back: 'warning',
};

/** A reward's kind select and its amount, whose unit follows the kind. */
function RewardFields({ who, editor }: { who: 'inviter' | 'invitee'; editor: boolean }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<ReferralFormValues>();
  const kindField = who === 'inviter' ? 'inviterKind' : 'inviteeKind';
  const amountField = who === 'inviter' ? 'inviterAmount' : 'inviteeAmount';
  const kind = (Form.useWatch(kindField, form) as RewardKind | undefined) ?? 'none';
  const unit = kind === 'cash' ? t('referral.unit.yuan') : kind === 'points' ? t('referral.unit.points') : null;
  return (
    <Row gutter={16}>
      <Col span={10}>
        <Form.Item
          name={kindField}
          label={t(who === 'inviter' ? 'referral.inviterReward' : 'referral.inviteeReward')}
        >
          <Select<RewardKind>
            data-testid={`referral-${who}-kind`}
            data-kind={kind}
            options={REWARD_KINDS.map((value) => ({ value, label: t(`referral.kind.${value}`) }))}
            optionRender={(option) => (
              <span data-testid={`referral-${who}-kind-${String(option.value)}`}>{option.label}</span>
            )}
            onChange={() => form.setFields([{ name: amountField, errors: [] }])}
          />
        </Form.Item>
      </Col>
      <Col span={14}>
        <Form.Item name={amountField} label={t('referral.amount')}>
          <Input
            data-testid={`referral-${who}-amount`}
            data-unit={kind}
            inputMode={kind === 'points' ? 'numeric' : 'decimal'}
            disabled={!editor || kind === 'none'}
            placeholder={kind === 'none' ? t('referral.amount.none') : undefined}
            suffix={unit ?? <span />}
          />
        </Form.Item>
      </Col>
    </Row>
  );
}

function ProgramFigures({ program }: { program: ReferralProgram }) {
  const { t } = useI18n();
  const f = program.figures;
  const count = (name: (typeof REFERRAL_COUNT_FIGURES)[number]) => (
    <Col span={4} key={name}>
      <div data-testid={`referral-figure-${name}`} data-value={f[name]}>
        <Statistic title={t(`referral.figure.${name}`)} value={f[name]} />
      </div>
    </Col>
  );
  const money = (name: 'inviter_cash' | 'invitee_cash') => (
    <Col span={6} key={name}>
      <div data-testid={`referral-figure-${name}`} data-value={f[name]}>
        <Statistic title={t(`referral.figure.${name}`)} value={formatFen(f[name])} />
      </div>
    </Col>
  );
  const points = (name: 'inviter_points' | 'invitee_points') => (
    <Col span={6} key={name}>
      <div data-testid={`referral-figure-${name}`} data-value={f[name]}>
        <Statistic title={t(`referral.figure.${name}`)} value={formatPoints(f[name])} />
      </div>
    </Col>
  );
  return (
    <>
      <BudgetedProgramStatus program={program} idPrefix="referral" messagePrefix="referral" />
      <Card type="inner" title={t('referral.figures')} style={{ marginBottom: 16 }}>
        <Row gutter={[16, 16]}>{REFERRAL_COUNT_FIGURES.map(count)}</Row>
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          {money('inviter_cash')}
          {money('invitee_cash')}
          {points('inviter_points')}
          {points('invitee_points')}
        </Row>
      </Card>
    </>
  );
}

function ReferralTable() {
  const { t } = useI18n();
  const referrals = useLoad(() => listReferrals(staffApi), []);
  const person = (phone: string, id: string) => (
    <Space orientation="vertical" size={0}>
      <span>{phone}</span>
      <Typography.Text type="secondary">#{id}</Typography.Text>
    </Space>
  );
  const time = (value: string | null) => (value === null ? '—' : formatChinaTime(value));
  const columns = [
    {
      title: t('referral.col.invitee'),
      key: 'invitee',
      render: (_: unknown, r: StaffReferral) => person(r.invitee_phone, r.invitee_id),
    },
    {
      title: t('referral.col.inviter'),
      key: 'inviter',
      render: (_: unknown, r: StaffReferral) => person(r.inviter_phone, r.inviter_id),
    },
    {
      title: t('referral.col.registeredAt'),
      key: 'registered',
      render: (_: unknown, r: StaffReferral) => time(r.registered_at),
    },
    {
      title: t('referral.col.deadline'),
      key: 'deadline',
      render: (_: unknown, r: StaffReferral) => time(r.deadline),
    },
    {
      title: t('referral.col.status'),
      key: 'status',
      render: (_: unknown, r: StaffReferral) => (
        <Tag color={STATUS_COLORS[r.status] ?? 'default'} data-testid="referral-status" data-status={r.status}>
          {t(staffReferralStatusKey(r.status))}
        </Tag>
      ),
    },
    {
      title: t('referral.col.reason'),
      key: 'reason',
      render: (_: unknown, r: StaffReferral) => (
        <Space orientation="vertical" size={0}>
          {r.reason !== '' && <span data-testid="referral-reason">{referralReasonText(t, r.reason)}</span>}
          {r.inviter_capped && (
            <Tag color="orange" data-testid="referral-capped">
              {t('referral.capped')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('referral.col.inviterReward'),
      key: 'inviterReward',
      render: (_: unknown, r: StaffReferral) => rewardText(t, r.inviter_reward),
    },
    {
      title: t('referral.col.inviteeReward'),
      key: 'inviteeReward',
      render: (_: unknown, r: StaffReferral) => rewardText(t, r.invitee_reward),
    },
    {
      title: t('referral.col.qualifiedAt'),
      key: 'qualified',
      render: (_: unknown, r: StaffReferral) => time(r.qualified_at),
    },
    {
      title: t('referral.col.payment'),
      key: 'payment',
      render: (_: unknown, r: StaffReferral) => r.payment_id ?? '—',
    },
  ];
  return (
    <>
      <Divider titlePlacement="start">{t('referral.list')}</Divider>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={referrals.reload} loading={referrals.loading} data-testid="referral-refresh">
          {t('common.refresh')}
        </Button>
      </Space>
      <ConsoleError error={referrals.error} />
      <Table<StaffReferral>
        rowKey="invitee_id"
        size="small"
        loading={referrals.loading}
        dataSource={referrals.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('referral.empty') }}
        onRow={(r) =>
          ({
            'data-testid': 'referral-row',
            'data-row-id': r.invitee_id,
            'data-invitee-id': r.invitee_id,
            'data-status': r.status,
            'data-reason': r.reason,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </>
  );
}

export function ReferralProgramPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditReferral(staff.roles);
  const loaded = useLoad(() => getReferralProgram(staffApi), []);
  const [saved, setSaved] = useState<ReferralProgram | null>(null);
  const [form] = Form.useForm<ReferralFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const program = saved ?? loaded.data;

  const submit = async () => {
    const mapped = toReferralProgramInput(form.getFieldsValue(true) as ReferralFormValues);
    if (!mapped.ok) {
      const text = t(mapped.problem.message as MessageKey);
      form.setFields([{ name: mapped.problem.field, errors: [text] }]);
      setError(null);
      setProblem(text);
      return;
    }
    setSaving(true);
    setError(null);
    setProblem(null);
    try {
      const answer = await putReferralProgram(staffApi, mapped.value);
      setSaved(answer);
      form.setFieldsValue(referralProgramToForm(answer));
      void message.success(t('referral.saved'));
    } catch (cause) {
      setError(cause);
      if (cause instanceof ApiError && cause.code === 'REFERRAL_INVALID_PROGRAM') {
        const field = referralFormFieldOfError(cause.field, cause.message);
        if (field !== null) {
          form.setFields([{ name: field, errors: [t('referral.form.serverRejected', { detail: cause.message })] }]);
        }
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('referral.program.title')} data-testid="referral-program">
      <ConsoleError error={loaded.error} />
      {program !== null && <ProgramFigures program={program} />}
      {program !== null && !editor && (
        <Alert type="info" showIcon title={t('referral.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {loaded.data !== null && (
        <Form
          form={form}
          layout="vertical"
          initialValues={referralProgramToForm(loaded.data)}
          onFinish={submit}
          requiredMark={false}
          disabled={!editor}
          onValuesChange={() => {
            setError(null);
            setProblem(null);
          }}
        >
          <Form.Item name="enabled" label={t('referral.enabled')} valuePropName="checked">
            <Switch data-testid="referral-enabled" />
          </Form.Item>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="qualifyDays" label={t('referral.qualifyDays')} extra={t('referral.qualifyDays.help')}>
                <InputNumber
                  min={1}
                  max={MAX_QUALIFY_DAYS}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="referral-qualify-days"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="minPayment" label={t('referral.minPayment')} extra={t('referral.minPayment.help')}>
                <Input inputMode="decimal" data-testid="referral-min-payment" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="monthlyCap" label={t('referral.monthlyCap')} extra={t('referral.monthlyCap.help')}>
                <InputNumber
                  min={1}
                  max={MAX_MONTHLY_CAP}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="referral-monthly-cap"
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={32}>
            <Col span={12}>
              <RewardFields who="inviter" editor={editor} />
            </Col>
            <Col span={12}>
              <RewardFields who="invitee" editor={editor} />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="budget" label={t('referral.budget')} extra={t('referral.budget.help')}>
                <Input inputMode="decimal" data-testid="referral-budget" />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item
                name="inviteeMustVerify"
                label={t('referral.inviteeMustVerify')}
                extra={t('referral.inviteeMustVerify.help')}
                valuePropName="checked"
              >
                <Switch data-testid="referral-invitee-must-verify" />
              </Form.Item>
            </Col>
          </Row>
          <FormErrorLine error={error} text={problem} />
          {editor && (
            <div>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="referral-save">
                {t('referral.save')}
              </Button>
            </div>
          )}
        </Form>
      )}
      {program !== null && <ReferralTable />}
    </Card>
  );
}
