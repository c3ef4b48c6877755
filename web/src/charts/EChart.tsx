// One ECharts chart in a <div>: made on mount, given the option on every change, resized with
// its box, disposed on unmount. The canvas inside carries no test id; tests find it through the
// wrapper's data-testid, and data-rendered="true" says the chart finished drawing (animations
// included), so a screenshot taken then shows the whole chart.
import { useEffect, useRef } from 'react';

import { echarts, type EChartsCoreOption } from './echarts';

export function EChart({
  option,
  height,
  testId,
}: {
  option: EChartsCoreOption;
  height: number;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('finished', () => element.setAttribute('data-rendered', 'true'));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new option replaces the old one whole (series may have gone away).
    box.current?.setAttribute('data-rendered', 'false');
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
