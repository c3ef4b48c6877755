// Pieces of the red packet pages (/red-packets and /red-packets/:id): a packet's link to share
// (copy + QR code) and the list of who took a share, with 手气最佳 on the best once the packet is
// settled (the server sets `best` only then).
import { Button, List, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';

import type { Packet } from '../api/redPackets';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { formatChinaTime } from './historyFormat';
import { packetLink } from './redPacketFormat';
import { copyText, LinkQr } from './shareLink';

/** The packet's link with its copy button and QR code. */
export function PacketShare({ packet }: { packet: Pick<Packet, 'id' | 'link'> }) {
  const { t } = useI18n();
  const link = packetLink(window.location.origin, packet.link);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const done = await copyText(link);
    setCopied(done);
    Toast.show({ content: t(done ? 'redPacket.copied' : 'redPacket.copyFailed') });
  };
  return (
    <div style={{ textAlign: 'center', marginTop: 12 }} data-testid="red-packet-share" data-packet-id={packet.id}>
      <LinkQr link={link} testId="red-packet-qr" label="red packet link QR" width={160} />
      <div className="h5-muted">{t('redPacket.qrHint')}</div>
      <div data-testid="red-packet-link" data-link={link} style={{ wordBreak: 'break-all', margin: '8px 0' }}>
        {link}
      </div>
      <Button color="primary" fill="outline" block onClick={copy} data-testid="red-packet-copy" data-copied={copied}>
        {t('redPacket.copy')}
      </Button>
    </div>
  );
}

/** Who took a share, in the order taken. */
export function PacketClaims({ packet }: { packet: Pick<Packet, 'claims'> }) {
  const { t } = useI18n();
  return (
    <List header={t('redPacket.claims')}>
      {packet.claims.length === 0 && (
        <List.Item data-testid="red-packet-claims-none">{t('redPacket.claims.none')}</List.Item>
      )}
      {packet.claims.map((claim, index) => (
        <List.Item
          key={`${claim.time}-${claim.phone}-${index}`}
          data-testid="red-packet-claim"
          data-phone={claim.phone}
          data-fen={claim.amount}
          data-best={claim.best}
          description={formatChinaTime(claim.time)}
          extra={<span className="h5-amount-in">{formatFen(claim.amount)}</span>}
        >
          {claim.phone}{' '}
          {claim.best && (
            <Tag color="warning" fill="outline" data-testid="red-packet-best">
              {t('redPacket.best')}
            </Tag>
          )}
        </List.Item>
      ))}
    </List>
  );
}
