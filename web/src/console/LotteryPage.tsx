// The lottery (抽奖, a 幸运大转盘) at /console/lottery: one form, not raw JSON, with the prizes in
// a table editor, and the figures above it (version, cash spent, budget left, draws made, what
// is left of each prize). Read by admin, marketing and auditor; changed by admin and marketing
// (as campaigns, points and referral). Money is typed in yuan and sent as integer fen, chances
// in percent with two decimals and sent as basis points (console/lotteryForm.ts); the prizes'
// total chance and the 谢谢参与 rest are shown as they are typed. A LOTTERY_INVALID (or
// FIELD_INVALID) answer marks the field its message names.
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
  Switch,
  Table,
  Typography,
  message,
} from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import {
  MAX_DAILY_DRAWS,
  MAX_INVENTORY,
  MAX_PRIZES,
  PRIZE_KINDS,
  bpsToPercent,
  getLottery,
  putLottery,
  type PrizeKind,
  type StaffLottery,
} from '../api/lottery';
import { staffApi } from '../api/session';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import {
  formChanceSummary,
  lotteryFormFieldOfError,
  lotteryToForm,
  newPrizeForm,
  remainingOfRow,
  serverMessageDetail,
  toLotteryInput,
  type LotteryFormField,
  type LotteryFormValues,
  type LotteryPrizeFormValues,
} from './lotteryForm';
import { BudgetedProgramStatus } from './BudgetedProgramStatus';
import { FormErrorLine } from './FormErrorLine';
import { canEditLottery } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

function Figures({ lottery }: { lottery: StaffLottery }) {
  const { t } = useI18n();
  const draws = {
    key: 'draws',
    label: t('lottery.drawCount'),
    children: (
      <span data-testid="lottery-draws" data-value={lottery.draws}>
        {lottery.draws}
      </span>
    ),
  };
  return <BudgetedProgramStatus program={lottery} idPrefix="lottery" messagePrefix="lottery" extra={[draws]} />;
}

/** A prize row's kind: an antd Select whose options carry lottery-prize-kind-<kind>. */
function KindCell({ index }: { index: number }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<LotteryFormValues>();
  const kind = (Form.useWatch(['prizes', index, 'kind'], form) as PrizeKind | undefined) ?? 'points';
  return (
    <Form.Item name={[index, 'kind']} style={{ marginBottom: 0 }}>
      <Select<PrizeKind>
        data-testid="lottery-prize-kind"
        data-kind={kind}
        style={{ minWidth: 96 }}
        options={PRIZE_KINDS.map((value) => ({ value, label: t(`lottery.kind.${value}`) }))}
        optionRender={(option) => (
          <span data-testid={`lottery-prize-kind-${String(option.value)}`}>{option.label}</span>
        )}
        onChange={() => form.setFields([{ name: ['prizes', index, 'amount'], errors: [] }])}
      />
    </Form.Item>
  );
}

/** A prize row's amount: yuan for cash, whole points for points. */
function AmountCell({ index }: { index: number }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<LotteryFormValues>();
  const kind = (Form.useWatch(['prizes', index, 'kind'], form) as PrizeKind | undefined) ?? 'points';
  return (
    <Form.Item name={[index, 'amount']} style={{ marginBottom: 0 }}>
      <Input
        data-testid="lottery-prize-amount"
        data-unit={kind}
        inputMode={kind === 'points' ? 'numeric' : 'decimal'}
        suffix={kind === 'cash' ? t('lottery.unit.yuan') : t('lottery.unit.points')}
        style={{ minWidth: 120 }}
      />
    </Form.Item>
  );
}

/** What is left of a saved prize of this row's name, as the server counts it. */
function RemainingCell({ index, lottery }: { index: number; lottery: StaffLottery | null }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<LotteryFormValues>();
  const name = Form.useWatch(['prizes', index, 'name'], form) as string | undefined;
  const remaining = remainingOfRow(lottery, name);
  return (
    <span data-testid="lottery-prize-remaining" data-value={remaining ?? ''}>
      {remaining === null ? <Typography.Text type="secondary">{t('lottery.prize.unsaved')}</Typography.Text> : remaining}
    </span>
  );
}

