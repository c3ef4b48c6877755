// The campaign editor (admin, marketing): one form for every campaign type, not raw JSON.
// /console/campaigns/new creates a draft; /console/campaigns/:id/edit changes one (the total
// budget then changes only by a top-up). Amounts are typed in yuan, times in China time.
// "Dry run" prices the form's campaign over the last days of real payments without saving it.
// The targeting may name a custom customer list (自定义人群包, CustomerListsPage.tsx).
import {
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
  message,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { listCustomerLists, type CustomerList } from '../api/customerLists';
import {
  CAMPAIGN_AGE_MAX,
  CAMPAIGN_AGE_MIN,
  CAMPAIGN_INACTIVE_DAYS_MAX,
  CAMPAIGN_TYPES,
  CUSTOMER_SEGMENTS,
  DRY_RUN_MAX_DAYS,
  PAYMENT_CHANNELS,
  canDryRun,
  createCampaign,
  dryRunCampaign,
  getCampaign,
  updateCampaign,
  type CampaignInput,
  type CampaignType,
  type DryRunResult,
} from '../api/marketing';
import { staffApi } from '../api/session';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import {
  MAX_HOLD_DAYS,
  SHAPES_BY_TYPE,
  campaignToForm,
  defaultCampaignForm,
  toCampaignInput,
  type CampaignFormValues,
} from './campaignForm';
import { CampaignDryRunPanel } from './CampaignDryRunPanel';
import { ConsoleError } from './StaffLayout';

/** A text field with its test id on the native input. */
function TextItem({
  name,
  label,
  testId,
  placeholder,
}: {
  name: keyof CampaignFormValues;
  label: string;
  testId: string;
  placeholder?: string;
}) {
  return (
    <Form.Item name={name} label={label}>
      <Input data-testid={testId} placeholder={placeholder} />
    </Form.Item>
  );
}

function CountItem({ name, label, testId }: { name: keyof CampaignFormValues; label: string; testId: string }) {
  return (
    <Form.Item name={name} label={label}>
      <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={testId} />
    </Form.Item>
  );
}

/** One end of the age band in whole years, blank for no bound; Form.Item passes value and onChange. */
function AgeInput({
  bound,
  ...control
}: {
  bound: 'min' | 'max';
  value?: number | null;
  onChange?: (value: number | null) => void;
}) {
  const { t } = useI18n();
  return (
    <InputNumber
      {...control}
      min={CAMPAIGN_AGE_MIN}
      max={CAMPAIGN_AGE_MAX}
      precision={0}
      placeholder={t('campaign.noLimit')}
      suffix={t('campaign.ageBand.unit')}
      aria-label={t(bound === 'min' ? 'campaign.ageBand.min' : 'campaign.ageBand.max')}
      data-testid={`campaign-age-${bound}`}
    />
  );
}

/** The select's value for "不限" (no list): antd's Select cannot hold null as an option. */
const NO_LIST = '';

/**
 * The custom customer list (自定义人群包): 不限, then the lists by name with their customer
 * counts. A list the campaign names that is not among `lists` (not loaded) shows as its id.
 * Form.Item passes value (an id, or null for 不限) and onChange.
 */
function CustomerListSelect({
  lists,
  disabled,
  value,
  onChange,
}: {
  lists: readonly CustomerList[];
  disabled: boolean;
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const { t } = useI18n();
  const options = [
    { value: NO_LIST, label: t('campaign.noLimit') },
    ...lists.map((list) => ({
      value: list.id,
      label: t('campaign.customerList.option', { name: list.name, members: list.members.toLocaleString('zh-CN') }),
    })),
  ];
  if (value && !lists.some((list) => list.id === value)) options.push({ value, label: `#${value}` });
  return (
    <Select<string>
      value={value ?? NO_LIST}
      onChange={(chosen) => onChange?.(chosen === NO_LIST ? null : chosen)}
      options={options}
      disabled={disabled}
      showSearch={{ optionFilterProp: 'label' }}
      optionRender={(option) => (
        <span data-testid={`campaign-customer-list-option-${option.value === NO_LIST ? 'none' : String(option.value)}`}>
          {option.label}
        </span>
      )}
      aria-label={t('campaign.customerList')}
      data-testid="campaign-customer-list"
    />
  );
}

export function CampaignEditorPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { id } = useParams();
  const editing = id !== undefined;
  const [form] = Form.useForm<CampaignFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [loaded, setLoaded] = useState(!editing);
  const [dryRunDays, setDryRunDays] = useState(DRY_RUN_MAX_DAYS);
  const [dryRunning, setDryRunning] = useState(false);
  const [dryRun, setDryRun] = useState<{ result: DryRunResult; stale: boolean } | null>(null);
  const [dryRunError, setDryRunError] = useState<unknown>(null);
  const type = Form.useWatch('type', form) as CampaignType | undefined;
  const shape = Form.useWatch('shape', form);
  const initial = useMemo(() => defaultCampaignForm('first_order', new Date()), []);
  const customerLists = useLoad(() => listCustomerLists(staffApi), []);

  useEffect(() => {
    if (!editing) return;
    let live = true;
    getCampaign(staffApi, id).then(
      (campaign) => {
        if (!live) return;
        form.setFieldsValue(campaignToForm(campaign));
        setLoaded(true);
      },
      (cause: unknown) => live && setError(cause),
    );
    return () => {
      live = false;
    };
  }, [editing, id, form]);

  // A type offers only some reward shapes: keep the shape one of them.
  useEffect(() => {
    if (type === undefined) return;
    const shapes = SHAPES_BY_TYPE[type];
    if (!shapes.includes(form.getFieldValue('shape'))) form.setFieldValue('shape', shapes[0]);
  }, [type, form]);

  /** The form as the API's CampaignInput, or null after marking the field that is wrong. */
  const campaignInput = (): CampaignInput | null => {
    const values = { ...initial, ...form.getFieldsValue(true) } as CampaignFormValues;
    const mapped = toCampaignInput(values);
    if (!mapped.ok) {
      form.setFields([
        { name: mapped.problem.field as keyof CampaignFormValues, errors: [t(mapped.problem.message as MessageKey)] },
      ]);
      return null;
    }
    return mapped.value;
  };

  const submit = async () => {
    const input = campaignInput();
    if (input === null) return;
    setSaving(true);
    setError(null);
    try {
      const campaign = editing
        ? await updateCampaign(staffApi, id, input)
        : await createCampaign(staffApi, input);
      void message.success(t(editing ? 'campaign.saved' : 'campaign.created'));
      navigate(`/console/campaigns/${campaign.id}`);
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  // Validated as submitting is (the form's rules, then the mapping), and the same body posted.
  const runDryRun = async () => {
    try {
      await form.validateFields();
    } catch {
      return; // antd marks the fields
    }
    const input = campaignInput();
    if (input === null) return;
    setDryRunning(true);
    setDryRunError(null);
    try {
      setDryRun({ result: await dryRunCampaign(staffApi, input, dryRunDays), stale: false });
    } catch (cause) {
      setDryRun(null);
      setDryRunError(cause);
    } finally {
      setDryRunning(false);
    }
  };

  const shapes = SHAPES_BY_TYPE[type ?? 'first_order'];
  const dryRunnable = canDryRun(type ?? 'first_order');
  return (
    <Card title={t(editing ? 'campaign.edit' : 'campaign.new')} data-testid="campaign-editor">
      <ConsoleError error={error} />
      {loaded && (
        <Form
          form={form}
          layout="vertical"
          initialValues={initial}
          onFinish={submit}
          requiredMark={false}
          onValuesChange={() => {
            setError(null);
            setDryRunError(null);
            setDryRun((last) => (last === null || last.stale ? last : { ...last, stale: true }));
          }}
        >
          <TextItem name="name" label={t('campaign.name')} testId="campaign-name" />
          <Form.Item name="type" label={t('campaign.typeLabel')}>
            <Radio.Group optionType="button" disabled={editing}>
              {CAMPAIGN_TYPES.map((candidate) => (
                <Radio.Button key={candidate} value={candidate}>
                  <span data-testid={`campaign-type-${candidate}`}>{t(`campaign.type.${candidate}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>

          <Divider titlePlacement="start">{t('campaign.reward')}</Divider>
          <Form.Item name="shape" label={t('campaign.shapeLabel')}>
            <Radio.Group optionType="button">
              {shapes.map((candidate) => (
                <Radio.Button key={candidate} value={candidate}>
                  <span data-testid={`campaign-shape-${candidate}`}>{t(`campaign.shape.${candidate}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Row gutter={16}>
            {shape === 'fixed' && (
              <Col span={8}>
                <TextItem name="fixed" label={t('campaign.fixed')} testId="campaign-fixed" />
              </Col>
            )}
            {shape === 'percent' && (
              <>
                <Col span={8}>
                  <TextItem name="percent" label={t('campaign.percent')} testId="campaign-percent" />
                </Col>
                <Col span={8}>
                  <TextItem name="percentCap" label={t('campaign.percentCap')} testId="campaign-percent-cap" />
                </Col>
              </>
            )}
            {shape === 'random_range' && (
              <>
                <Col span={8}>
                  <TextItem name="randomLo" label={t('campaign.randomLo')} testId="campaign-random-lo" />
                </Col>
                <Col span={8}>
                  <TextItem name="randomHi" label={t('campaign.randomHi')} testId="campaign-random-hi" />
                </Col>
              </>
            )}
            {shape === 'threshold' && (
              <>
                <Col span={8}>
                  <TextItem name="threshold" label={t('campaign.threshold')} testId="campaign-threshold" />
                </Col>
                <Col span={8}>
                  <TextItem name="save" label={t('campaign.save')} testId="campaign-save" />
                </Col>
              </>
            )}
          </Row>
          {type === 'cashback' && (
            <Form.Item name="holdDays" label={t('campaign.holdDays')} extra={t('campaign.holdDays.help')}>
              <InputNumber min={0} max={MAX_HOLD_DAYS} precision={0} data-testid="campaign-hold-days" />
            </Form.Item>
          )}
          {type === 'first_order' && (
            <Form.Item name="firstOrderScope" label={t('campaign.scope')}>
              <Radio.Group>
                <Radio value="ever">{t('campaign.scope.ever')}</Radio>
                <Radio value="at_merchant">{t('campaign.scope.at_merchant')}</Radio>
              </Radio.Group>
            </Form.Item>
          )}

          <Divider titlePlacement="start">{t('campaign.eligibility')}</Divider>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="startsAt" label={t('campaign.startsAt')}>
                <Input type="datetime-local" data-testid="campaign-starts-at" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="endsAt" label={t('campaign.endsAt')}>
                <Input type="datetime-local" data-testid="campaign-ends-at" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item label={t('campaign.hours')}>
                <Space>
                  <Form.Item name="hourFrom" noStyle>
                    <InputNumber min={0} max={23} precision={0} data-testid="campaign-hour-from" />
                  </Form.Item>
                  –
                  <Form.Item name="hourTo" noStyle>
                    <InputNumber min={0} max={23} precision={0} data-testid="campaign-hour-to" />
                  </Form.Item>
                </Space>
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="channels" label={t('campaign.channels')}>
            <Checkbox.Group
              options={PAYMENT_CHANNELS.map((channel) => ({
                value: channel,
                label: <span data-testid={`campaign-channel-${channel}`}>{t(`campaign.channel.${channel}`)}</span>,
              }))}
            />
          </Form.Item>
          <Form.Item name="segments" label={t('campaign.segments')} extra={t('campaign.segments.help')}>
            <Checkbox.Group
              options={CUSTOMER_SEGMENTS.map((segment) => ({
                value: segment,
                label: <span data-testid={`campaign-segment-${segment}`}>{t(`campaign.segment.${segment}`)}</span>,
              }))}
            />
          </Form.Item>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item label={t('campaign.ageBand')} extra={t('campaign.ageBand.help')}>
                <Space>
                  <Form.Item name="ageMin" noStyle>
                    <AgeInput bound="min" />
                  </Form.Item>
                  –
                  <Form.Item
                    name="ageMax"
                    noStyle
                    dependencies={['ageMin']}
                    rules={[
                      ({ getFieldValue }) => ({
                        validator: (_, max: number | null | undefined) => {
                          const min = getFieldValue('ageMin') as number | null | undefined;
                          return min && max && max < min
                            ? Promise.reject(new Error(t('marketing.form.ageRange')))
                            : Promise.resolve();
                        },
                      }),
                    ]}
                  >
                    <AgeInput bound="max" />
                  </Form.Item>
                </Space>
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="inactiveDays" label={t('campaign.inactiveDays')} extra={t('campaign.inactiveDays.help')}>
                <InputNumber
                  min={1}
                  max={CAMPAIGN_INACTIVE_DAYS_MAX}
                  precision={0}
                  placeholder={t('campaign.noLimit')}
                  suffix={t('campaign.inactiveDays.unit')}
                  data-testid="campaign-inactive-days"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="customerList"
                label={t('campaign.customerList')}
                extra={t(
                  customerLists.error === null ? 'campaign.customerList.help' : 'campaign.customerList.unavailable',
                )}
              >
                <CustomerListSelect lists={customerLists.data ?? []} disabled={customerLists.error !== null} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={8}>
              <TextItem name="merchantIds" label={t('campaign.merchants')} testId="campaign-merchant-ids" />
            </Col>
            <Col span={8}>
              <TextItem name="regions" label={t('campaign.regions')} testId="campaign-regions" />
            </Col>
            <Col span={8}>
              <TextItem name="minAmount" label={t('campaign.minAmount')} testId="campaign-min-amount" />
            </Col>
            <Col span={8}>
              <Form.Item name="holdoutPercent" label={t('campaign.holdout')}>
                <InputNumber min={0} max={100} precision={0} data-testid="campaign-holdout" />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('campaign.caps')}</Divider>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="budgetTotal" label={t('campaign.budgetTotal')}>
                <Input data-testid="campaign-budget-total" disabled={editing} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <TextItem name="budgetDaily" label={t('campaign.budgetDaily')} testId="campaign-budget-daily" />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <CountItem name="customerCountDaily" label={t('campaign.customerCountDaily')} testId="campaign-customer-count-daily" />
            </Col>
            <Col span={6}>
              <CountItem name="customerCountLifetime" label={t('campaign.customerCountLifetime')} testId="campaign-customer-count-lifetime" />
            </Col>
            <Col span={6}>
              <TextItem name="customerAmountDaily" label={t('campaign.customerAmountDaily')} testId="campaign-customer-amount-daily" />
            </Col>
            <Col span={6}>
              <TextItem name="customerAmountLifetime" label={t('campaign.customerAmountLifetime')} testId="campaign-customer-amount-lifetime" />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <CountItem name="deviceCountLifetime" label={t('campaign.deviceCountLifetime')} testId="campaign-device-count" />
            </Col>
            <Col span={6}>
              <CountItem name="identityCountLifetime" label={t('campaign.identityCountLifetime')} testId="campaign-identity-count" />
            </Col>
            <Col span={6}>
              <CountItem name="exclusiveGroup" label={t('campaign.exclusiveGroup')} testId="campaign-exclusive-group" />
            </Col>
            <Col span={6}>
              <Form.Item name="priority" label={t('campaign.priority')}>
                <InputNumber precision={0} style={{ width: '100%' }} data-testid="campaign-priority" />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap align="center">
            <Button type="primary" htmlType="submit" loading={saving} data-testid="campaign-submit">
              {t(editing ? 'campaign.saveButton' : 'campaign.create')}
            </Button>
            <Button
              onClick={() => void runDryRun()}
              loading={dryRunning}
              disabled={!dryRunnable}
              data-testid="campaign-dry-run"
            >
              {t('campaign.dryRun')}
            </Button>
            <InputNumber
              min={1}
              max={DRY_RUN_MAX_DAYS}
              precision={0}
              value={dryRunDays}
              onChange={(days) => setDryRunDays(days ?? DRY_RUN_MAX_DAYS)}
              disabled={!dryRunnable}
              aria-label={t('campaign.dryRun.days')}
              prefix={t('campaign.dryRun.days')}
              suffix={t('campaign.dryRun.daysUnit')}
              style={{ width: 200 }}
              data-testid="campaign-dry-run-days"
            />
          </Space>
          <div style={{ marginTop: 8 }}>
            {dryRunnable ? (
              <Typography.Text type="secondary">{t('campaign.dryRun.help')}</Typography.Text>
            ) : (
              <Typography.Text type="secondary" data-testid="campaign-dry-run-unsupported">
                {t('campaign.dryRun.unsupported')}
              </Typography.Text>
            )}
          </div>
          {dryRunError !== null && (
            <div style={{ marginTop: 16 }}>
              <ConsoleError error={dryRunError} />
            </div>
          )}
          {dryRun !== null && <CampaignDryRunPanel result={dryRun.result} stale={dryRun.stale} />}
        </Form>
      )}
    </Card>
  );
}
