// The recent security events on the security page (近期安全记录): sign-ins, PIN and two-step
// changes and locks, and bank staff viewing the customer's data with their reason. Newest
// first, twenty at a time.
import { Button, Dialog, List } from 'antd-mobile';
import { useEffect, useState } from 'react';

import { customerApi } from '../api/session';
import { exportMyData, listSecurityEvents, type SecurityEvent } from '../api/securityEvents';
import { useI18n } from '../i18n/I18nProvider';
import { FormError } from './common';
import { formatChinaTime } from './historyFormat';
import { isAlarming, securityEventTitle } from './securityEventFormat';

export function SecurityEventsSection() {
  const { t } = useI18n();
  const [events, setEvents] = useState<SecurityEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = async (from: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await listSecurityEvents(customerApi, from);
      setEvents((shown) => (from === null ? page.events : [...shown, ...page.events]));
      setCursor(page.next_cursor);
    } catch (cause) {
      setError(cause);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  return (
    <div data-testid="security-events-section">
      <List mode="card" header={t('securityEvents.title')}>
        {events.map((event) => (
          <List.Item
            key={event.id}
            data-testid="security-event-row"
            data-type={event.type}
            description={[formatChinaTime(event.time), event.ip, event.device]
              .filter((part) => part !== null && part !== '')
              .join(' · ')}
          >
            <span style={isAlarming(event) ? { color: 'var(--adm-color-danger)' } : undefined}>
              {securityEventTitle(event, t)}
            </span>
          </List.Item>
        ))}
        {events.length === 0 && !loading && <List.Item>{t('securityEvents.empty')}</List.Item>}
      </List>
      {cursor !== null && (
        <div className="h5-page">
          <Button
            block
            fill="outline"
            loading={loading}
            data-testid="security-events-more"
            onClick={() => void load(cursor)}
          >
            {t('securityEvents.more')}
          </Button>
        </div>
      )}
      <p className="h5-page h5-muted">{t('securityEvents.hint')}</p>
      <FormError error={error} />
      <DataExportButton />
    </div>
  );
}

/**
 * "Export my data": downloads the JSON copy the server records as an export. Also offered by
 * the account closure section, under its own test id.
 */
export function DataExportButton({ testId = 'data-export' }: { testId?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const data = await exportMyData(customerApi);
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'qianbao-my-data.json';
      link.click();
      URL.revokeObjectURL(url);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="h5-page">
      <Button
        block
        fill="outline"
        loading={busy}
        data-testid={testId}
        onClick={() => {
          void Dialog.confirm({
            content: t('dataExport.confirm'),
            confirmText: t('dataExport.button'),
            cancelText: t('common.cancel'),
            onConfirm: download,
          });
        }}
      >
        {t('dataExport.button')}
      </Button>
      <FormError error={error} />
    </div>
  );
}
