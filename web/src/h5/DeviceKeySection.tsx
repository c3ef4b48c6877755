// "This device" (本机登录密钥) on the security page: bind this browser's Ed25519 key (made here,
// private half non-extractable, kept in IndexedDB: deviceKey.ts) with proof of possession, or
// remove it. A key the server suspended after wrong signatures is bound again with the same key.
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';

import { bindingChallenge, listDeviceKeys, registerDeviceKey, removeDeviceKey } from '../api/deviceKeys';
import type { DeviceKeyInfo } from '../api/deviceKeys';
import { customerApi } from '../api/session';
import { getMe } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FormError } from './common';
import {
  createDeviceKeyPair,
  deviceKeysSupported,
  forgetDeviceKey,
  fromBase64Url,
  loadDeviceKey,
  saveDeviceKey,
  toBase64Url,
  type StoredDeviceKey,
} from './deviceKey';

interface Loaded {
  supported: boolean;
  phone: string;
  stored: StoredDeviceKey | null;
  keys: DeviceKeyInfo[];
}

async function load(): Promise<Loaded> {
  const [supported, me, keys] = await Promise.all([
    deviceKeysSupported(),
    getMe(customerApi),
    listDeviceKeys(customerApi),
  ]);
  return { supported, phone: me.phone, stored: await loadDeviceKey(me.phone), keys };
}

async function bind(phone: string, stored: StoredDeviceKey | null, name: string): Promise<void> {
  // A suspended key is bound again as it is; otherwise a new pair.
  const pair = stored ?? { ...(await createDeviceKeyPair()) };
  const challenge = await bindingChallenge(customerApi, pair.publicKey);
  const message = fromBase64Url(challenge.message);
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, pair.keyPair.privateKey, message as BufferSource);
  const registered = await registerDeviceKey(
    customerApi,
    challenge,
    pair.publicKey,
    name,
    toBase64Url(new Uint8Array(signature)),
  );
  await saveDeviceKey({
    phone,
    deviceId: registered.device_id,
    publicKey: pair.publicKey,
    keyPair: pair.keyPair,
    boundAt: new Date().toISOString(),
  });
}

export function DeviceKeySection() {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  // A new closure per version: useLoad reloads when its function changes.
  const loaded = useLoad(() => load(), [version]);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>, done: string) => {
    setApiError(null);
    setBusy(true);
    try {
      await action();
      Toast.show({ icon: 'success', content: done });
      setVersion((v) => v + 1);
    } catch (error) {

      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  const data = loaded.data;
  if (data === null) return <FormError error={loaded.error} />;
  const mine = data.stored === null ? undefined : data.keys.find((key) => key.device_id === data.stored?.deviceId);
  const state = !data.supported ? 'unsupported' : mine === undefined ? 'none' : mine.status;
  const others = data.keys.filter((key) => key !== mine).length;
  const stored = data.stored;
  return (
    <section data-testid="device-key-section" data-state={state}>
      <h3 className="h5-page">{t('deviceKey.title')}</h3>
      <p className="h5-page" data-testid="device-key-status">
        {state === 'unsupported'
          ? t('deviceKey.unsupported')
          : state === 'none'
            ? t('deviceKey.none')
            : state === 'suspended'
              ? t('deviceKey.suspended')
              : t('deviceKey.bound', { id: mine?.device_id ?? '' })}
      </p>
      {others > 0 && <p className="h5-page h5-muted">{t('deviceKey.others', { count: String(others) })}</p>}
      <div className="h5-page">
        {(state === 'none' || state === 'suspended') && (
          <Button
            block
            color="primary"
            loading={busy}
            data-testid="device-key-bind"
            onClick={() =>
              run(async () => {
                // A stored key the server no longer knows (removed elsewhere) is replaced.
                const reuse = state === 'suspended' ? stored : null;
                await bind(data.phone, reuse, t('deviceKey.defaultName'));
              }, t('deviceKey.bindDone'))
            }
          >
            {t('deviceKey.bind')}
          </Button>
        )}
        {mine !== undefined && (
          <Button
            block
            color="danger"
            fill="outline"
            loading={busy}
            data-testid="device-key-remove"
            onClick={() =>
              run(async () => {
                await removeDeviceKey(customerApi, mine.device_id);
                await forgetDeviceKey(data.phone);
              }, t('deviceKey.removed'))
            }
          >
            {t('deviceKey.remove')}
          </Button>
        )}
      </div>
      <FormError error={apiError} />
    </section>
  );
}
