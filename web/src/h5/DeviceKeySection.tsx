// "This device" (本机登录密钥) on the security page: bind this browser's Ed25519 key (made here,
// private half non-extractable, kept in IndexedDB: deviceKey.ts) with proof of possession, or
// remove it. A key the server suspended after wrong signatures is bound again with the same key.
// Where the browser offers WebAuthn with a platform authenticator, "Use fingerprint / face"
// binds a WebAuthn credential instead (webauthnKey.ts); the browser key stays the fallback.
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';

import {
  bindingChallenge,
  listDeviceKeys,
  registerDeviceKey,
  registerWebAuthnKey,
  removeDeviceKey,
  webauthnBindingChallenge,
} from '../api/deviceKeys';
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
import { createWebAuthnCredential, webauthnAvailable } from './webauthnKey';

interface Loaded {
  supported: boolean;
  webauthn: boolean;
  phone: string;
  stored: StoredDeviceKey | null;
  keys: DeviceKeyInfo[];
}

async function load(): Promise<Loaded> {
  const [supported, webauthn, me, keys] = await Promise.all([
    deviceKeysSupported(),
    webauthnAvailable(),
    getMe(customerApi),
    listDeviceKeys(customerApi),
  ]);
  return { supported, webauthn, phone: me.phone, stored: await loadDeviceKey(me.phone), keys };
}

async function bindWebAuthn(phone: string, name: string): Promise<void> {
  const challenge = await webauthnBindingChallenge(customerApi);
  const made = await createWebAuthnCredential(challenge, phone);
  const registered = await registerWebAuthnKey(customerApi, challenge, name, made.attestationObject, made.clientDataJson);
  await saveDeviceKey({
    phone,
    deviceId: registered.device_id,
    publicKey: '',
    boundAt: new Date().toISOString(),
    kind: 'webauthn',
    credentialId: made.credentialId,
    rpId: challenge.webauthn.rp_id,
  });
}

async function bind(phone: string, stored: StoredDeviceKey | null, name: string): Promise<void> {
  // A suspended browser key is bound again as it is; otherwise a new pair.
  const reusable = stored !== null && stored.keyPair !== undefined ? { publicKey: stored.publicKey, keyPair: stored.keyPair } : null;
  const pair = reusable ?? (await createDeviceKeyPair());
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
  const state = !data.supported && !data.webauthn ? 'unsupported' : mine === undefined ? 'none' : mine.status;
  const others = data.keys.filter((key) => key !== mine).length;
  const stored = data.stored;
  return (
    <section
      data-testid="device-key-section"
      data-state={state}
      data-webauthn={data.webauthn ? 'yes' : 'no'}
      data-kind={mine?.kind ?? ''}
    >
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
        {(state === 'none' || state === 'suspended') && data.webauthn && (
          <Button
            block
            color="primary"
            loading={busy}
            data-testid="device-key-bind-webauthn"
            onClick={() => run(() => bindWebAuthn(data.phone, t('deviceKey.webauthnName')), t('deviceKey.bindDone'))}
          >
            {t('deviceKey.bindWebAuthn')}
          </Button>
        )}
        {(state === 'none' || state === 'suspended') && data.supported && (
          <Button
            block
            color="primary"
            fill={data.webauthn ? 'outline' : 'solid'}
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
