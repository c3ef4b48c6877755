// The signed-in devices on the security page (登录设备): every live session of the customer with
// its device and address, this one marked; sign one out, or all the others.
import { Button, List, Toast } from 'antd-mobile';
import { useState } from 'react';

import { deviceLabel, listSessions, signOutOtherSessions, signOutSession } from '../api/devices';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FormError } from './common';

export function DevicesSection() {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => listSessions(customerApi), [version]);
  const [apiError, setApiError] = useState<unknown>(null);

  const run = async (action: () => Promise<unknown>) => {
    setApiError(null);
    try {
      await action();
      Toast.show({ icon: 'success', content: t('devices.signedOut') });
      setVersion((v) => v + 1);
    } catch (error) {
      setApiError(error);
    }
  };

  const sessions = loaded.data ?? [];
  return (
    <div data-testid="devices-section">
      <List mode="card" header={t('devices.title')}>
        {sessions.map((session) => (
          <List.Item
            key={session.id}
            data-testid="device-row"
            data-current={session.current ? 'true' : 'false'}
            description={t('devices.details', {
              ip: session.ip || '-',
              created: new Date(session.created_at).toLocaleString(),
              active: new Date(session.last_active_at).toLocaleString(),
            })}
            extra={
              session.current ? (
                t('devices.current')
              ) : (
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  data-testid="device-sign-out"
                  onClick={() => void run(() => signOutSession(customerApi, session.id))}
                >
                  {t('devices.signOut')}
                </Button>
              )
            }
          >
            {deviceLabel(session.device) || t('devices.unknown')}
          </List.Item>
        ))}
      </List>
      <p className="h5-page h5-muted">{t('devices.hint')}</p>
      {sessions.length > 1 && (
        <div className="h5-page">
          <Button
            block
            color="danger"
            fill="outline"
            data-testid="devices-sign-out-others"
            onClick={() => void run(() => signOutOtherSessions(customerApi))}
          >
            {t('devices.signOutOthers')}
          </Button>
        </div>
      )}
      <FormError error={apiError ?? loaded.error} />
    </div>
  );
}
