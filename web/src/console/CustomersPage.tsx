import { Button, Card, Input, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import { staffApi } from '../api/session';
import { searchCustomers } from '../api/staff';
import type { CustomerSummary } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { rowTestAttributes, TierTag } from './format';
import { ConsoleError } from './StaffLayout';

export function CustomersPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [rows, setRows] = useState<CustomerSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const search = async (q: string, cursor: string | null) => {
    const trimmed = q.trim();
    if (trimmed === '') return;
    setLoading(true);
    setError(null);
    try {
      const page = await searchCustomers(staffApi, trimmed, cursor);
      setRows((previous) =>
        cursor === null ? page.customers : [...(previous ?? []), ...page.customers],
      );
      setNextCursor(page.next_cursor);
      if (cursor === null) setParams({ q: trimmed }, { replace: true });
    } catch (cause) {
      setError(cause);
    } finally {
      setLoading(false);
    }
  };

  // A search in the URL (back from a customer's page, or a shared link) runs on arrival.
  useEffect(() => {
    const initial = params.get('q');
    if (initial) void search(initial, null);
    // Only on arrival: later searches update the URL themselves.
  }, []);

  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    { title: t('console.col.phone'), dataIndex: 'phone_masked', key: 'phone' },
    {
      title: t('console.col.name'),
      key: 'name',
      render: (_: unknown, row: CustomerSummary) => row.real_name_masked ?? '—',
    },
    {
      title: t('console.col.tier'),
      key: 'tier',
      render: (_: unknown, row: CustomerSummary) => <TierTag tier={row.tier} t={t} />,
    },
    {
      title: t('console.col.channel'),
      key: 'channel',
      render: (_: unknown, row: CustomerSummary) => t(`console.channel.${row.channel}`),
    },
    {
      title: t('console.col.registeredAt'),
      key: 'registered',
      render: (_: unknown, row: CustomerSummary) => formatChinaTime(row.registered_at),
    },
  ];

  return (
    <Card title={t('console.customers')}>
      <Space.Compact style={{ maxWidth: 420, width: '100%', marginBottom: 16 }}>
        <Input
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onPressEnter={() => search(query, null)}
          placeholder={t('console.search.placeholder')}
          allowClear
          maxLength={32}
          data-testid="customer-search"
        />
        <Button
          type="primary"
          onClick={() => search(query, null)}
          loading={loading}
          data-testid="customer-search-submit"
        >
          {t('common.search')}
        </Button>
      </Space.Compact>
      <ConsoleError error={error} />
      {rows !== null && (
        <>
          <Table<CustomerSummary>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={rows}
            pagination={false}
            data-testid="customer-results"
            onRow={(row) => ({
              ...rowTestAttributes('customer-row', row.id),
              onClick: () => navigate(`/console/customers/${encodeURIComponent(row.id)}`),
              style: { cursor: 'pointer' },
            })}
          />
          {nextCursor !== null && (
            <Button
              style={{ marginTop: 16 }}
              onClick={() => search(query, nextCursor)}
              loading={loading}
              data-testid="customer-more"
            >
              {t('common.loadMore')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