/** The prizes' total chance and the 谢谢参与 rest, as typed. */
function ChanceSummary() {
  const { t } = useI18n();
  const form = Form.useFormInstance<LotteryFormValues>();
  const prizes = Form.useWatch('prizes', form) as Partial<LotteryPrizeFormValues>[] | undefined;
  const summary = formChanceSummary(prizes);
  return (
    <>
      <span data-testid="lottery-chance-total" data-bps={summary.totalBps} data-over={summary.over}>
        <Typography.Text type={summary.over ? 'danger' : undefined}>
          {t('lottery.chanceTotal')} {bpsToPercent(summary.totalBps, true)}%
          {summary.over && ` (${t('lottery.chanceOver')})`}
        </Typography.Text>
      </span>
      <span data-testid="lottery-chance-thanks" data-bps={summary.thanksBps} style={{ marginLeft: 24 }}>
        {t('lottery.thanks')} {bpsToPercent(summary.thanksBps, true)}%
      </span>
    </>
  );
}

function PrizeTable({ editor, lottery }: { editor: boolean; lottery: StaffLottery | null }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<LotteryFormValues>();
  const count = (Form.useWatch('prizes', form) as unknown[] | undefined)?.length ?? 0;
  return (
    <Form.List name="prizes">
      {(fields, { add, remove }) => {
        type Row = (typeof fields)[number];
        const columns = [
          {
            title: t('lottery.col.name'),
            key: 'name',
            render: (_: unknown, field: Row) => (
              <Form.Item name={[field.name, 'name']} style={{ marginBottom: 0 }}>
                <Input data-testid="lottery-prize-name" maxLength={64} style={{ minWidth: 140 }} />
              </Form.Item>
            ),
          },
          {
            title: t('lottery.col.kind'),
            key: 'kind',
            render: (_: unknown, field: Row) => <KindCell index={field.name} />,
          },
          {
            title: t('lottery.col.amount'),
            key: 'amount',
            render: (_: unknown, field: Row) => <AmountCell index={field.name} />,
          },
          {
            title: t('lottery.col.inventory'),
            key: 'inventory',
            render: (_: unknown, field: Row) => (
              <Form.Item name={[field.name, 'inventory']} style={{ marginBottom: 0 }}>
                <InputNumber
                  min={1}
                  max={MAX_INVENTORY}
                  precision={0}
                  style={{ width: 120 }}
                  data-testid="lottery-prize-inventory"
                />
              </Form.Item>
            ),
          },
          {
            title: t('lottery.col.chance'),
            key: 'chance',
            render: (_: unknown, field: Row) => (
              <Form.Item name={[field.name, 'chance']} style={{ marginBottom: 0 }}>
                <Input data-testid="lottery-prize-chance" inputMode="decimal" suffix="%" style={{ width: 110 }} />
              </Form.Item>
            ),
          },
          {
            title: t('lottery.col.remaining'),
            key: 'remaining',
            render: (_: unknown, field: Row) => <RemainingCell index={field.name} lottery={lottery} />,
          },
          ...(editor
            ? [
                {
                  title: '',
                  key: 'remove',
                  render: (_: unknown, field: Row) => (
                    <Button danger size="small" onClick={() => remove(field.name)} data-testid="lottery-prize-remove">
                      {t('lottery.prize.remove')}
                    </Button>
                  ),
                },
              ]
            : []),
        ];
        return (
          <>
            <Table<Row>
              rowKey="key"
              size="small"
              dataSource={fields}
              columns={columns}
              pagination={false}
              locale={{ emptyText: t('lottery.thanks') }}
              onRow={(field) =>
                ({ 'data-testid': 'lottery-prize-row', 'data-index': field.name }) as React.HTMLAttributes<HTMLElement>
              }
              footer={() => <ChanceSummary />}
              style={{ marginBottom: 16 }}
            />
            {editor && (
              <Button
                onClick={() => add(newPrizeForm())}
                disabled={count >= MAX_PRIZES}
                style={{ marginBottom: 16 }}
                data-testid="lottery-prize-add"
              >
                {t('lottery.prize.add')}
              </Button>
            )}
          </>
        );
      }}
    </Form.List>
  );
}

