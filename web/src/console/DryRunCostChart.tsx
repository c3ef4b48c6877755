// The cost per day of a campaign dry run as bars. Its own module, loaded lazily by the editor,
// so ECharts is downloaded only once a dry run has figures to draw.
import { useMemo } from 'react';

import type { DryRunDay } from '../api/marketing';
import { EChart } from '../charts/EChart';
import type { EChartsCoreOption } from '../charts/echarts';
import { fenAxisLabel, shortDate } from '../charts/format';
import { formatFen } from '../money';

const CHART_HEIGHT_PX = 200;
const COST_COLOR = '#c8102e';

/** Fen as plain numbers for the geometry only; every text goes through formatFen. */
function costTooltip(items: { seriesName: string; name: string; value: unknown; dataIndex: number }[], days: DryRunDay[]): string {
  const day = days[items[0]?.dataIndex ?? -1];
  if (day === undefined) return '';
  return `${day.date}<br/>${items[0]?.seriesName ?? ''}: ${formatFen(day.cost)}`;
}

function dryRunCostOption(days: DryRunDay[], seriesName: string): EChartsCoreOption {
  return {
    color: [COST_COLOR],
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { seriesName: string; name: string; value: unknown; dataIndex: number }[]) =>
        costTooltip(items, days),
    },
    xAxis: { type: 'category', data: days.map((day) => shortDate(day.date)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: fenAxisLabel } },
    series: [{ name: seriesName, type: 'bar', data: days.map((day) => day.cost), barMaxWidth: 16 }],
  };
}

export default function DryRunCostChart({ days, seriesName }: { days: DryRunDay[]; seriesName: string }) {
  const option = useMemo(() => dryRunCostOption(days, seriesName), [days, seriesName]);
  return <EChart option={option} height={CHART_HEIGHT_PX} testId="campaign-dry-run-chart" />;
}
