import { ErrorBlock, List, NavBar } from 'antd-mobile';
import { useNavigate } from 'react-router';

import { useI18n } from '../i18n/I18nProvider';
import { formatMoney, type Money } from '../money';

/** One line of the history as GET /api/v1/transactions will list it. */
export interface HistoryEntry {
  id: string;
  title: string;
  money: Money;
  createdAt: string;
}

export function HistoryPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  // Filled with cursor pagination (?cursor=&limit=) by the wallet issue.
  const entries: HistoryEntry[] = [];
  return (
    <>
      <NavBar onBack={() => navigate('/home')}>{t('history.title')}</NavBar>
      {entries.length === 0 ? (
        <ErrorBlock status="empty" title={t('common.empty')} description="" />
      ) : (
        <List>
          {entries.map((entry) => (
            <List.Item
              key={entry.id}
              description={entry.createdAt}
              extra={formatMoney(entry.money)}
            >
              {entry.title}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}
