// Spending analysis (/spending): this month against last month, spending by category (donut),
// by month (bars) and the merchants paid most. Loaded lazily with ECharts, so the rest of the
// H5 app does not carry the charting code.
import { Card, List, SpinLoading } from 'antd-mobile';
import { useMemo } from 'react';

import { getSpending, SPENDING_MONTHS } from '../api/payments';
import { customerApi } from '../api/session';
import type { Spending } from '../api/types';
import { EChart } from '../charts/EChart';
import type { EChartsCoreOption } from '../charts/echarts';
import { fenAxisLabel, formatChangeBp, monthLabel } from '../charts/format';
import { useI18n } from '../i18n/I18nProvider';
import type { Language } from '../i18n/translate';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';

const CHART_HEIGHT_PX = 260;
const BRAND_RED = '#c8102e';

/** A chart value that is an amount in fen, formatted for a tooltip. */
function fenOf(value: unknown): string {
  return typeof value === 'number' ? formatFen(value) : '';
}

function categoryOption(spending: Spending, language: Language): EChartsCoreOption {
  return {
    tooltip: {
      trigger: 'item',
      formatter: (item: { name: string; value: unknown; percent: number }) =>
        `${item.name}: ${fenOf(item.value)}`,
    },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}' },
        // Fen as plain numbers: the slice angles only; every text goes through formatFen.
        data: spending.by_category.map((entry) => ({
          name: language === 'zh' ? entry.category_name : entry.category_name_en,
          value: entry.amount,
        })),
      },
    ],
  };
}

function monthOption(spending: Spending, language: Language): EChartsCoreOption {
  return {
    color: [BRAND_RED],
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { name: string; value: unknown }[]) =>
        items.map((item) => `${item.name}: ${fenOf(item.value)}`).join('<br/>'),
    },
    xAxis: {
      type: 'category',
      data: spending.months.map((entry) => monthLabel(entry.month, language)),
    },
    yAxis: { type: 'value', axisLabel: { formatter: fenAxisLabel } },
    series: [{ type: 'bar', data: spending.months.map((entry) => entry.amount), barMaxWidth: 28 }],
  };
}

function MonthOverMonth({ spending }: { spending: Spending }) {
  const { t } = useI18n();
  const { current, previous, change_bp: changeBp } = spending.month_over_month;
  let change: string;
  let direction = 'none';
  if (changeBp === null) {
    change = t('spending.noPrevious');
  } else {
    const formatted = formatChangeBp(changeBp);
    direction = formatted.direction;
    change =
      formatted.direction === 'flat'
        ? t('spending.flat')
        : t(formatted.direction === 'up' ? 'spending.up' : 'spending.down', {
            percent: formatted.text,
          });
  }
  return (
    <div className="h5-balance-card">
      <div>{t('spending.thisMonth')}</div>
      <div className="h5-balance" data-testid="spending-current" data-fen={current}>
        {formatFen(current)}
      </div>
      <div data-testid="spending-change" data-direction={direction} data-change-bp={changeBp ?? ''}>
        {direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}
        {change}
      </div>
      {previous > 0 && (
        <div className="h5-spending-previous">
          {t('spending.lastMonth', { amount: formatFen(previous) })}
        </div>
      )}
    </div>
  );
}

export default function SpendingPage() {
  const { t, language } = useI18n();
  const loaded = useLoad(() => getSpending(customerApi, SPENDING_MONTHS), []);
  const spending = loaded.data;
  const options = useMemo(
    () =>
      spending && {
        category: categoryOption(spending, language),
        month: monthOption(spending, language),
      },
    [spending, language],
  );
  const spentNothing = spending !== null && spending.months.every((entry) => entry.amount === 0);

  return (
    <H5Page title={t('spending.title')}>
      <FormError error={loaded.error} />
      {loaded.loading && spending === null && <SpinLoading />}
      {spending && options && (
        <div data-testid="spending-page">
          <div className="h5-page">
            <MonthOverMonth spending={spending} />
          </div>
          {spending.truncated && <p className="h5-page h5-muted">{t('spending.truncated')}</p>}
          {spentNothing && (
            <p className="h5-page h5-muted" data-testid="spending-empty">
              {t('spending.empty', { months: SPENDING_MONTHS })}
            </p>
          )}
          {spending.by_category.length > 0 && (
            <Card title={t('spending.byCategory')} className="h5-chart-card">
              <EChart
                option={options.category}
                height={CHART_HEIGHT_PX}
                testId="spending-category-chart"
              />
            </Card>
          )}
          <Card title={t('spending.byMonth')} className="h5-chart-card">
            <EChart option={options.month} height={CHART_HEIGHT_PX} testId="spending-month-chart" />
          </Card>
          {spending.top_merchants.length > 0 && (
            <List header={t('spending.topMerchants')} data-testid="spending-top-merchants">
              {spending.top_merchants.map((merchant) => (
                <List.Item
                  key={merchant.merchant_id}
                  data-testid="spending-merchant"
                  data-merchant-id={merchant.merchant_id}
                  data-fen={merchant.amount}
                  description={t('spending.count', { count: merchant.count })}
                  extra={formatFen(merchant.amount)}
                >
                  {merchant.name}
                </List.Item>
              ))}
            </List>
          )}
          <p className="h5-page h5-muted">{t('spending.net')}</p>
        </div>
      )}
    </H5Page>
  );
}
