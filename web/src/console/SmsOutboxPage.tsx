// The development SMS outbox (admin only): the messages the log/outbox gateway "sent", newest
// first. With a real SMS provider the server answers 404 and there is nothing to show.
import { Alert, Button, Card, Input, Space, Table } from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import { staffApi } from '../api/session';
import { listSmsOutbox } from '../api/staff';
import type { SmsMessage } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { rowTestAttributes } from './format';
import { ConsoleError } from './StaffLayout';

export function SmsOutboxPage() {
  const { t } = useI18n();
  const [phoneInput, setPhoneInput] = useState('');
  const [phone, setPhone] = useState('');
  const outbox = useLoad(() => listSmsOutbox(staffApi, phone), [phone]);

  const apply = () => {
    const next = phoneInput.trim();
    if (next === phone) outbox.reload();
    else setPhone(next);
  };
  const noOutbox = outbox.error instanceof ApiError && outbox.error.code === 'NOT_FOUND';
  const columns = [
    {
      title: t('console.col.sentAt'),
      key: 'sent',
      width: 170,
      render: (_: unknown, row: SmsMessage) => formatChinaTime(row.sent_at),
    },
    { title: t('console.col.phone'), dataIndex: 'phone', key: 'phone', width: 140 },
    {
      title: t('console.col.text'),
      key: 'text',
      render: (_: unknown, row: SmsMessage) => <span data-testid="outbox-text">{row.text}</span>,
    },
  ];

  return (
    <Card title={t('console.smsOutbox')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input
          value={phoneInput}
          onChange={(event) => setPhoneInput(event.target.value)}
          onPressEnter={apply}
          placeholder={t('console.outbox.filter')}
          allowClear
          maxLength={20}
          data-testid="outbox-phone-filter"
          style={{ width: 220 }}
        />
        <Button
          type="primary"
          onClick={apply}
          loading={outbox.loading}
          data-testid="outbox-refresh"
        >
          {t('common.refresh')}
        </Button>
      </Space>
      {noOutbox ? (
        <Alert
          type="info"
          title={t('console.outbox.unavailable')}
          data-testid="outbox-unavailable"
        />
      ) : (
        <>
          <ConsoleError error={outbox.error} />
          <Table<SmsMessage>
            rowKey={(row) => `${row.sent_at}|${row.phone}|${row.text}`}
            size="small"
            columns={columns}
            dataSource={outbox.data ?? []}
            loading={outbox.loading}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            onRow={(row) => rowTestAttributes('outbox-row', row.phone)}
          />
        </>
      )}
    </Card>
  );
}
