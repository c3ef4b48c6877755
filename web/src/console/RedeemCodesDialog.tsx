// A coupon template's redeem codes (兑换码; admin, marketing): generating a batch of N codes and
// the batches so far, each downloaded as its codes.csv with the staff session. A million codes
// is ~20 MB, so a batch is saved as a file, never shown.
import { Alert, Button, InputNumber, Modal, Space, Table, Typography, message } from 'antd';
import { useState } from 'react';

import { ApiError, newIdempotencyKey } from '../api/client';
import {
  CODE_BATCH_LARGE,
  CODE_BATCH_MAX,
  codeBatchFileName,
  codeBatchMegabytes,
  createCodeBatch,
  downloadCodeBatch,
  listCodeBatches,
  type CodeBatch,
} from '../api/couponCodes';
import type { CouponTemplate } from '../api/marketing';
import { staffApi } from '../api/session';
import { saveBlob } from '../download';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { ConsoleError } from './StaffLayout';

/** The template's batches; loaded again whenever `generation` changes. */
function BatchTable({ templateId, generation }: { templateId: string; generation: number }) {
  const { t } = useI18n();
  const batches = useLoad(() => listCodeBatches(staffApi, templateId), [templateId, generation]);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const download = async (batch: CodeBatch) => {
    setDownloading(batch.id);
    setError(null);
    try {
      saveBlob(await downloadCodeBatch(staffApi, batch), codeBatchFileName(batch));
    } catch (cause) {
      setError(cause);
    } finally {
      setDownloading(null);
    }
  };
  const columns = [
    { title: t('coupon.codes.col.batch'), dataIndex: 'id', key: 'id' },
    { title: t('coupon.codes.col.count'), dataIndex: 'count', key: 'count', align: 'right' as const },
    { title: t('coupon.codes.col.redeemed'), dataIndex: 'redeemed', key: 'redeemed', align: 'right' as const },
    {
      title: t('coupon.codes.col.created'),
      key: 'created',
      render: (_: unknown, batch: CodeBatch) => formatChinaTime(batch.created_at),
    },
    {
      title: '',
      key: 'download',
      render: (_: unknown, batch: CodeBatch) => (
        <Button
          size="small"
          loading={downloading === batch.id}
          disabled={downloading !== null && downloading !== batch.id}
          onClick={() => void download(batch)}
          data-testid="coupon-code-batch-download"
        >
          {t('coupon.codes.download')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <ConsoleError error={batches.error ?? error} />
      <Table<CodeBatch>
        rowKey="id"
        size="small"
        loading={batches.loading}
        dataSource={batches.data ?? []}
        columns={columns}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('coupon.codes.none') }}
        onRow={(batch) =>
          ({
            'data-testid': 'coupon-code-batch',
            'data-batch-id': batch.id,
            'data-count': batch.count,
            'data-redeemed': batch.redeemed,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </>
  );
}

export function RedeemCodesDialog({
  template,
  onClose,
  onGenerated,
}: {
  template: CouponTemplate;
  onClose: () => void;
  /** Called after a batch is made (the template's stock figures may have changed). */
  onGenerated: () => void;
}) {
  const { t } = useI18n();
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [generation, setGeneration] = useState(0);
  // One key per batch ops ask for: a retry after no answer came reuses it; an answer or a new
  // count gets a new one.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const valid = count !== null && Number.isSafeInteger(count) && count >= 1 && count <= CODE_BATCH_MAX;
  const generate = async () => {
    if (!valid) return;
    setSaving(true);
    setError(null);
    try {
      const batch = await createCodeBatch(staffApi, template.id, count, idempotencyKey);
      void message.success(t('coupon.codes.generated', { count: batch.count }));
      setIdempotencyKey(newIdempotencyKey());
      setCount(null);
      setGeneration((n) => n + 1);
      onGenerated();
    } catch (cause) {
      setError(cause);
      if (!(cause instanceof ApiError && cause.status === 0)) setIdempotencyKey(newIdempotencyKey());
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={`${t('coupon.codes.title')} · ${template.name}`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('coupon.codes.help')}</Typography.Text>
        <Space wrap>
          <span>{t('coupon.codes.count')}</span>
          <InputNumber
            min={1}
            max={CODE_BATCH_MAX}
            precision={0}
            value={count}
            onChange={(value) => {
              setCount(value);
              setIdempotencyKey(newIdempotencyKey());
            }}
            style={{ width: 160 }}
            data-testid="coupon-codes-count"
          />
          <Button
            type="primary"
            loading={saving}
            disabled={!valid}
            onClick={() => void generate()}
            data-testid="coupon-codes-generate"
          >
            {t('coupon.codes.generate')}
          </Button>
        </Space>
        {valid && count > CODE_BATCH_LARGE && (
          <Alert
            type="warning"
            showIcon
            title={t('coupon.codes.large', { mb: codeBatchMegabytes(count) })}
            data-testid="coupon-codes-large"
          />
        )}
        {valid && count > template.remaining && (
          <Typography.Text type="warning" data-testid="coupon-codes-over-stock">
            {t('coupon.codes.overStock', { remaining: template.remaining })}
          </Typography.Text>
        )}
        <ConsoleError error={error} />
        <BatchTable templateId={template.id} generation={generation} />
      </Space>
    </Modal>
  );
}
