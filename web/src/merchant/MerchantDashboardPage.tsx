// The merchant's status and its static QR code (收款码): shown, downloadable as PNG or SVG, and
// printable (the menu and header are hidden when printing).
import { Button, Card, Descriptions, Space, Tag } from 'antd';
import { useCallback } from 'react';

import { getMerchantMe, getStaticQrImage, type QrImageFormat } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { MerchantStatus } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { AuthorizedImage, MerchantError, saveBlob } from './MerchantLayout';

export const MERCHANT_STATUS_COLORS: Record<MerchantStatus, string> = {
  pending_review: 'orange',
  active: 'green',
  suspended: 'red',
};

/** 60 → "0.60%": basis points as a percentage, with integer arithmetic only. */
export function formatBps(bps: number): string {
  return `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;
}

export function MerchantDashboardPage() {
  const { t } = useI18n();
  const me = useLoad(() => getMerchantMe(merchantApi), []);
  const loadPng = useCallback(() => getStaticQrImage(merchantApi, 'png'), []);
  const merchant = me.data;

  const download = async (format: QrImageFormat) => {
    const blob = await getStaticQrImage(merchantApi, format);
    saveBlob(blob, `qianbao-qr-${merchant?.id ?? 'merchant'}.${format}`);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <MerchantError error={me.error} />
      {merchant && (
        <Card title={merchant.legal_name} className="merchant-no-print">
          <Descriptions column={2}>
            <Descriptions.Item label={t('merchant.col.status')}>
              <Tag
                color={MERCHANT_STATUS_COLORS[merchant.status]}
                data-testid="merchant-status"
                data-status={merchant.status}
              >
                {t(`merchant.status.${merchant.status}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.col.id')}>
              <span data-testid="merchant-id">{merchant.id}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.category')}>
              {merchant.category_name}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.col.fee')}>
              {formatBps(merchant.fee_bps)}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.account')}>
              {merchant.settlement_bank_code} ****{merchant.settlement_account_last4}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.field.contactPhone')}>
              {merchant.contact_phone}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {merchant && (
        <Card title={t('merchant.staticQr')}>
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <div style={{ fontSize: 18, fontWeight: 600 }}>{merchant.legal_name}</div>
            <AuthorizedImage
              load={loadPng}
              alt={t('merchant.staticQr')}
              testId="merchant-static-qr"
              className="merchant-qr"
            />
            <div>{t('merchant.staticQr.hint')}</div>
            <Space className="merchant-no-print">
              <Button onClick={() => void download('png')} data-testid="merchant-qr-png">
                {t('merchant.download')} PNG
              </Button>
              <Button onClick={() => void download('svg')} data-testid="merchant-qr-svg">
                {t('merchant.download')} SVG
              </Button>
              <Button onClick={() => window.print()} data-testid="merchant-qr-print">
                {t('merchant.print')}
              </Button>
            </Space>
          </Space>
        </Card>
      )}
    </Space>
  );
}
