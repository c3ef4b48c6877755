// The audit log (admin, auditor): who did what to what, newest first, from GET
// /api/v1/staff/audit. Filters by action (or a prefix ending in '.'), actor and target; "load
// more" asks for the entries below the last page's next_before.
import { Alert, Button, Card, Empty, Input, Space, Table, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';

import {
  auditFilterProblem,
  EMPTY_AUDIT_FILTER,
  listAudit,
  prettyDetail,
  shortHash,
  trimAuditFilter,
  type AuditEntry,
  type AuditFilter,
  type AuditFilterField,
} from '../api/audit';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { rowTestAttributes } from './format';
import { ConsoleError } from './StaffLayout';

export function AuditPage() {
  const { t } = useI18n();
  const [form, setForm] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<AuditFilterField | null>(null);
  // Answers to an older query (the filter changed meanwhile, or the page closed) are dropped.
  const generation = useRef(0);

  const load = async (wanted: AuditFilter, before: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await listAudit(staffApi, wanted, before);
      if (generation.current !== mine) return;
      setRows((previous) =>
        before === null ? page.entries : [...(previous ?? []), ...page.entries],
      );
      setNextBefore(page.next_before);
    } catch (cause) {
      if (generation.current !== mine) return;
      if (before === null) {
        setRows(null);
        setNextBefore(null);
      }
      setError(cause);
    } finally {
      if (generation.current === mine) setLoading(false);
    }
  };

  useEffect(() => {
    void load(EMPTY_AUDIT_FILTER, null);
    return () => {
      generation.current += 1;
    };
  }, []);

  const apply = (next: AuditFilter) => {
    const trimmed = trimAuditFilter(next);
    const wrong = auditFilterProblem(trimmed);
    setProblem(wrong);
    if (wrong !== null) return;
    setForm(trimmed);
    setFilter(trimmed);
    void load(trimmed, null);
  };
  const reset = () => apply(EMPTY_AUDIT_FILTER);
  const field = (name: keyof AuditFilter) => ({
    value: form[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) =>
      setForm((previous) => ({ ...previous, [name]: event.target.value })),
    onPressEnter: () => apply(form),
    status: problem === name ? ('error' as const) : undefined,
    allowClear: true,
  });

  const columns = [
    {
      title: t('console.audit.col.seq'),
      dataIndex: 'seq',
      key: 'seq',
      width: 80,
    },
    {
      title: t('console.audit.col.time'),
      key: 'time',
      width: 150,
      render: (_: unknown, row: AuditEntry) => (
        <Tooltip title={row.time}>
          <span data-testid="audit-time">{formatChinaTime(row.time)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('console.audit.actor'),
      key: 'actor',
      width: 150,
      render: (_: unknown, row: AuditEntry) => (
        <Typography.Text code data-testid="audit-actor">
          {row.actor}
        </Typography.Text>
      ),
    },
    {
      title: t('console.audit.action'),
      key: 'action',
      width: 200,
      render: (_: unknown, row: AuditEntry) => (
        <span data-testid="audit-action">{row.action}</span>
      ),
    },
    {
      title: t('console.audit.target'),
      key: 'target',
      width: 160,
      render: (_: unknown, row: AuditEntry) => (
        <span data-testid="audit-target">{row.target}</span>
      ),
    },
    {
      title: t('console.audit.col.detail'),
      key: 'detail',
      render: (_: unknown, row: AuditEntry) =>
        row.detail === '' ? (
          '—'
        ) : (
          <Tooltip
            title={
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{prettyDetail(row.detail)}</pre>
            }
          >
            <Typography.Text
              style={{ maxWidth: 360, fontFamily: 'monospace' }}
              ellipsis
              data-testid="audit-detail"
            >
              {row.detail}
            </Typography.Text>
          </Tooltip>
        ),
    },
    {
      title: t('console.audit.col.hash'),
      key: 'hash',
      width: 140,
      render: (_: unknown, row: AuditEntry) => (
        <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{row.hash}</span>}>
          <Typography.Text code data-testid="audit-hash" data-hash={row.hash}>
            {shortHash(row.hash)}
          </Typography.Text>
        </Tooltip>
      ),
    },
  ];

  const filtered = Object.values(filter).some((value) => value !== '');
  return (
    <Card title={t('console.audit')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input
          {...field('action')}
          placeholder={t('console.audit.action.placeholder')}
          maxLength={64}
          data-testid="audit-action-filter"
          style={{ width: 220 }}
        />
        <Input
          {...field('actor')}
          placeholder={t('console.audit.actor.placeholder')}
          maxLength={40}
          data-testid="audit-actor-filter"
          style={{ width: 240 }}
        />
        <Input
          {...field('target')}
          placeholder={t('console.audit.target.placeholder')}
          maxLength={128}
          data-testid="audit-target-filter"
          style={{ width: 200 }}
        />
        <Input
          {...field('ip')}
          placeholder={t('console.audit.ip.placeholder')}
          maxLength={45}
          data-testid="audit-ip-filter"
          style={{ width: 180 }}
        />
        <Button
          type="primary"
          onClick={() => apply(form)}
          loading={loading}
          data-testid="audit-apply"
        >
          {t('console.audit.apply')}
        </Button>
        <Button onClick={reset} disabled={loading} data-testid="audit-reset">
          {t('console.audit.reset')}
        </Button>
      </Space>
      {problem !== null && (
        <Alert
          type="warning"
          showIcon
          title={t(`console.audit.invalid.${problem}`)}
          data-testid="audit-filter-invalid"
          data-field={problem}
          style={{ marginBottom: 16 }}
        />
      )}
      <ConsoleError error={error} />
      {rows !== null && (
        <>
          <Table<AuditEntry>
            rowKey="seq"
            size="small"
            columns={columns}
            dataSource={rows}
            loading={loading}
            pagination={false}
            scroll={{ x: 1000 }}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    <span data-testid="audit-empty">
                      {filtered ? t('console.audit.empty') : t('common.empty')}
                    </span>
                  }
                />
              ),
            }}
            onRow={(row) =>
              ({
                ...rowTestAttributes('audit-row', row.seq),
                'data-action': row.action,
              }) as React.HTMLAttributes<HTMLElement>
            }
          />
          {nextBefore !== null ? (
            <Button
              style={{ marginTop: 16 }}
              onClick={() => load(filter, nextBefore)}
              loading={loading}
              data-testid="audit-more"
            >
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && (
              <Typography.Paragraph
                type="secondary"
                style={{ marginTop: 16 }}
                data-testid="audit-end"
              >
                {t('console.audit.end')}
              </Typography.Paragraph>
            )
          )}
        </>
      )}
    </Card>
  );
}
