import { Badge, Button, Grid, List, NavBar, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router';

import { listMessages } from '../api/messages';
import { formatPoints, getMyPoints, showPointsOnHome } from '../api/points';
import { customerApi, customerSession } from '../api/session';
import type { Limits } from '../api/types';
import { getBalance, getMe, getSecurity, logOut } from '../api/wallet';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/dictionaries';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError } from './common';

/** The balance in fen, or null until the API answers; shown as "—" meanwhile. */
function BalanceText({ balanceFen }: { balanceFen: number | null }) {
  return (
    <div className="h5-balance" data-testid="balance-value" data-fen={balanceFen ?? undefined}>
      {balanceFen === null ? '—' : formatFen(balanceFen)}
    </div>
  );
}

const LIMIT_ROWS: readonly (keyof Omit<Limits, 'currency'>)[] = [
  'balance_cap',
  'per_payment',
  'per_day',
  'per_year',
  'spent_today',
  'spent_this_year',
];

const PAY_ACTIONS: readonly { key: MessageKey; path: string; testId: string }[] = [
  { key: 'home.scan', path: '/scan', testId: 'action-scan' },
  { key: 'home.paycode', path: '/paycode', testId: 'action-paycode' },
];

const ACTIONS: readonly { key: MessageKey; path: string; testId: string }[] = [
  { key: 'home.topUp', path: '/top-up', testId: 'action-top-up' },
  { key: 'home.withdraw', path: '/withdraw', testId: 'action-withdraw' },
  { key: 'home.transfer', path: '/transfer', testId: 'action-transfer' },
  { key: 'home.cards', path: '/cards', testId: 'action-cards' },
];

export function HomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const me = useLoad(() => getMe(customerApi), []);
  const balance = useLoad(() => getBalance(customerApi), []);
  // Customers without a payment PIN still pay without one; the home page asks them to set one.
  const security = useLoad(() => getSecurity(customerApi), []);
  // A server without the points programme answers 404: the item just stays hidden.
  const points = useLoad(() => getMyPoints(customerApi), []);
  // The first page of the inbox carries the unread count; a failure just leaves no badge.
  const inbox = useLoad(() => listMessages(customerApi), []);
  const unread = inbox.data?.unread ?? 0;
  const customer = me.data;

  const logout = async () => {
    try {
      await logOut(customerApi);
    } catch {
      // The session is dropped here whatever the server says; it expires there on its own.
    }
    customerSession.clear();
    navigate('/login', { replace: true });
  };

  return (
    <>
      <NavBar backIcon={false} right={<LanguageToggle />}>
        {t('home.title')}
      </NavBar>
      <div className="h5-page">
        <div className="h5-balance-card">
          <div className="h5-balance-head">
            <span>{t('home.balance')}</span>
            {customer && (
              <Tag
                color="#ffffff"
                fill="outline"
                data-testid="tier-badge"
                data-tier={customer.tier}
              >
                {t(`tier.${customer.tier}`)}
              </Tag>
            )}
          </div>
          <BalanceText balanceFen={balance.data?.balance ?? null} />
          {balance.data && balance.data.available !== balance.data.balance && (
            <div data-testid="available-value">
              {t('home.available')} {formatFen(balance.data.available)}
            </div>
          )}
          {balance.data && balance.data.pending_in > 0 && (
            <div data-testid="pending-in-value" data-fen={balance.data.pending_in}>
              {t('home.pendingIn')} {formatFen(balance.data.pending_in)}
            </div>
          )}
          {customer && <div className="h5-phone">{customer.phone}</div>}
        </div>
        <Grid columns={2} gap={8} className="h5-pay-actions">
          {PAY_ACTIONS.map((action) => (
            <Grid.Item key={action.key}>
              <button
                type="button"
                className="h5-action h5-action-pay"
                onClick={() => navigate(action.path)}
                data-testid={action.testId}
              >
                {t(action.key)}
              </button>
            </Grid.Item>
          ))}
        </Grid>
        <Grid columns={4} gap={8}>
          {ACTIONS.map((action) => (
            <Grid.Item key={action.key}>
              <button
                type="button"
                className="h5-action"
                onClick={() => navigate(action.path)}
                data-testid={action.testId}
              >
                {t(action.key)}
              </button>
            </Grid.Item>
          ))}
        </Grid>
      </div>
      <FormError error={me.error ?? balance.error} />
      <List>
        <List.Item onClick={() => navigate('/history')} data-testid="action-history">
          {t('home.history')}
        </List.Item>
        <List.Item
          onClick={() => navigate('/messages')}
          data-testid="action-messages"
          data-unread={unread}
          extra={
            unread > 0 ? (
              <Badge content={String(unread)} data-testid="messages-unread-badge" data-count={unread} />
            ) : undefined
          }
        >
          {t('home.messages')}
        </List.Item>
        <List.Item onClick={() => navigate('/offers')} data-testid="action-offers">
          {t('offers.title')}
        </List.Item>
        <List.Item onClick={() => navigate('/referral')} data-testid="action-referral">
          {t('home.referral')}
        </List.Item>
        <List.Item onClick={() => navigate('/lottery')} data-testid="action-lottery">
          {t('home.lottery')}
        </List.Item>
        <List.Item onClick={() => navigate('/red-packets')} data-testid="action-red-packets">
          {t('home.redPackets')}
        </List.Item>
        {points.data !== null && showPointsOnHome(points.data) && (
          <List.Item
            onClick={() => navigate('/points')}
            data-testid="points-balance"
            data-points={points.data.balance}
            extra={formatPoints(points.data.balance)}
          >
            {t('home.points')}
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/payments')} data-testid="action-payments">
          {t('home.payments')}
        </List.Item>
        <List.Item onClick={() => navigate('/spending')} data-testid="action-spending">
          {t('home.spending')}
        </List.Item>
        <List.Item onClick={() => navigate('/small-payments')} data-testid="action-small-payments">
          {t('small.title')}
        </List.Item>
        <List.Item
          onClick={() => navigate('/security')}
          data-testid="action-security"
          extra={
            security.data !== null && !security.data.payment_pin_set ? (
              <span data-testid="home-set-pin">{t('home.setPinPrompt')}</span>
            ) : undefined
          }
        >
          {t('home.security')}
        </List.Item>
        <List.Item
          onClick={() => navigate('/identity')}
          data-testid="action-identity"
          extra={customer?.real_name_masked ?? t('home.verifyHint')}
        >
          {t('home.identity')}
        </List.Item>
      </List>
      {customer && (
        <List header={t('home.limits')}>
          {LIMIT_ROWS.map((row) => (
            <List.Item
              key={row}
              extra={<span data-testid={`limit-${row}`}>{formatFen(customer.limits[row])}</span>}
            >
              {t(`limit.${row}`)}
            </List.Item>
          ))}
        </List>
      )}
      <div className="h5-page">
        <Button block onClick={logout} data-testid="logout-button">
          {t('common.logout')}
        </Button>
      </div>
    </>
  );
}
