// The file input of an uploaded list of phones (phoneList.ts), shared by the coupon issue to a
// list and the custom customer lists: it reads the chosen file in the browser and shows what it
// holds, or why it cannot be used. Test ids: <prefix>-file (the <input type=file>), then
// <prefix>-read (data-rows, data-phones, data-duplicates) or <prefix>-problem (data-problem).
import { Alert, Space, Typography } from 'antd';
import { useState } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import {
  MAX_LIST_FILE_BYTES,
  MAX_LIST_ROWS,
  decodeListFile,
  readPhoneList,
  type PhoneList,
  type PhoneListProblem,
} from './phoneList';

export type PhoneListFileProblem = PhoneListProblem | 'too_large' | 'unreadable';

export function PhoneListFileInput({
  testIdPrefix,
  disabled,
  onList,
}: {
  testIdPrefix: string;
  disabled: boolean;
  /** Null as soon as a file is chosen, then the list once read (or null when it cannot be). */
  onList: (list: PhoneList | null) => void;
}) {
  const { t } = useI18n();
  const [list, setList] = useState<PhoneList | null>(null);
  const [problem, setProblem] = useState<PhoneListFileProblem | null>(null);

  const choose = async (file: File | undefined) => {
    setList(null);
    setProblem(null);
    onList(null);
    if (file === undefined) return;
    if (file.size > MAX_LIST_FILE_BYTES) {
      setProblem('too_large');
      return;
    }
    let text: string;
    try {
      text = decodeListFile(new Uint8Array(await file.arrayBuffer()));
    } catch {
      setProblem('unreadable');
      return;
    }
    const read = readPhoneList(text);
    if (!read.ok) {
      setProblem(read.problem);
      return;
    }
    setList(read.list);
    onList(read.list);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <input
        type="file"
        accept=".csv,.txt,text/csv,text/plain"
        disabled={disabled}
        onChange={(e) => void choose(e.target.files?.[0])}
        data-testid={`${testIdPrefix}-file`}
      />
      {problem !== null && (
        <Alert
          type="error"
          showIcon
          title={t(`coupon.list.problem.${problem}`, {
            max: MAX_LIST_ROWS,
            mb: MAX_LIST_FILE_BYTES / (1024 * 1024),
          })}
          data-testid={`${testIdPrefix}-problem`}
          data-problem={problem}
        />
      )}
      {list !== null && (
        <Typography.Text
          data-testid={`${testIdPrefix}-read`}
          data-rows={list.rows}
          data-phones={list.phones.length}
          data-duplicates={list.duplicateRows}
        >
          {t('coupon.list.read', { rows: list.rows, phones: list.phones.length })}
          {list.column !== null && ` · ${t('coupon.list.column', { column: list.column })}`}
        </Typography.Text>
      )}
    </Space>
  );
}
