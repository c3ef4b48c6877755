// The status block of a console page for an engine programme with a cash budget (the referral
// programme, the lottery, red packets): its version, when it was last set, the cash spent and
// the budget left, plus any items the page adds. Test ids: <idPrefix>-version (data-version),
// <idPrefix>-updated-at (data-time), <idPrefix>-spent and <idPrefix>-remaining (data-fen).
import { Descriptions, type DescriptionsProps } from 'antd';

import { remainingBudget } from '../api/budget';
import { formatChinaTime } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';

export interface BudgetedProgram {
  version: number;
  updated_at: string | null;
  budget: number;
  spent: number;
  /**
   * What is left to spend when the programme also holds some back (red packets reserve the
   * unclaimed shares of live packets); absent: budget − spent.
   */
  available?: number;
}

export function BudgetedProgramStatus({
  program,
  idPrefix,
  messagePrefix,
  extra = [],
}: {
  program: BudgetedProgram;
  idPrefix: 'referral' | 'lottery' | 'red-packets';
  messagePrefix: 'referral' | 'lottery' | 'redPacket';
  extra?: NonNullable<DescriptionsProps['items']>;
}) {
  const { t } = useI18n();
  const label = (name: string) => t(`${messagePrefix}.${name}` as MessageKey);
  const remaining = program.available ?? remainingBudget(program);
  const items: NonNullable<DescriptionsProps['items']> = [
    {
      key: 'version',
      label: label('version'),
      children: (
        <span data-testid={`${idPrefix}-version`} data-version={program.version}>
          {program.version === 0 ? label('version.never') : program.version}
        </span>
      ),
    },
    {
      key: 'updated',
      label: label('updatedAt'),
      children: (
        <span data-testid={`${idPrefix}-updated-at`} data-time={program.updated_at ?? ''}>
          {program.updated_at === null ? '—' : formatChinaTime(program.updated_at)}
        </span>
      ),
    },
    {
      key: 'spent',
      label: label('spent'),
      children: (
        <span data-testid={`${idPrefix}-spent`} data-fen={program.spent}>
          {formatFen(program.spent)}
        </span>
      ),
    },
    {
      key: 'remaining',
      label: label('remaining'),
      children: (
        <span data-testid={`${idPrefix}-remaining`} data-fen={remaining}>
          {formatFen(remaining)} / {formatFen(program.budget)}
        </span>
      ),
    },
    ...extra,
  ];
  return <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }} items={items} />;
}
