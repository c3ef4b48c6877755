// Custom customer lists (人群包; admin and marketing change, auditors read): the lists with their
// customer counts, last change and the campaigns that target them (links), a form to name a new
// list, and per list: upload a CSV of phones to add, a CSV to take out, delete. A list a
// campaign that has not ended targets cannot be deleted: the server's CUSTOMER_LIST_IN_USE
// shows as the page's error.
import { Button, Card, Form, Input, Popconfirm, Space, Table, Typography, message } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';

import {
  CUSTOMER_LISTS_MAX,
  CUSTOMER_LIST_NAME_MAX_CHARS,
  createCustomerList,
  customerListNameProblem,
  deleteCustomerList,
  listCustomerLists,
  type CustomerList,
  type MembersChange,
} from '../api/customerLists';
import { listCampaigns } from '../api/marketing';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { CustomerListUploadDialog } from './CustomerListUploadDialog';
import { rowTestAttributes } from './format';
import { canEditCustomerLists } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

function CreateListForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const wrong = customerListNameProblem(name);
    if (wrong !== null) {
      setProblem(
        t(wrong === 'required' ? 'customerList.nameRequired' : 'customerList.nameTooLong', {
          max: CUSTOMER_LIST_NAME_MAX_CHARS,
        }),
      );
      return;
    }
    setProblem(null);
    setError(null);
    setSaving(true);
    try {
      const created = await createCustomerList(staffApi, name);
      void message.success(t('customerList.created', { name: created.name }));
      setName('');
      onCreated();
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <ConsoleError error={error} />
      <Form layout="inline" onFinish={() => void submit()} style={{ marginBottom: 16 }}>
        <Form.Item label={t('customerList.name')} help={problem} validateStatus={problem ? 'error' : ''}>
          <Input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setProblem(null);
            }}
            placeholder={t('customerList.namePlaceholder', { max: CUSTOMER_LIST_NAME_MAX_CHARS })}
            style={{ width: 280 }}
            data-testid="customer-list-name"
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="customer-list-create">
            {t('customerList.create')}
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}

export function CustomerListsPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditCustomerLists(staff.roles);
  const lists = useLoad(() => listCustomerLists(staffApi), []);
  // Only to name the campaigns that use a list; without them the links show the ids.
  const campaigns = useLoad(() => listCampaigns(staffApi), []);
  const campaignNames = useMemo(
    () => new Map((campaigns.data ?? []).map((campaign) => [campaign.id, campaign.name])),
    [campaigns.data],
  );
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [uploading, setUploading] = useState<{ list: CustomerList; change: MembersChange } | null>(null);

  const remove = async (list: CustomerList) => {
    setError(null);
    setDeleting(list.id);
    try {
      await deleteCustomerList(staffApi, list.id);
      void message.success(t('customerList.deleted', { name: list.name }));
      lists.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setDeleting(null);
    }
  };

  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    {
      title: t('customerList.col.name'),
      key: 'name',
      render: (_: unknown, list: CustomerList) => <span data-testid="customer-list-row-name">{list.name}</span>,
    },
    {
      title: t('customerList.col.members'),
      key: 'members',
      align: 'right' as const,
      render: (_: unknown, list: CustomerList) => (
        <span data-testid="customer-list-members" data-count={list.members}>
          {list.members.toLocaleString('zh-CN')}
        </span>
      ),
    },
    {
      title: t('customerList.col.updated'),
      key: 'updated',
      render: (_: unknown, list: CustomerList) => formatChinaTime(list.updated_at),
    },
    {
      title: t('customerList.col.campaigns'),
      key: 'campaigns',
      render: (_: unknown, list: CustomerList) =>
        list.campaign_ids.length === 0 ? (
          '—'
        ) : (
          <Space wrap size={[8, 0]}>
            {list.campaign_ids.map((id) => (
              <Link
                key={id}
                to={`/console/campaigns/${encodeURIComponent(id)}`}
                data-testid="customer-list-campaign"
                data-campaign-id={id}
              >
                {campaignNames.get(id) ?? `#${id}`}
              </Link>
            ))}
          </Space>
        ),
    },
    ...(editor
      ? [
          {
            title: t('customerList.col.actions'),
            key: 'actions',
            render: (_: unknown, list: CustomerList) => (
              <Space wrap>
                <Button
                  size="small"
                  onClick={() => setUploading({ list, change: 'add' })}
                  data-testid="customer-list-upload"
                >
                  {t('customerList.upload')}
                </Button>
                <Button
                  size="small"
                  onClick={() => setUploading({ list, change: 'remove' })}
                  data-testid="customer-list-remove"
                >
                  {t('customerList.remove')}
                </Button>
                <Popconfirm
                  title={t('customerList.deleteConfirm', { name: list.name, members: list.members })}
                  onConfirm={() => void remove(list)}
                  okButtonProps={{ danger: true, ...({ 'data-testid': 'customer-list-delete-confirm' } as object) }}
                >
                  <Button
                    size="small"
                    danger
                    loading={deleting === list.id}
                    title={list.campaign_ids.length > 0 ? t('customerList.inUse') : undefined}
                    data-testid="customer-list-delete"
                  >
                    {t('customerList.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card title={t('console.customerLists')} data-testid="customer-lists">
      <Typography.Paragraph type="secondary">
        {t('customerList.help', { max: CUSTOMER_LISTS_MAX })}
      </Typography.Paragraph>
      {editor && <CreateListForm onCreated={lists.reload} />}
      <ConsoleError error={error ?? lists.error} />
      <Table<CustomerList>
        rowKey="id"
        loading={lists.loading}
        dataSource={lists.data ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('customerList.empty') }}
        onRow={(list) =>
          ({
            ...rowTestAttributes('customer-list-row', list.id),
            'data-name': list.name,
            'data-members': list.members,
            'data-campaigns': list.campaign_ids.length,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
      {uploading !== null && (
        <CustomerListUploadDialog
          list={uploading.list}
          change={uploading.change}
          onClose={() => setUploading(null)}
          onChanged={lists.reload}
        />
      )}
    </Card>
  );
}
