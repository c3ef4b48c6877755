// The merchant's portal users (owner only): who may log in, as owner or cashier; add one, and
// disable a cashier who leaves (logged out at once, no log-in) or enable them again. An owner
// cannot disable themself, so their own row offers nothing.
import { Button, Card, Form, Input, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';

import { addMerchantUser, listMerchantUsers, setMerchantUserActive } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { MerchantPortalUser } from '../api/types';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { currentMerchantUser, MerchantError } from './MerchantLayout';
import { isStrongEnough, isValidUsername, statusAction } from './merchantUsers';

interface NewUserFields {
  username: string;
  displayName?: string;
  password: string;
  role: 'owner' | 'cashier';
}

function AddUserForm({ onAdded }: { onAdded: (user: MerchantPortalUser) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewUserFields>();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: NewUserFields) => {
    setError(null);
    const username = (values.username ?? '').trim().toLowerCase();
    if (!isValidUsername(username)) {
      setMessage(t('merchant.users.badUsername'));
      return;
    }
    if (!isStrongEnough(values.password ?? '')) {
      setMessage(t('apiError.WEAK_PASSWORD'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    try {
      const user = await addMerchantUser(merchantApi, {
        username,
        display_name: values.displayName?.trim() || username,
        password: values.password,
        role: values.role,
      });
      form.resetFields();
      onAdded(user);
    } catch (cause) {
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title={t('merchant.users.add')}>
      <MerchantError error={error} />
      {message && (
        <Typography.Text type="danger" data-testid="merchant-form-message">
          {message}
        </Typography.Text>
      )}
      <Form
        form={form}
        layout="inline"
        onFinish={submit}
        initialValues={{ role: 'cashier' }}
        autoComplete="off"
      >
        <Form.Item
          name="username"
          label={t('merchant.users.username')}
          rules={[{ required: true, message: '' }]}
        >
          <Input maxLength={32} autoComplete="off" data-testid="user-add-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('merchant.users.displayName')}>
          <Input maxLength={32} placeholder={t('common.optional')} data-testid="user-add-name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('merchant.users.password')}
          rules={[{ required: true, message: '' }]}
        >
          <Input.Password
            maxLength={64}
            autoComplete="new-password"
            data-testid="user-add-password"
          />
        </Form.Item>
        <Form.Item name="role" label={t('merchant.users.role')}>
          <Radio.Group>
            <Radio value="cashier" data-testid="user-add-role-cashier">
              {t('merchant.users.role.cashier')}
            </Radio>
            <Radio value="owner" data-testid="user-add-role-owner">
              {t('merchant.users.role.owner')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="user-add-submit">
          {t('merchant.users.add')}
        </Button>
      </Form>
    </Card>
  );
}

export function MerchantUsersPage() {
  const { t } = useI18n();
  const meId = currentMerchantUser()?.user.id ?? '';
  const users = useLoad(() => listMerchantUsers(merchantApi), []);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<MerchantPortalUser | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const setActive = async (user: MerchantPortalUser, active: boolean) => {
    setError(null);
    setBusyId(user.id);
    try {
      await setMerchantUserActive(merchantApi, user.id, active);
      users.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusyId(null);
    }
  };

  const columns = [
    {
      title: t('merchant.users.username'),
      key: 'username',
      render: (_: unknown, user: MerchantPortalUser) => (
        <Space>
          <span data-testid="user-username">{user.username}</span>
          {user.display_name && user.display_name !== user.username && (
            <Typography.Text type="secondary">{user.display_name}</Typography.Text>
          )}
          {user.id === meId && (
            <Typography.Text type="secondary">{t('merchant.users.you')}</Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('merchant.users.role'),
      key: 'role',
      render: (_: unknown, user: MerchantPortalUser) => t(`merchant.users.role.${user.role}`),
    },
    {
      title: t('merchant.col.status'),
      key: 'status',
      render: (_: unknown, user: MerchantPortalUser) => (
        <Tag color={user.status === 'active' ? 'green' : 'default'} data-testid="user-status">
          {t(`merchant.users.status.${user.status}`)}
        </Tag>
      ),
    },
    {
      title: t('merchant.users.created'),
      key: 'created',
      render: (_: unknown, user: MerchantPortalUser) => formatChinaTime(user.created_at),
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, user: MerchantPortalUser) => {
        const action = statusAction(user, meId);
        if (action === null) return null;
        const disable = action === 'disable';
        return (
          <Popconfirm
            title={t(disable ? 'merchant.users.disableConfirm' : 'merchant.users.enableConfirm')}
            onConfirm={() => setActive(user, !disable)}
            okButtonProps={
              { danger: disable, 'data-testid': 'user-status-confirm' } as ButtonProps
            }
          >
            <Button
              size="small"
              danger={disable}
              loading={busyId === user.id}
              data-testid={disable ? 'user-disable' : 'user-enable'}
            >
              {t(disable ? 'merchant.users.disable' : 'merchant.users.enable')}
            </Button>
          </Popconfirm>
        );
      },
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <MerchantError error={error ?? users.error} />
      <AddUserForm
        onAdded={(user) => {
          setAdded(user);
          users.reload();
        }}
      />
      <Card
        title={t('merchant.users')}
        data-testid="merchant-users"
        data-loaded={String(users.data !== null)}
      >
        <Typography.Paragraph type="secondary">{t('merchant.users.explain')}</Typography.Paragraph>
        {added && (
          <Typography.Paragraph data-testid="user-added" data-user-id={added.id}>
            {t('merchant.users.added')}: {added.username}
          </Typography.Paragraph>
        )}
        <Table<MerchantPortalUser>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={users.data ?? []}
          loading={users.loading}
          pagination={false}
          onRow={(user) =>
            ({
              ...rowTestAttributes('merchant-user-row', user.id),
              'data-username': user.username,
              'data-role': user.role,
              'data-status': user.status,
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </Card>
    </Space>
  );
}
