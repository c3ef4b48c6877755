// The fields of a merchant application, shared by the portal's self-service form and the
// console's onboarding form (antd Form.Items; the test id is on each native input).
import { Form, Input, Select } from 'antd';

import { MERCHANT_CATEGORIES } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';

/** GB 32100: 18 characters of digits and capital letters without I, O, Z, S, V. */
export const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function MerchantFields({
  t,
  prefix,
}: {
  t: (key: MessageKey) => string;
  /** Test ids are `${prefix}-legal-name` etc. */
  prefix: string;
}) {
  const required = [{ required: true, message: t('merchant.field.required') }];
  return (
    <>
      <Form.Item name="legal_name" label={t('merchant.field.legalName')} rules={required}>
        <Input maxLength={100} data-testid={`${prefix}-legal-name`} />
      </Form.Item>
      <Form.Item
        name="credit_code"
        label={t('merchant.field.creditCode')}
        rules={[
          ...required,
          { pattern: CREDIT_CODE_PATTERN, message: t('apiError.CREDIT_CODE_INVALID') },
        ]}
      >
        <Input maxLength={18} data-testid={`${prefix}-credit-code`} />
      </Form.Item>
      <Form.Item name="category" label={t('merchant.field.category')} rules={required}>
        <Select
          data-testid={`${prefix}-category`}
          options={MERCHANT_CATEGORIES.map((category) => ({
            value: category,
            label: t(`merchant.category.${category}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="settlement_bank_code" label={t('merchant.field.bankCode')} rules={required}>
        <Input maxLength={12} placeholder="ICBC" data-testid={`${prefix}-bank-code`} />
      </Form.Item>
      <Form.Item name="settlement_account" label={t('merchant.field.account')} rules={required}>
        <Input maxLength={30} data-testid={`${prefix}-account`} />
      </Form.Item>
      <Form.Item name="contact_phone" label={t('merchant.field.contactPhone')} rules={required}>
        <Input maxLength={32} data-testid={`${prefix}-contact-phone`} />
      </Form.Item>
      <Form.Item name="username" label={t('merchant.field.username')} rules={required}>
        <Input maxLength={32} autoComplete="off" data-testid={`${prefix}-username`} />
      </Form.Item>
      <Form.Item name="password" label={t('merchant.field.password')} rules={required}>
        <Input.Password
          maxLength={256}
          autoComplete="new-password"
          data-testid={`${prefix}-password`}
        />
      </Form.Item>
    </>
  );
}