export function LotteryPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditLottery(staff.roles);
  const loaded = useLoad(() => getLottery(staffApi), []);
  const [saved, setSaved] = useState<StaffLottery | null>(null);
  const [form] = Form.useForm<LotteryFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const lottery = saved ?? loaded.data;

  /** Marks a field; the prize list as a whole has no error line of its own: the form's line says it. */
  const markField = (field: LotteryFormField, text: string) => {
    if (field[0] !== 'prizes' || field.length === 3) form.setFields([{ name: field, errors: [text] }]);
  };

  const submit = async () => {
    const mapped = toLotteryInput(form.getFieldsValue(true) as LotteryFormValues);
    if (!mapped.ok) {
      const text = t(mapped.problem.message as MessageKey, mapped.problem.params);
      markField(mapped.problem.field, text);
      setError(null);
      setProblem(text);
      return;
    }
    setSaving(true);
    setError(null);
    setProblem(null);
    try {
      const answer = await putLottery(staffApi, mapped.value);
      setSaved(answer);
      form.setFieldsValue(lotteryToForm(answer));
      void message.success(t('lottery.saved'));
    } catch (cause) {
      setError(cause);
      if (cause instanceof ApiError && cause.status >= 400 && cause.status < 500) {
        const field = lotteryFormFieldOfError(cause.message);
        if (field !== null) {
          markField(field, t('lottery.form.serverRejected', { detail: serverMessageDetail(cause.message) }));
        }
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('lottery.admin.title')} data-testid="lottery-config">
      <ConsoleError error={loaded.error} />
      {lottery !== null && <Figures lottery={lottery} />}
      {lottery !== null && !editor && (
        <Alert type="info" showIcon title={t('lottery.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {loaded.data !== null && (
        <Form
          form={form}
          layout="vertical"
          initialValues={lotteryToForm(loaded.data)}
          onFinish={submit}
          requiredMark={false}
          disabled={!editor}
          onValuesChange={() => {
            setError(null);
            setProblem(null);
          }}
        >
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item name="enabled" label={t('lottery.enabled')} valuePropName="checked">
                <Switch data-testid="lottery-enabled" />
              </Form.Item>
            </Col>
            <Col span={9}>
              <Form.Item name="startsAt" label={t('lottery.startsAt')}>
                <Input type="datetime-local" data-testid="lottery-starts-at" />
              </Form.Item>
            </Col>
            <Col span={9}>
              <Form.Item name="endsAt" label={t('lottery.endsAt')}>
                <Input type="datetime-local" data-testid="lottery-ends-at" />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('lottery.prizes')}</Divider>
          <p>{t('lottery.prizes.help', { count: MAX_PRIZES })}</p>
          <PrizeTable editor={editor} lottery={lottery} />

          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="paymentMin" label={t('lottery.paymentMin')} extra={t('lottery.paymentMin.help')}>
                <Input inputMode="decimal" data-testid="lottery-payment-min" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="paymentDraws" label={t('lottery.paymentDraws')} extra={t('lottery.paymentDraws.help')}>
                <InputNumber
                  min={0}
                  max={MAX_DAILY_DRAWS}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="lottery-payment-draws"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="signInDraw" label={t('lottery.signInDraw')} valuePropName="checked">
                <Switch data-testid="lottery-sign-in-draw" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item
                name="referralDraws"
                label={t('lottery.referralDraws')}
                extra={t('lottery.referralDraws.help')}
              >
                <InputNumber
                  min={0}
                  max={MAX_DAILY_DRAWS}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="lottery-referral-draws"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="dailyLimit" label={t('lottery.dailyLimit')} extra={t('lottery.dailyLimit.help')}>
                <InputNumber
                  min={1}
                  max={MAX_DAILY_DRAWS}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="lottery-daily-limit"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="budget" label={t('lottery.budget')} extra={t('lottery.budget.help')}>
                <Input inputMode="decimal" data-testid="lottery-budget" />
              </Form.Item>
            </Col>
          </Row>
          <FormErrorLine error={error} text={problem} />
          {editor && (
            <div>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="lottery-save">
                {t('lottery.save')}
              </Button>
            </div>
          )}
        </Form>
      )}
    </Card>
  );
}
