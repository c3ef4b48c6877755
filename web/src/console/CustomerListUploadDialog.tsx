// Adding customers to a custom customer list, or taking them out, by an uploaded list of phones
// (admin, marketing): the file is read in the browser (PhoneListFileInput), ops see how many
// numbers it holds, then the numbers go to the server PHONES_PER_REQUEST at a time, one request
// after another, with a progress bar. The first error stops it; the numbers matched to no
// customer download as a CSV.
import { Button, Descriptions, Modal, Space, Typography } from 'antd';

import { changeMembersInParts, type CustomerList, type MembersChange, type MembersTotals } from '../api/customerLists';
import type { PartsProgress } from '../api/phoneParts';
import { staffApi } from '../api/session';
import { saveBlob } from '../download';
import { useI18n } from '../i18n/I18nProvider';
import { unmatchedCsv } from './phoneList';
import { PhoneListFileInput } from './PhoneListFileInput';
import { SendingProgressBar, usePhoneListSending } from './PhoneListSending';
import { ConsoleError } from './StaffLayout';

const TEST_ID = 'customer-list-csv';

function Summary({
  list,
  change,
  progress,
}: {
  list: CustomerList;
  change: MembersChange;
  progress: PartsProgress<MembersTotals>;
}) {
  const { t } = useI18n();
  const { totals } = progress;
  const unmatched = totals.notFound.length + totals.invalid.length;
  const download = () =>
    saveBlob(
      new Blob([unmatchedCsv(totals.notFound, totals.invalid)], { type: 'text/csv;charset=utf-8' }),
      `customer-list-${list.id}-unmatched.csv`,
    );
  const figures =
    change === 'add'
      ? { 'data-added': totals.changed, 'data-already': totals.unchanged }
      : { 'data-removed': totals.changed, 'data-not-member': totals.unchanged };
  return (
    <div
      data-testid={`${TEST_ID}-summary`}
      data-change={change}
      {...figures}
      data-not-found={totals.notFound.length}
      data-invalid={totals.invalid.length}
      data-duplicates={totals.duplicates}
    >
      <Descriptions size="small" column={2} title={t('customerList.summary')} bordered>
        <Descriptions.Item label={t(change === 'add' ? 'customerList.added' : 'customerList.removed')}>
          {totals.changed}
        </Descriptions.Item>
        <Descriptions.Item label={t(change === 'add' ? 'customerList.already' : 'customerList.notMember')}>
          {totals.unchanged}
        </Descriptions.Item>
        <Descriptions.Item label={t('customerList.notFound')}>{totals.notFound.length}</Descriptions.Item>
        <Descriptions.Item label={t('customerList.invalid')}>{totals.invalid.length}</Descriptions.Item>
        <Descriptions.Item label={t('customerList.duplicates')}>{totals.duplicates}</Descriptions.Item>
      </Descriptions>
      <Button
        style={{ marginTop: 12 }}
        disabled={unmatched === 0}
        onClick={download}
        data-testid={`${TEST_ID}-unmatched`}
      >
        {t('customerList.downloadUnmatched')} ({unmatched})
      </Button>
    </div>
  );
}

export function CustomerListUploadDialog({
  list,
  change,
  onClose,
  onChanged,
}: {
  list: CustomerList;
  change: MembersChange;
  onClose: () => void;
  /** After the sending ends (done, stopped or failed): the members may have changed. */
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const sending = usePhoneListSending<PartsProgress<MembersTotals>>();
  const { list: phones, progress, running } = sending;

  const start = async () => {
    await sending.send((chosen, onProgress, shouldStop) =>
      changeMembersInParts(staffApi, list.id, change, chosen.phones, {
        duplicateRows: chosen.duplicateRows,
        onProgress,
        shouldStop,
      }),
    );
    onChanged();
  };

  return (
    <Modal
      open
      width={640}
      title={t(change === 'add' ? 'customerList.dialog.add' : 'customerList.dialog.remove', { name: list.name })}
      onCancel={onClose}
      closable={!running}
      maskClosable={false}
      keyboard={!running}
      footer={null}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="customer-list-dialog" data-change={change}>
        <Typography.Text type="secondary">{t('customerList.dialog.help')}</Typography.Text>
        <PhoneListFileInput testIdPrefix={TEST_ID} disabled={running} onList={sending.choose} />
        {phones !== null && progress === null && (
          <Button
            type="primary"
            danger={change === 'remove'}
            onClick={() => void start()}
            data-testid={`${TEST_ID}-start`}
          >
            {t(change === 'add' ? 'customerList.start.add' : 'customerList.start.remove', {
              count: phones.phones.length,
            })}
          </Button>
        )}
        <SendingProgressBar sending={sending} testIdPrefix={TEST_ID} />
        {progress !== null && progress.error !== null && (
          <>
            <ConsoleError error={progress.error} />
            <Typography.Text type="danger" data-testid={`${TEST_ID}-failed-at`}>
              {t('customerList.failedAt', { sent: progress.sent, from: progress.sent + 1 })}
            </Typography.Text>
          </>
        )}
        {progress?.stopped && (
          <Typography.Text type="warning">
            {t('customerList.stopped', { left: progress.total - progress.sent })}
          </Typography.Text>
        )}
        {progress?.done && <Summary list={list} change={change} progress={progress} />}
      </Space>
    </Modal>
  );
}
