// Block and allow lists (admin and risk change; auditors read): customers, devices, IPs,
// cards, merchants and payees, each entry with a reason and an optional expiry. A device is
// named by the id the app sends (X-Device-Id); the server keys it as it keys sessions.
import { Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, message } from 'antd';
import { useState } from 'react';

import { LIST_KINDS, addListEntry, listRiskLists, removeListEntry, type ListEntry, type ListKind, type ListName } from '../api/risk';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { chinaLocalToRfc3339 } from './campaignForm';
import { rowTestAttributes } from './format';
import { canEditRisk } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

export function RiskListsPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditRisk(staff.roles);
  const entries = useLoad(() => listRiskLists(staffApi), []);
  const [kind, setKind] = useState<ListKind>('device');
  const [list, setList] = useState<ListName>('block');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    const expiresAt = expires.trim() === '' ? null : chinaLocalToRfc3339(expires);
    if (value.trim() === '' || reason.trim() === '' || expiresAt === undefined) {
      setProblem(t('marketing.form.required'));
      return;
    }
    if (expires.trim() !== '' && expiresAt === null) {
      setProblem(t('marketing.form.time'));
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      await addListEntry(staffApi, { kind, value: value.trim(), list, expires_at: expiresAt, reason: reason.trim() });
      void message.success(t('risk.lists.added'));
      setValue('');
      setReason('');
      setExpires('');
      entries.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (entry: ListEntry) => {
    setError(null);
    try {
      await removeListEntry(staffApi, { kind: entry.kind, value: entry.value, list: entry.list });
      void message.success(t('risk.lists.removed'));
      entries.reload();
    } catch (cause) {
      setError(cause);
    }
  };

  const columns = [
    { title: t('risk.lists.kind'), key: 'kind', render: (_: unknown, e: ListEntry) => t(`risk.lists.kind.${e.kind}`) },
    { title: t('risk.lists.value'), dataIndex: 'value', key: 'value', render: (v: string) => <code>{v}</code> },
    {
      title: t('risk.lists.list'),
      key: 'list',
      render: (_: unknown, e: ListEntry) => (
        <Tag color={e.list === 'block' ? 'red' : 'green'}>{t(`risk.lists.list.${e.list}`)}</Tag>
      ),
    },
    { title: t('risk.lists.reason'), dataIndex: 'reason', key: 'reason' },
    {
      title: t('risk.lists.expires'),
      key: 'expires',
      render: (_: unknown, e: ListEntry) => (e.expires_at ? formatChinaTime(e.expires_at) : '—'),
    },
    ...(editor
      ? [
          {
            title: '',
            key: 'remove',
            render: (_: unknown, e: ListEntry) => (
              <Popconfirm title={t('risk.lists.remove')} onConfirm={() => void remove(e)}>
                <Button size="small" danger data-testid="list-remove">
                  {t('risk.lists.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card title={t('console.riskLists')}>
      <ConsoleError error={entries.error ?? error} />
      {editor && (
        <Form layout="inline" style={{ marginBottom: 16 }}>
          <Form.Item label={t('risk.lists.kind')}>
            <Select<ListKind>
              value={kind}
              onChange={setKind}
              style={{ width: 120 }}
              data-testid="list-kind"
              options={LIST_KINDS.map((k) => ({ value: k, label: t(`risk.lists.kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('risk.lists.list')}>
            <Select<ListName>
              value={list}
              onChange={setList}
              style={{ width: 110 }}
              data-testid="list-list"
              options={[
                { value: 'block', label: t('risk.lists.list.block') },
                { value: 'allow', label: t('risk.lists.list.allow') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('risk.lists.value')}>
            <Input value={value} onChange={(e) => setValue(e.target.value)} data-testid="list-value" />
          </Form.Item>
          <Form.Item label={t('risk.lists.reason')}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="list-reason" />
          </Form.Item>
          <Form.Item label={t('risk.lists.expires')}>
            <Input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="list-expires" />
          </Form.Item>
          <Space>
            <Button type="primary" loading={busy} onClick={() => void add()} data-testid="list-add">
              {t('risk.lists.add')}
            </Button>
            {problem && <span className="console-problem">{problem}</span>}
          </Space>
        </Form>
      )}
      <Table<ListEntry>
        rowKey={(e) => `${e.list}:${e.kind}:${e.value}`}
        size="small"
        loading={entries.loading}
        dataSource={entries.data ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('risk.lists.empty') }}
        onRow={(e) => rowTestAttributes('list-row', `${e.kind}:${e.value}`)}
      />
    </Card>
  );
}
