// The frame of every merchant portal page after log-in: the menu (API keys and users only for
// the owner), the header (language, user, log out) and the page. Also the pieces the pages
// share: the error alert and the QR image loaded with the Bearer header.
import { Alert, Button, Layout, Menu, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';

import { ApiError } from '../api/client';
import { merchantLogOut } from '../api/merchant';
import { merchantApi, merchantSession } from '../api/session';
import { blobToDataUrl } from '../dataUrl';
export { saveBlob } from '../download';
import type { MerchantUser } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';
import { errorMessage } from '../i18n/errors';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';

/** What the portal keeps beside the token. */
export interface MerchantProfile {
  merchant_id: string;
  user: MerchantUser;
}

export function currentMerchantUser(): MerchantProfile | null {
  if (merchantSession.token() === null) return null;
  return merchantSession.profile<MerchantProfile>();
}

export type MerchantPage =
  | 'dashboard'
  | 'orders'
  | 'charge'
  | 'payments'
  | 'reports'
  | 'settlements'
  | 'coFunding'
  | 'webhooks'
  | 'apiKeys'
  | 'users';

export const MERCHANT_PAGES: readonly {
  page: MerchantPage;
  path: string;
  label: MessageKey;
  ownerOnly: boolean;
}[] = [
  { page: 'dashboard', path: 'dashboard', label: 'merchant.dashboard', ownerOnly: false },
  { page: 'orders', path: 'orders', label: 'merchant.orders', ownerOnly: false },
  { page: 'charge', path: 'charge', label: 'merchant.charge', ownerOnly: false },
  { page: 'payments', path: 'payments', label: 'merchant.payments', ownerOnly: false },
  { page: 'reports', path: 'reports', label: 'merchant.reports', ownerOnly: false },
  { page: 'settlements', path: 'settlements', label: 'merchant.settlements', ownerOnly: false },
  { page: 'coFunding', path: 'co-funding', label: 'merchant.coFunding', ownerOnly: false },
  { page: 'webhooks', path: 'webhooks', label: 'merchant.webhooks', ownerOnly: false },
  { page: 'apiKeys', path: 'api-keys', label: 'merchant.apiKeys', ownerOnly: true },
  { page: 'users', path: 'users', label: 'merchant.users', ownerOnly: true },
];

export function MerchantError({ error }: { error: unknown }) {
  const { language } = useI18n();
  if (error === null || error === undefined) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={errorMessage(language, error)}
      data-testid="merchant-error"
      data-error-code={code}
      style={{ marginBottom: 16 }}
    />
  );
}

/**
 * A QR image fetched with the session's Bearer header (an <img src> cannot send it) and shown
 * as a data: URL, which the server's Content-Security-Policy (img-src 'self' data:) allows.
 */
export function AuthorizedImage({
  load,
  alt,
  testId,
  className,
}: {
  load: () => Promise<Blob>;
  alt: string;
  testId: string;
  className?: string;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    load()
      .then(blobToDataUrl)
      .then(
        (dataUrl) => live && setUrl(dataUrl),
        (cause: unknown) => live && setError(cause),
      );
    return () => {
      live = false;
    };
  }, [load]);
  if (error !== null) return <MerchantError error={error} />;
  if (url === null) return <div className={className} />;
  return <img src={url} alt={alt} className={className} data-testid={testId} />;
}

export function RequireMerchantOwner({ children }: { children: React.ReactNode }) {
  const profile = currentMerchantUser();
  if (profile === null) return <Navigate to="/merchant/login" replace />;
  if (profile.user.role !== 'owner') return <Navigate to="/merchant/dashboard" replace />;
  return <>{children}</>;
}

export function MerchantLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const profile = currentMerchantUser();
  if (profile === null) return <Navigate to="/merchant/login" replace />;

  const pages = MERCHANT_PAGES.filter((entry) => !entry.ownerOnly || profile.user.role === 'owner');
  const selected = pages.find((entry) =>
    location.pathname.startsWith(`/merchant/${entry.path}`),
  )?.path;
  const logout = async () => {
    try {
      await merchantLogOut(merchantApi);
    } catch {
      // The session is dropped here whatever the server says; it expires there on its own.
    }
    merchantSession.clear();
    navigate('/merchant/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} className="merchant-no-print">
        <div className="merchant-brand">{t('merchant.title')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          onClick={({ key }) => navigate(`/merchant/${key}`)}
          items={pages.map((entry) => ({
            key: entry.path,
            label: <span data-testid={`merchant-menu-${entry.path}`}>{t(entry.label)}</span>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header merchant-no-print">
          <Space>
            <LanguageToggle />
            <Typography.Text data-testid="merchant-user">{profile.user.username}</Typography.Text>
            <Button onClick={logout} data-testid="merchant-logout">
              {t('console.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
