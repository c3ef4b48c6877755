// Issuing a coupon template to an uploaded list of phones (admin, marketing): the file is read
// in the browser (phoneList.ts), ops see how many numbers it holds, then the numbers go to the
// server ISSUE_PHONES_PER_REQUEST at a time, one request after another, with a progress bar.
// The first error stops it; the numbers no coupon went to download as a CSV.
import { Button, Descriptions, Modal, Space, Typography } from 'antd';

import {
  ISSUE_PHONES_PER_REQUEST,
  issueCouponsToPhones,
  type CouponTemplate,
} from '../api/marketing';
import { staffApi } from '../api/session';
import { saveBlob } from '../download';
import { useI18n } from '../i18n/I18nProvider';
import { issueToList, unmatchedCsv, type ListIssueProgress } from './phoneList';
import { PhoneListFileInput } from './PhoneListFileInput';
import { SendingProgressBar, usePhoneListSending } from './PhoneListSending';
import { ConsoleError } from './StaffLayout';

function Summary({ template, progress }: { template: CouponTemplate; progress: ListIssueProgress }) {
  const { t } = useI18n();
  const unmatched = progress.notFound.length + progress.invalid.length;
  const download = () =>
    saveBlob(
      new Blob([unmatchedCsv(progress.notFound, progress.invalid)], { type: 'text/csv;charset=utf-8' }),
      `coupon-${template.id}-not-issued.csv`,
    );
  return (
    <div
      data-testid="coupon-issue-csv-summary"
      data-issued={progress.issued}
      data-not-found={progress.notFound.length}
      data-invalid={progress.invalid.length}
      data-duplicates={progress.duplicates}
    >
      <Descriptions size="small" column={2} title={t('coupon.list.summary')} bordered>
        <Descriptions.Item label={t('coupon.list.issued')}>{progress.issued}</Descriptions.Item>
        <Descriptions.Item label={t('coupon.list.notFound')}>{progress.notFound.length}</Descriptions.Item>
        <Descriptions.Item label={t('coupon.list.invalid')}>{progress.invalid.length}</Descriptions.Item>
        <Descriptions.Item label={t('coupon.list.duplicates')}>{progress.duplicates}</Descriptions.Item>
      </Descriptions>
      <Button
        style={{ marginTop: 12 }}
        disabled={unmatched === 0}
        onClick={download}
        data-testid="coupon-issue-csv-unmatched"
      >
        {t('coupon.list.downloadUnmatched')} ({unmatched})
      </Button>
    </div>
  );
}

export function PhoneListIssueDialog({
  template,
  onClose,
  onIssued,
}: {
  template: CouponTemplate;
  onClose: () => void;
  onIssued: () => void;
}) {
  const { t } = useI18n();
  const sending = usePhoneListSending<ListIssueProgress>();
  const { list, progress, running } = sending;

  const start = async () => {
    await sending.send((chosen, onProgress, shouldStop) =>
      issueToList(
        chosen,
        ISSUE_PHONES_PER_REQUEST,
        (phones) => issueCouponsToPhones(staffApi, template.id, phones),
        onProgress,
        shouldStop,
      ),
    );
    onIssued();
  };

  return (
    <Modal
      open
      width={640}
      title={`${t('coupon.list.title')} · ${template.name}`}
      onCancel={onClose}
      closable={!running}
      maskClosable={false}
      keyboard={!running}
      footer={null}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('coupon.list.help')}</Typography.Text>
        <PhoneListFileInput testIdPrefix="coupon-issue-csv" disabled={running} onList={sending.choose} />
        {list !== null && progress === null && (
          <Button type="primary" onClick={() => void start()} data-testid="coupon-issue-csv-start">
            {t('coupon.list.start', { count: list.phones.length })}
          </Button>
        )}
        <SendingProgressBar sending={sending} testIdPrefix="coupon-issue-csv" />
        {progress !== null && progress.error !== null && (
          <>
            <ConsoleError error={progress.error} />
            <Typography.Text type="danger" data-testid="coupon-issue-csv-failed-at">
              {t('coupon.list.failedAt', { issued: progress.issued, from: progress.sent + 1 })}
            </Typography.Text>
          </>
        )}
        {progress?.stopped && (
          <Typography.Text type="warning">
            {t('coupon.list.stopped', { issued: progress.issued, left: progress.total - progress.sent })}
          </Typography.Text>
        )}
        {progress?.done && <Summary template={template} progress={progress} />}
      </Space>
    </Modal>
  );
}
