// One red packet at /red-packets/:id, the page its shared link opens (log-in first: the app's
// guard comes back here). It shows who sent it, its amount and shares, and a big 开 while it is
// open and I have taken nothing; 开 takes the next share into my wallet (POST .../claim; a second
// press answers the same share) and shows "你抢到 ¥x.xx，已存入钱包". Then, or when the packet is
// empty or expired, the claims with 手气最佳 on the best once the packet is settled. A refusal
// (expired, empty, today's limit, the sender's device, the wallet's cap, risk) shows as form-error
// with its code, and the packet is read again so its status is current.
import { Button, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { claimRedPacket, getRedPacket, type ClaimAnswer } from '../api/redPackets';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { PacketClaims, PacketShare } from './RedPacketParts';
import { canOpenPacket, goneKey, packetProgress, packetStatusKey } from './redPacketFormat';

export function RedPacketPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const id = useParams().id ?? '';
  const loaded = useLoad(() => getRedPacket(customerApi, id), [id]);
  // The packet as the claim answered it: newer than the load it followed; dropped when a load
  // arrives, which is newer still.
  const [claimed, setClaimed] = useState<ClaimAnswer | null>(null);
  useEffect(() => setClaimed(null), [loaded.data]);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Another packet's link opened on this page: its refusal is not this one's.
  useEffect(() => setError(null), [id]);
  const packet = claimed?.packet ?? loaded.data;

  const open = async () => {
    setOpening(true);
    setError(null);
    try {
      setClaimed(await claimRedPacket(customerApi, id));
    } catch (cause) {
      setError(cause);
      loaded.reload();
    } finally {
      setOpening(false);
    }
  };

  const gone = packet === null ? null : goneKey(packet);
  return (
    <H5Page title={t('redPacket.title')} back="/red-packets">
      <div
        data-testid="red-packet-page"
        data-packet-id={id}
        data-status={packet?.status}
        data-my-share={packet === null ? undefined : (packet.my_share ?? '')}
        data-mine={packet?.mine}
      >
        <FormError error={packet === null ? loaded.error : null} />
        {packet !== null && (
          <>
            <div className="h5-redpacket-card">
              <div className="h5-redpacket-title" data-testid="red-packet-sender" data-phone={packet.sender_phone}>
                {t('redPacket.from', { phone: packet.sender_phone })}
              </div>
              {packet.mine && <div data-testid="red-packet-mine">{t('redPacket.mine')}</div>}
              <div
                style={{ marginTop: 8 }}
                data-testid="red-packet-amount"
                data-fen={packet.amount}
                data-shares={packet.shares}
              >
                {t('redPacket.summary', { amount: formatFen(packet.amount), shares: packet.shares })}
              </div>
              {canOpenPacket(packet) && (
                <button
                  type="button"
                  className="h5-redpacket-open"
                  onClick={open}
                  disabled={opening}
                  aria-busy={opening}
                  data-testid="red-packet-open"
                >
                  {t('redPacket.open')}
                </button>
              )}
              {packet.my_share !== null && (
                <div
                  className="h5-redpacket-share"
                  role="status"
                  data-testid="red-packet-my-share"
                  data-fen={packet.my_share}
                >
                  {t('redPacket.got', { amount: formatFen(packet.my_share) })}
                </div>
              )}
              {gone !== null && (
                <div className="h5-redpacket-share" data-testid="red-packet-gone" data-status={packet.status}>
                  {t(gone)}
                </div>
              )}
              <div style={{ marginTop: 12 }}>
                <Tag color="#ffe2a8" fill="outline" data-testid="red-packet-status" data-status={packet.status}>
                  {t(packetStatusKey(packet.status))}
                </Tag>{' '}
                <span data-testid="red-packet-progress" data-claimed={packet.claimed} data-shares={packet.shares}>
                  {packetProgress(t, packet)}
                </span>
              </div>
            </div>
            <FormError error={error} />
            {packet.mine && packet.status === 'open' && (
              <div className="h5-page">
                <PacketShare packet={packet} />
              </div>
            )}
            <PacketClaims packet={packet} />
          </>
        )}
        <div className="h5-page">
          <Button block onClick={() => navigate('/red-packets')} data-testid="red-packet-to-mine">
            {t('redPacket.toMine')}
          </Button>
        </div>
      </div>
    </H5Page>
  );
}
