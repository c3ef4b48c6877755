// Invite friends (邀请好友) at /referral: the customer's invite code, the invite link with a copy
// button and its QR code, the programme's rules in words, this month's progress against the
// monthly cap, what inviting has earned, the friends invited (GET /me/referral: newest first, at
// most 100) and, for a customer who was invited, their own welcome reward. While the programme
// is paused the page says so and still shows the code.
import { Button, Card, List, NoticeBar, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';

import { formatPoints } from '../api/points';
import { getMyReferral, type InvitedBy, type MyInvitee, type MyReferral } from '../api/referral';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';
import { givesReward, inviteLink, referralRules, referralStatusKey, rewardText } from './referralFormat';
import { copyText, LinkQr } from './shareLink';

const STATUS_COLORS: Record<string, string> = {
  pending: 'primary',
  rewarded: 'success',
  refused: 'default',
  expired: 'default',
  clawed_back: 'warning',
};

/** The code, the link to share with its copy button, and the link's QR code. */
function InviteCard({ referral }: { referral: MyReferral }) {
  const { t } = useI18n();
  const link = inviteLink(window.location.origin, referral.invite_path);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const done = await copyText(link);
    setCopied(done);
    Toast.show({ content: t(done ? 'referral.copied' : 'referral.copyFailed') });
  };
  return (
    <Card className="h5-page" style={{ textAlign: 'center' }}>
      <div className="h5-muted">{t('referral.code')}</div>
      <div
        data-testid="referral-code"
        style={{
          fontFamily: 'ui-monospace, monospace',
          fontSize: 32,
          fontWeight: 600,
          letterSpacing: 4,
          margin: '8px 0',
        }}
      >
        {referral.invite_code}
      </div>
      <LinkQr link={link} testId="referral-qr" label="invite link QR" />
      <div className="h5-muted">{t('referral.qrHint')}</div>
      <div className="h5-muted" style={{ marginTop: 12 }}>
        {t('referral.link')}
      </div>
      <div data-testid="referral-link" data-link={link} style={{ wordBreak: 'break-all', margin: '4px 0 12px' }}>
        {link}
      </div>
      <Button color="primary" block onClick={copy} data-testid="referral-copy" data-copied={copied}>
        {t('referral.copy')}
      </Button>
    </Card>
  );
}

function InviteeItem({ invitee }: { invitee: MyInvitee }) {
  const { t } = useI18n();
  const pending = invitee.status === 'pending';
  return (
    <List.Item
      data-testid="referral-invitee"
      data-status={invitee.status}
      description={
        <>
          <div>{t('referral.registeredAt', { time: formatChinaTime(invitee.registered_at) })}</div>
          {pending && (
            <div data-testid="referral-invitee-deadline" data-deadline={invitee.deadline}>
              {t('referral.deadline', { deadline: formatChinaTime(invitee.deadline) })}
            </div>
          )}
          {givesReward(invitee.reward) && (
            <div data-testid="referral-invitee-reward">{rewardText(t, invitee.reward)}</div>
          )}
        </>
      }
      extra={
        <Tag color={STATUS_COLORS[invitee.status] ?? 'default'} fill="outline">
          {t(referralStatusKey(invitee.status))}
        </Tag>
      }
    >
      <span data-testid="referral-invitee-phone">{invitee.phone}</span>
    </List.Item>
  );
}

/** The customer's own referral, as the friend who was invited. */
function InvitedByCard({ invitedBy, referral }: { invitedBy: InvitedBy; referral: MyReferral }) {
  const { t } = useI18n();
  const program = referral.program;
  let line: string | null = null;
  if (invitedBy.status === 'pending' && program.enabled && givesReward(program.invitee_reward)) {
    line = t('referral.invitedBy.pending', {
      deadline: formatChinaTime(invitedBy.deadline),
      min: formatFen(program.min_payment),
      reward: rewardText(t, program.invitee_reward),
    });
  } else if (givesReward(invitedBy.reward)) {
    line = t('referral.invitedBy.rewarded', { reward: rewardText(t, invitedBy.reward) });
  }
  return (
    <Card
      className="h5-page"
      title={t('referral.invitedBy')}
      extra={
        <Tag color={STATUS_COLORS[invitedBy.status] ?? 'default'} fill="outline">
          {t(referralStatusKey(invitedBy.status))}
        </Tag>
      }
      data-testid="referral-invited-by"
      data-status={invitedBy.status}
    >
      {line !== null && <div style={{ fontSize: 14 }}>{line}</div>}
    </Card>
  );
}

export function ReferralPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getMyReferral(customerApi), []);
  const referral = loaded.data;
  return (
    <H5Page title={t('referral.title')}>
      <div data-testid="referral-page">
        <FormError error={loaded.error} />
        {referral !== null && (
          <>
            {!referral.program.enabled && (
              <NoticeBar content={t('referral.paused')} color="alert" data-testid="referral-paused" />
            )}
            <InviteCard referral={referral} />
            <List header={t('referral.rulesTitle')}>
              {referral.program.enabled && (
                <List.Item data-testid="referral-rules">{referralRules(t, referral.program)}</List.Item>
              )}
              <List.Item
                data-testid="referral-month"
                data-rewarded={referral.this_month.rewarded}
                data-cap={referral.this_month.cap}
                extra={t('referral.month.value', {
                  rewarded: referral.this_month.rewarded,
                  cap: referral.this_month.cap,
                })}
              >
                {t('referral.month')}
              </List.Item>
              <List.Item
                data-testid="referral-earned-cash"
                data-fen={referral.earned.cash}
                extra={formatFen(referral.earned.cash)}
              >
                {t('referral.earnedCash')}
              </List.Item>
              <List.Item
                data-testid="referral-earned-points"
                data-points={referral.earned.points}
                extra={formatPoints(referral.earned.points)}
              >
                {t('referral.earnedPoints')}
              </List.Item>
            </List>
            {referral.invited_by !== null && (
              <InvitedByCard invitedBy={referral.invited_by} referral={referral} />
            )}
            <List header={t('referral.invitees')}>
              {referral.invitees.length === 0 && (
                <List.Item data-testid="referral-none">{t('referral.none')}</List.Item>
              )}
              {referral.invitees.map((invitee, index) => (
                <InviteeItem key={`${invitee.registered_at}-${invitee.phone}-${index}`} invitee={invitee} />
              ))}
            </List>
          </>
        )}
      </div>
    </H5Page>
  );
}
