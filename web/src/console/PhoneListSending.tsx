// What the dialogs that send an uploaded list of phones in parts share (the coupon issue, the
// custom list upload): the chosen list, the progress of the sending, a stop asked for by ops or
// by leaving the page (after the request in flight), and the progress bar with its stop button.
import { Button, Progress, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import type { PhoneList } from './phoneList';

/** What any sending reports after each answer. */
export interface SendingProgress {
  sent: number;
  total: number;
  /** The error that stopped it, or null. */
  error: unknown;
  stopped: boolean;
  done: boolean;
}

export interface PhoneListSending<P extends SendingProgress> {
  list: PhoneList | null;
  progress: P | null;
  running: boolean;
  /** A new list (or none): the progress of the last one is forgotten. */
  choose: (list: PhoneList | null) => void;
  /** Sends the chosen list with `send`, which reports through onProgress and asks shouldStop. */
  send: (
    send: (list: PhoneList, onProgress: (progress: P) => void, shouldStop: () => boolean) => Promise<unknown>,
  ) => Promise<void>;
  stop: () => void;
}

export function usePhoneListSending<P extends SendingProgress>(): PhoneListSending<P> {
  const [list, setList] = useState<PhoneList | null>(null);
  const [progress, setProgress] = useState<P | null>(null);
  const stopRequested = useRef(false);
  // Leaving the page stops the sending after the request in flight.
  useEffect(
    () => () => {
      stopRequested.current = true;
    },
    [],
  );
  return {
    list,
    progress,
    running: progress !== null && !progress.done,
    choose: (chosen) => {
      setList(chosen);
      setProgress(null);
    },
    send: async (send) => {
      if (list === null) return;
      stopRequested.current = false;
      await send(list, setProgress, () => stopRequested.current);
    },
    stop: () => {
      stopRequested.current = true;
    },
  };
}

/** The bar, "sent of total" and, while it runs, the stop button. Test ids: <prefix>-progress, -stop. */
export function SendingProgressBar({
  sending,
  testIdPrefix,
}: {
  sending: Pick<PhoneListSending<SendingProgress>, 'progress' | 'running' | 'stop'>;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  const { progress } = sending;
  if (progress === null) return null;
  const percent = progress.total > 0 ? Math.floor((progress.sent * 100) / progress.total) : 0;
  return (
    <div data-testid={`${testIdPrefix}-progress`} data-sent={progress.sent} data-total={progress.total}>
      <Progress percent={percent} status={progress.error !== null ? 'exception' : undefined} />
      <Space>
        <Typography.Text>{t('coupon.list.progress', { sent: progress.sent, total: progress.total })}</Typography.Text>
        {sending.running && (
          <Button size="small" onClick={sending.stop} data-testid={`${testIdPrefix}-stop`}>
            {t('coupon.list.stop')}
          </Button>
        )}
      </Space>
    </div>
  );
}
