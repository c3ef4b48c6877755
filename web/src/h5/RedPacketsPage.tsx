// Group red packets (拼手气红包) at /red-packets: the terms in words, the packets I may send now,
// the 发红包 button (off, with the reason, when there is none to send), the packets I sent (each
// with its progress, status, link to share with copy and QR code while open, and who took a
// share) and the packets I opened with my share (GET /me/red-packets: newest 20 of each).
//
// Sending carries the press's Idempotency-Key (ActionKey): a retry after no answer or a 5xx
// reuses it and answers the same packet. A refusal shows as form-error with its code.
import { Button, Card, List, NoticeBar, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { ActionKey } from '../api/idempotency';
import { getMyRedPackets, sendRedPacket, type MyRedPackets, type Packet } from '../api/redPackets';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';
import { PacketClaims, PacketShare } from './RedPacketParts';
import { packetProgress, packetStatusKey, redPacketTerms, sendBlockedReason, withSentPacket } from './redPacketFormat';

const STATUS_COLORS: Record<string, string> = { open: 'danger', empty: 'success', expired: 'default' };

function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} fill="outline" data-testid="red-packet-status" data-status={status}>
      {t(packetStatusKey(status))}
    </Tag>
  );
}

function SentPacket({ packet, justSent }: { packet: Packet; justSent: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Card
      className="h5-page"
      title={formatFen(packet.amount)}
      extra={<StatusTag status={packet.status} />}
      onHeaderClick={() => navigate(packet.link)}
      data-testid="red-packet-sent"
      data-packet-id={packet.id}
      data-status={packet.status}
      data-claimed={packet.claimed}
      data-shares={packet.shares}
      data-just-sent={justSent}
    >
      <div data-testid="red-packet-progress">{packetProgress(t, packet)}</div>
      <div className="h5-muted">{t('redPacket.expiresAt', { time: formatChinaTime(packet.expires_at) })}</div>
      {packet.my_share !== null && (
        <div data-testid="red-packet-sent-my-share" data-fen={packet.my_share}>
          {t('redPacket.myShare', { amount: formatFen(packet.my_share) })}
        </div>
      )}
      {packet.status === 'open' && <PacketShare packet={packet} />}
      {packet.claims.length > 0 && <PacketClaims packet={packet} />}
    </Card>
  );
}

function OpenedPackets({ packets }: { packets: readonly Packet[] }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <List header={t('redPacket.myOpened')}>
      {packets.length === 0 && (
        <List.Item data-testid="red-packets-opened-none">{t('redPacket.myOpened.none')}</List.Item>
      )}
      {packets.map((packet) => (
        <List.Item
          key={packet.id}
          onClick={() => navigate(packet.link)}
          data-testid="red-packet-opened"
          data-packet-id={packet.id}
          data-my-share={packet.my_share ?? ''}
          description={`${t('redPacket.from', { phone: packet.sender_phone })} · ${packetProgress(t, packet)}`}
          extra={<span className="h5-amount-in">{formatFen(packet.my_share ?? 0)}</span>}
        >
          {t('redPacket.myShare', { amount: formatFen(packet.my_share ?? 0) })}
        </List.Item>
      ))}
    </List>
  );
}

/** The terms, what I may send and take today, and the send button. */
function SendCard({
  mine,
  onSent,
  onRefused,
}: {
  mine: MyRedPackets;
  onSent: (packet: Packet) => void;
  onRefused: () => void;
}) {
  const { t } = useI18n();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const action = useRef(new ActionKey());
  const blocked = sendBlockedReason(t, mine);

  const send = async () => {
    setSending(true);
    setError(null);
    // One key per press; kept for a retry only after an answer that says nothing (no answer, 5xx).
    const key = action.current.keyFor('send');
    try {
      const packet = await sendRedPacket(customerApi, key);
      action.current.settle();
      onSent(packet);
      Toast.show({ icon: 'success', content: t('redPacket.sent.done') });
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
      // What may be sent may have changed meanwhile (another device, a new day): read it again.
      onRefused();
    } finally {
      setSending(false);
    }
  };

  return (
    <Card className="h5-page">
      <div data-testid="red-packets-terms" style={{ fontSize: 14 }}>
        {redPacketTerms(t, mine)}
      </div>
      {mine.ends_at !== null && (
        <div className="h5-muted" data-testid="red-packets-ends-at" data-time={mine.ends_at}>
          {t('redPacket.until', { time: formatChinaTime(mine.ends_at) })}
        </div>
      )}
      <List style={{ margin: '8px 0' }}>
        <List.Item
          data-testid="red-packets-to-send"
          data-count={mine.to_send}
          extra={t('redPacket.toSend.value', { count: mine.to_send })}
        >
          {t('redPacket.toSend')}
        </List.Item>
        <List.Item
          data-testid="red-packets-claims-today"
          data-count={mine.claims_today}
          data-limit={mine.claims_daily}
          extra={t('redPacket.claimsToday.value', { count: mine.claims_today, limit: mine.claims_daily })}
        >
          {t('redPacket.claimsToday')}
        </List.Item>
      </List>
      <Button
        block
        color="danger"
        size="large"
        onClick={send}
        loading={sending}
        loadingText={t('redPacket.sending')}
        disabled={blocked !== null || sending}
        data-testid="red-packets-send"
        data-to-send={mine.to_send}
      >
        {t('redPacket.send')}
      </Button>
      {blocked !== null && (
        <div className="h5-muted" style={{ marginTop: 8 }} data-testid="red-packets-send-blocked">
          {blocked}
        </div>
      )}
      <FormError error={error} />
    </Card>
  );
}

export function RedPacketsPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getMyRedPackets(customerApi), []);
  // What the page learnt from its own send since the last load; dropped when a load arrives.
  const [local, setLocal] = useState<MyRedPackets | null>(null);
  useEffect(() => setLocal(null), [loaded.data]);
  const [justSentId, setJustSentId] = useState<string | null>(null);
  const mine = local ?? loaded.data;

  const onSent = (packet: Packet) => {
    if (mine !== null) setLocal(withSentPacket(mine, packet));
    setJustSentId(packet.id);
  };

  return (
    <H5Page title={t('redPacket.title')}>
      <div data-testid="red-packets-page" data-active={mine?.active}>
        <FormError error={mine === null ? loaded.error : null} />
        {mine !== null && (
          <>
            {!mine.active && <NoticeBar content={t('redPacket.off')} color="alert" data-testid="red-packets-off" />}
            <SendCard mine={mine} onSent={onSent} onRefused={loaded.reload} />
            <List header={t('redPacket.mySent')}>
              {mine.sent.length === 0 && (
                <List.Item data-testid="red-packets-sent-none">{t('redPacket.mySent.none')}</List.Item>
              )}
            </List>
            {mine.sent.map((packet) => (
              <SentPacket key={packet.id} packet={packet} justSent={packet.id === justSentId} />
            ))}
            <OpenedPackets packets={mine.claimed} />
          </>
        )}
      </div>
    </H5Page>
  );
}
