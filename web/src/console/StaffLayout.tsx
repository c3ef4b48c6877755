// The frame of every console page after log-in: a menu with only the pages the staff member's
// roles may use, the header (language, name, log out), and the page in the middle.
import { Alert, Button, Layout, Menu, Space, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';

import { ApiError } from '../api/client';
import { staffApi, staffSession } from '../api/session';
import { staffLogOut } from '../api/staff';
import type { Staff } from '../api/types';
import { errorMessage } from '../i18n/errors';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { canOpen, visiblePages, type ConsolePage } from './roles';

/** The logged-in staff member, as stored at log-in. */
export function currentStaff(): Staff | null {
  if (staffSession.token() === null) return null;
  return staffSession.profile<Staff>();
}

/** An error as an antd Alert with data-testid="console-error" and the code in data-error-code. */
export function ConsoleError({ error }: { error: unknown }) {
  const { language } = useI18n();
  if (error === null || error === undefined) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={errorMessage(language, error)}
      data-testid="console-error"
      data-error-code={code}
      style={{ marginBottom: 16 }}
    />
  );
}

/** Renders a page only for staff whose roles may open it; others go to their landing page. */
export function RequirePage({ page, children }: { page: ConsolePage; children: React.ReactNode }) {
  const staff = currentStaff();
  if (staff === null) return <Navigate to="/console/login" replace />;
  if (!canOpen(staff.roles, page)) return <Navigate to="/console/dashboard" replace />;
  return <>{children}</>;
}

export function StaffLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const staff = currentStaff();
  if (staff === null) return <Navigate to="/console/login" replace />;

  const pages = visiblePages(staff.roles);
  const selected = pages.find((entry) =>
    location.pathname.startsWith(`/console/${entry.path}`),
  )?.path;
  const logout = async () => {
    try {
      await staffLogOut(staffApi);
    } catch {
      // The session is dropped here whatever the server says; it expires there on its own.
    }
    staffSession.clear();
    navigate('/console/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0}>
        <div className="console-brand">{t('console.title')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          onClick={({ key }) => navigate(`/console/${key}`)}
          items={pages.map((entry) => ({
            key: entry.path,
            label: <span data-testid={`menu-${entry.path}`}>{t(entry.label)}</span>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <Space>
            <LanguageToggle />
            <Typography.Text data-testid="staff-name">{staff.display_name}</Typography.Text>
            <Button onClick={logout} data-testid="staff-logout">
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
