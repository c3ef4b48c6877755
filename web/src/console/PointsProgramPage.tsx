// The points programme (积分) at /console/points: one form, not raw JSON. Read by admin,
// marketing and auditor; changed by admin and marketing (as campaigns). The form holds the
// earn and redeem rates and the multiplier rules; api/points.ts maps it to the API body and
// back, and finds the field a POINTS_INVALID_PROGRAM answer names so it is marked in place.
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  message,
} from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import { CUSTOMER_SEGMENTS } from '../api/marketing';
import {
  MAX_EARN_POINTS_PER_YUAN,
  MAX_MULTIPLIER,
  MAX_MULTIPLIER_RULES,
  MAX_REDEEM_PERCENT,
  MAX_REDEEM_POINTS_PER_YUAN,
  MIN_MULTIPLIER,
  WEEKDAYS,
  formFieldOfServerMessage,
  formatPoints,
  getPointsProgram,
  newMultiplierForm,
  pointsProgramToForm,
  putPointsProgram,
  serverMessageDetail,
  toPointsProgramInput,
  type PointsFormField,
  type PointsFormValues,
  type PointsProgram,
} from '../api/points';
import { staffApi } from '../api/session';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { canEditPoints } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

/** One multiplier rule of the Form.List; `index` is its place, used in the test ids. */
function MultiplierRuleCard({
  index,
  editor,
  onRemove,
}: {
  index: number;
  editor: boolean;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={t('points.multiplier.rule', { index: index + 1 })}
      style={{ marginBottom: 16 }}
      data-testid={`points-multiplier-${index}`}
      extra={
        editor && (
          <Button danger size="small" onClick={onRemove} data-testid={`points-remove-multiplier-${index}`}>
            {t('points.multiplier.remove')}
          </Button>
        )
      }
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name={[index, 'name']} label={t('points.multiplier.name')}>
            <Input maxLength={64} data-testid={`points-multiplier-name-${index}`} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={[index, 'multiplier']} label={t('points.multiplier.value')}>
            <InputNumber
              min={MIN_MULTIPLIER}
              max={MAX_MULTIPLIER}
              precision={0}
              style={{ width: '100%' }}
              data-testid={`points-multiplier-value-${index}`}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name={[index, 'categories']}
        label={t('points.multiplier.categories')}
        extra={t('points.multiplier.categories.help')}
      >
        <Select
          mode="tags"
          tokenSeparators={[',', '，', ' ']}
          notFoundContent={null}
          suffixIcon={null}
          data-testid={`points-multiplier-categories-${index}`}
        />
      </Form.Item>
      <Form.Item name={[index, 'weekdays']} label={t('points.multiplier.weekdays')}>
        <Checkbox.Group
          data-testid={`points-multiplier-weekdays-${index}`}
          options={WEEKDAYS.map((day) => ({
            value: day,
            label: <span data-testid={`points-multiplier-weekday-${index}-${day}`}>{t(`points.weekday.${day}`)}</span>,
          }))}
        />
      </Form.Item>
      <Form.Item
        name={[index, 'segments']}
        label={t('points.multiplier.segments')}
        extra={t('campaign.segments.help')}
      >
        <Checkbox.Group
          data-testid={`points-multiplier-segments-${index}`}
          options={CUSTOMER_SEGMENTS.map((segment) => ({
            value: segment,
            label: (
              <span data-testid={`points-multiplier-segment-${index}-${segment}`}>
                {t(`campaign.segment.${segment}`)}
              </span>
            ),
          }))}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name={[index, 'startsAt']} label={t('points.multiplier.startsAt')}>
            <Input type="datetime-local" data-testid={`points-multiplier-starts-${index}`} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={[index, 'endsAt']} label={t('points.multiplier.endsAt')}>
            <Input type="datetime-local" data-testid={`points-multiplier-ends-${index}`} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

function ProgramFigures({ program }: { program: PointsProgram }) {
  const { t } = useI18n();
  return (
    <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('points.version')}>
        <span data-testid="points-version" data-version={program.version}>
          {program.version === 0 ? t('points.version.never') : program.version}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('points.outstanding')}>
        <span data-testid="points-outstanding" data-points={program.points_outstanding}>
          {formatPoints(program.points_outstanding)}
        </span>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function PointsProgramPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditPoints(staff.roles);
  const loaded = useLoad(() => getPointsProgram(staffApi), []);
  const [saved, setSaved] = useState<PointsProgram | null>(null);
  const [form] = Form.useForm<PointsFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const program = saved ?? loaded.data;
  const ruleCount = (Form.useWatch('multipliers', form) as unknown[] | undefined)?.length ?? 0;

  /** Marks a field; the rule list or a whole rule has no error line of its own: it pops up. */
  const markField = (field: PointsFormField, text: string) => {
    if (field[0] === 'multipliers' && field.length < 3) void message.error(text);
    else form.setFields([{ name: field, errors: [text] }]);
  };

  const submit = async () => {
    const mapped = toPointsProgramInput(form.getFieldsValue(true) as PointsFormValues);
    if (!mapped.ok) {
      markField(mapped.problem.field, t(mapped.problem.message as MessageKey));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const answer = await putPointsProgram(staffApi, mapped.value);
      setSaved(answer);
      form.setFieldsValue(pointsProgramToForm(answer));
      void message.success(t('points.saved'));
    } catch (cause) {
      setError(cause);
      if (cause instanceof ApiError && cause.code === 'POINTS_INVALID_PROGRAM') {
        const field = formFieldOfServerMessage(cause.message);
        const detail = serverMessageDetail(cause.message);
        if (field !== null) markField(field, t('points.form.serverRejected', { detail }));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('points.program.title')} data-testid="points-program">
      <ConsoleError error={error ?? loaded.error} />
      {program !== null && <ProgramFigures program={program} />}
      {program !== null && !editor && (
        <Alert type="info" showIcon title={t('points.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {loaded.data !== null && (
        <Form
          form={form}
          layout="vertical"
          initialValues={pointsProgramToForm(loaded.data)}
          onFinish={submit}
          requiredMark={false}
          disabled={!editor}
          onValuesChange={() => setError(null)}
        >
          <Form.Item name="enabled" label={t('points.enabled')} valuePropName="checked">
            <Switch data-testid="points-enabled" />
          </Form.Item>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="earnPointsPerYuan" label={t('points.earnRate')} extra={t('points.earnRate.help')}>
                <InputNumber
                  min={0}
                  max={MAX_EARN_POINTS_PER_YUAN}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="points-earn-rate"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="redeemPointsPerYuan"
                label={t('points.redeemRate')}
                extra={t('points.redeemRate.help')}
              >
                <InputNumber
                  min={0}
                  max={MAX_REDEEM_POINTS_PER_YUAN}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="points-redeem-rate"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="redeemMaxPercent" label={t('points.redeemMax')} extra={t('points.redeemMax.help')}>
                <InputNumber
                  min={0}
                  max={MAX_REDEEM_PERCENT}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="points-redeem-max"
                />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('points.multipliers')}</Divider>
          <p>{t('points.multipliers.help', { count: MAX_MULTIPLIER_RULES })}</p>
          <Form.List name="multipliers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <MultiplierRuleCard
                    key={field.key}
                    index={field.name}
                    editor={editor}
                    onRemove={() => remove(field.name)}
                  />
                ))}
                {editor && (
                  <Button
                    onClick={() => add(newMultiplierForm())}
                    disabled={ruleCount >= MAX_MULTIPLIER_RULES}
                    style={{ marginBottom: 16 }}
                    data-testid="points-add-multiplier"
                  >
                    {t('points.multiplier.add')}
                  </Button>
                )}
              </>
            )}
          </Form.List>

          {editor && (
            <div>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="points-save">
                {t('points.save')}
              </Button>
            </div>
          )}
        </Form>
      )}
    </Card>
  );
}
