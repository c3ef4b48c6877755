import { Grid, List, NavBar } from 'antd-mobile';
import { useNavigate } from 'react-router';

import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';

/** The balance in fen, or null until the API answers; shown as "—" meanwhile. */
function BalanceText({ balanceFen }: { balanceFen: number | null }) {
  return <div className="h5-balance">{balanceFen === null ? '—' : formatFen(balanceFen)}</div>;
}

export function HomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  // Filled from GET /api/v1/wallet by the wallet issue.
  const balanceFen: number | null = null;
  const actions = ['home.topUp', 'home.withdraw', 'home.pay', 'home.transfer'] as const;
  return (
    <>
      <NavBar backIcon={false} right={<LanguageToggle />}>
        {t('home.title')}
      </NavBar>
      <div className="h5-page">
        <div className="h5-balance-card">
          <div>{t('home.balance')}</div>
          <BalanceText balanceFen={balanceFen} />
        </div>
        <Grid columns={4} gap={8}>
          {actions.map((key) => (
            <Grid.Item key={key} style={{ textAlign: 'center', padding: 12, color: '#999' }}>
              {t(key)}
            </Grid.Item>
          ))}
        </Grid>
      </div>
      <List>
        <List.Item onClick={() => navigate('/history')}>{t('home.history')}</List.Item>
      </List>
    </>
  );
}
