// Staff accounts (admin): the list, and a form to create a staff member with roles.
import { Button, Card, Checkbox, Form, Input, Modal, Table, Tag, message } from 'antd';
import { useState } from 'react';

import { staffApi } from '../api/session';
import { createStaff, listStaff, type NewStaff } from '../api/staff';
import { STAFF_ROLES, type Staff } from '../api/types';
import { isValidPassword } from '../h5/validation';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { rowTestAttributes } from './format';
import { ConsoleError } from './StaffLayout';

export function StaffPage() {
  const { t } = useI18n();
  const staff = useLoad(() => listStaff(staffApi), []);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<NewStaff>();

  const create = async (values: NewStaff) => {
    setSaving(true);
    setError(null);
    try {
      await createStaff(staffApi, { ...values, username: values.username.trim() });
      void message.success(t('console.staff.created'));
      form.resetFields();
      setCreating(false);
      staff.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  const roleOptions = STAFF_ROLES.map((role) => ({
    label: t(`console.role.${role}`),
    value: role,
  }));
  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    { title: t('console.col.username'), dataIndex: 'username', key: 'username' },
    { title: t('console.col.displayName'), dataIndex: 'display_name', key: 'display_name' },
    {
      title: t('console.col.roles'),
      key: 'roles',
      render: (_: unknown, row: Staff) =>
        row.roles.map((role) => <Tag key={role}>{t(`console.role.${role}`)}</Tag>),
    },
  ];

  return (
    <Card
      title={t('console.staff')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="staff-create">
          {t('console.staff.create')}
        </Button>
      }
    >
      <ConsoleError error={staff.error} />
      <Table<Staff>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={staff.data ?? []}
        loading={staff.loading}
        pagination={false}
        onRow={(row) => rowTestAttributes('staff-row', row.id)}
      />
      <Modal
        open={creating}
        title={t('console.staff.create')}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        okButtonProps={{ 'data-testid': 'staff-new-submit' }}
        forceRender
      >
        <Form<NewStaff> form={form} layout="vertical" onFinish={create} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('console.col.username')}
            rules={[{ required: true, max: 64, pattern: /^[A-Za-z0-9_.-]+$/ }]}
          >
            <Input autoComplete="off" data-testid="staff-new-username" />
          </Form.Item>
          <Form.Item
            name="display_name"
            label={t('console.col.displayName')}
            rules={[{ required: true, max: 64 }]}
          >
            <Input data-testid="staff-new-display-name" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('console.staff.password')}
            rules={[
              { required: true },
              {
                validator: (_, value: string | undefined) =>
                  value === undefined || value === '' || isValidPassword(value)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('error.password'))),
              },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="staff-new-password" />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('console.col.roles')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Checkbox.Group options={roleOptions} data-testid="staff-new-roles" />
          </Form.Item>
        </Form>
        <ConsoleError error={error} />
      </Modal>
    </Card>
  );
}
