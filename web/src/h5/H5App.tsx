// The customer H5 app: mobile first, antd-mobile.
//
// Routes (URL paths):
//   /                 welcome (goes to /home when logged in)
//   /login            log in with phone + password
//   /register         register: phone → send code (60 s countdown) → code + password
//                     (+ invite code); the channel comes from ?channel= (default organic),
//                     the invite code is filled in from ?invite= (an invite link)
//   /home             balance, tier badge, limits, quick actions, log out      (needs log-in)
//   /identity         verify identity: real name + resident ID                 (needs log-in)
//   /cards            list, bind, unbind bank cards                            (needs log-in)
//   /top-up           top up from a card                                       (needs log-in)
//   /withdraw         withdraw to a card                                       (needs log-in)
//   /transfer         transfer to a phone number with a memo                   (needs log-in)
//   /history          history with type/date filters and infinite scroll       (needs log-in)
//   /scan             scan a merchant QR (camera or picture upload) and pay   (needs log-in)
//   /pay?qr=          hosted checkout of a merchant's online order            (needs log-in)
//   /paycode          payment code (QR + barcode + digits), confirm payments  (needs log-in)
//   /payments         my payments to merchants; /payments/:id with refunds    (needs log-in)
//   /small-payments   small-payment (免密) settings                            (needs log-in)
//   /security         payment PIN (支付密码): set, change, reset by SMS + ID    (needs log-in)
//                     ... and, last, closing the account (注销账户): SMS code + PIN + typed word;
//                     afterwards /login says when the account closed
//   /offers           offers: running campaigns, coupons to grab (flash grabs show when they
//                     open), a redeem code (兑换码) box, my coupons              (needs log-in)
//   /points           my points (积分): balance, its worth, the earn and redeem rules, the
//                     newest 50 entries (an entry of a payment opens it; 抽奖奖励 entries of
//                     lottery prizes do not)                                   (needs log-in)
//   /referral         invite friends (邀请好友): my invite code, the invite link (copy) and its
//                     QR code, the rules, this month's rewarded friends against the cap, what
//                     inviting earned, the friends invited, my own welcome reward if I was
//                     invited; "paused" while the programme is off           (needs log-in)
//   /lottery          lucky draw (幸运抽奖): the prize wheel (sectors sized by the published
//                     chances, 谢谢参与 the rest), draw (the wheel turns to the result, ≤ 2 s,
//                     none with reduced motion), draws left today and in all, the daily
//                     sign-in, how to earn draws, the published chances, my newest 20 draws;
//                     "not running" while the lottery is off                  (needs log-in)
//   /red-packets      group red packets (拼手气红包): the terms, the packets I may send now,
//                     发红包 (off with the reason when there is none to send), the packets I
//                     sent (progress, status, the link with copy and QR code while open, who
//                     took a share) and the packets I opened with my share    (needs log-in)
//   /red-packets/:id  one packet, as its shared link opens it: sender, amount and shares, 开
//                     while it is open and I took nothing, then my share ("你抢到 ¥x.xx，已存入
//                     钱包"), the claims with 手气最佳                          (needs log-in)
//   /messages         messages (消息): the inbox newest first with "load more", unread ones bold
//                     with a dot; tapping one marks it read and, for an offer, shows 去看看
//                     (opens /offers); mark all read; the switch for personalised offers
//                     (off: no offer push chosen from my spending)          (needs log-in)
//   /spending         spending analysis: month over month, by category and month (ECharts,
//                     loaded lazily), top merchants                             (needs log-in)
// Without a session, or after any 401, the pages that need log-in go to /login?next=<path>,
// which returns there after logging in.
//
// Test ids (data-testid). Inputs carry the id on the native <input>/<textarea>, so
// page.getByTestId(id).fill(...) works. Every form has one error line "form-error" whose
// data-error-code holds the API error code (absent for client-side checks).
//   welcome:  welcome-login, welcome-register
//   register: register-phone, register-send-code (data-seconds-left while counting down),
//             register-code, register-password, register-password-confirm,
//             register-invite-code (filled from ?invite=), register-submit; a code that names
//             nobody: form-error with data-error-code="INVITE_CODE_INVALID"
//   login:    login-phone, login-password, login-submit
//   home:     balance-value (data-fen = balance in fen), available-value, tier-badge
//             (data-tier), limit-balance_cap, limit-per_payment, limit-per_day, limit-per_year,
//             limit-spent_today, limit-spent_this_year, action-top-up, action-withdraw,
//             action-transfer, action-cards, action-history, action-identity, logout-button
//   identity: identity-real-name, identity-resident-id, identity-submit, identity-verified
//   cards:    card-list, card-item (data-card-id, data-last4), card-unbind (inside card-item;
//             confirm in the dialog), card-number, card-bind-submit, cards-need-identity
//   top-up / withdraw: move-card-option (data-card-id, data-last4), move-amount, move-submit,
//             move-balance
//   transfer: transfer-phone, transfer-amount, transfer-memo, transfer-submit, transfer-balance
//   history:  history-type-filter (antd-mobile Selector; options by their text),
//             history-from, history-to (<input type="date">, fill "2026-11-23"),
//             history-apply, history-clear, history-list, history-entry (data-entry-id,
//             data-type, data-status, data-direction, data-amount-fen) containing
//             history-entry-counterparty, history-entry-amount ("+¥1.00" / "-¥1.00"),
//             history-entry-type, history-entry-status, history-entry-time, history-entry-memo;
//             history-end when the last page is shown
//   home (payments): action-scan, action-paycode, action-payments, action-small-payments,
//             action-spending
//   scan:     scan-camera, scan-camera-stop, scan-video, scan-camera-error, scan-upload (the
//             <input type="file">: setInputFiles works)
//   pay (scan and checkout): pay-preview (data-kind static|dynamic), pay-merchant,
//             pay-category, pay-order-no, pay-amount (data-fen; dynamic only),
//             pay-amount-input (static only), pay-submit; after paying pay-success
//             (data-payment-id, data-status) with pay-success-amount (data-fen),
//             pay-success-merchant, pay-return (checkout with a return_url), pay-detail, pay-done;
//             pay-order-description
//   paycode:  paycode-digits (data-code = the 18 digits), paycode-countdown (data-seconds-left),
//             paycode-qr, paycode-barcode, paycode-pending (data-payment-id, data-amount-fen)
//             with paycode-confirm / paycode-decline, paycode-answered (data-payment-id),
//             paycode-small-payments
//   small payments: small-enabled (data-checked; click the switch inside), small-per-payment,
//             small-per-day, small-save
//   payments: payments-list, payment-item (data-payment-id, data-status, data-amount-fen,
//             data-refunded-fen) with payment-item-status, payment-item-refunded;
//             payments-more, payments-empty
//   payment detail: payment-detail (data-payment-id, data-status), payment-merchant,
//             payment-amount (data-fen), payment-status, payment-refunded (data-fen),
//             refund-list, refund-item (data-refund-id, data-fen, data-status) with refund-status
//   invoice (on payment detail): invoice-kind (data-kind person|company; antd-mobile Selector,
//             options by their text), invoice-title, invoice-tax-id (company only),
//             invoice-submit; then invoice (data-invoice-number, data-fen) with invoice-number,
//             invoice-amount, invoice-local-note, invoice-download (saves invoice-<number>.pdf)
//   security: action-security (home; home-set-pin inside while no PIN is set), security-page,
//             security-pin-status (data-set, data-tries-left), security-current-pin (change
//             only), security-pin, security-pin-confirm, security-pin-submit,
//             security-reset-send-code, security-reset-code, security-reset-resident-id,
//             security-reset-pin, security-reset-submit, security-reset-needs-identity
//   close account (security page): close-account-section (data-state loading|balance|ready),
//             close-account-balance (data-fen), close-account-balance-hint and
//             close-account-withdraw (balance not zero), close-account-data-export,
//             close-account-send-code (data-seconds-left), close-account-code, close-account-pin
//             (once a PIN is set), close-account-confirmation, close-account-submit (disabled
//             until ready; data-blocker names what is missing), close-account-hint; after
//             closing, the log-in page shows login-account-closed (data-closed-at)
//   payment PIN (transfer, withdraw, pay; only once a PIN is set): payment-pin; after a refusal
//             pin-tries-left (data-tries-left) or pin-locked-until (data-until)
//   offers:   action-offers (home), offers-page, offer-campaign (data-campaign-id),
//             offer-template (data-template-id, data-remaining) with offer-grab, offers-none,
//             my-coupon (data-coupon-id, data-state), coupons-none; the 兑换码 box:
//             redeem-code-input, redeem-code-submit, redeem-code-error (data-error-code)
//   pay quote (scan and checkout, before paying): pay-quote (data-discount, data-pay) with
//             pay-quote-reward (data-kind), pay-quote-discount, pay-quote-cashback and
//             pay-quote-pay (data-fen), pay-coupon-none, pay-coupon-option (data-coupon-id);
//             after paying pay-success-discount (data-fen); a payment held for review shows
//             pay-under-review
//   points:   points-balance (home; data-points = the balance; hidden while the programme is
//             off and the balance is 0; tap opens /points), points-page, points-page-balance
//             (data-points), points-value (data-fen; what the balance is worth, when > 0),
//             points-earn-rule (data-earn-per-yuan), points-redeem-rule (data-redeem-per-yuan),
//             points-paused (instead of the rules while the programme is off), points-entry
//             (data-entry-id, data-kind earn|redeem|restore|clawback|forfeit|referral|
//             referral_clawback|lottery, data-points signed; a referral or lottery entry opens
//             no payment) with
//             points-entry-points ("+120" / "-50"), points-none
//   pay with points (scan and checkout, inside pay-quote): use-points (the switch, shown when
//             the quote's points.max_redeemable > 0; data-points = the points it uses,
//             data-fen = their discount, data-checked; click it) with use-points-label ("用 N 积分
//             抵 ¥X"); while on, the coupon choice is hidden, the quote is for the points and
//             the payment sends them without a coupon; points-earn (data-points; the points this
//             payment would earn, when > 0)
//   spending: action-spending (home), spending-page, spending-current (data-fen),
//             spending-change (data-direction up|down|flat|none, data-change-bp),
//             spending-category-chart, spending-month-chart (each wraps an ECharts <canvas>;
//             data-rendered="true" once drawn),
//             spending-top-merchants with spending-merchant (data-merchant-id, data-fen),
//             spending-empty
//   referral: action-referral (home; opens /referral), referral-page, referral-code (its text
//             is the invite code), referral-link (data-link = the full URL: origin +
//             invite_path), referral-copy (data-copied once copied), referral-qr (a <canvas> of
//             the link; data-link), referral-rules (the sentence, saying real-name verification
//             comes first when program.invitee_must_verify; only while the programme is
//             on), referral-paused (while it is off), referral-month (data-rewarded, data-cap),
//             referral-earned-cash (data-fen), referral-earned-points (data-points),
//             referral-invited-by (data-status; only for an invited customer), referral-invitee
//             (data-status pending|rewarded|refused|expired|clawed_back) with
//             referral-invitee-phone (masked), referral-invitee-deadline (pending only;
//             data-deadline) and referral-invitee-reward (when one was given); referral-none
//   lottery:  action-lottery (home; opens /lottery), lottery-page (data-active), lottery-off
//             (while the lottery is not running: no wheel, buttons, rules or chances then),
//             lottery-wheel (data-rotation in degrees, data-spinning, data-sectors; its <g>
//             sectors carry data-sector-kind prize|thanks, data-sector-name, data-chance-bps),
//             lottery-chances (data-available = draws left in all, data-used-today, data-limit =
//             the daily limit, data-left-today), lottery-draw (the button; data-available; it
//             stays pressable without draws so the server's refusal shows: form-error with
//             data-error-code LOTTERY_NO_DRAWS | LOTTERY_DAILY_LIMIT | LOTTERY_OFF |
//             LOTTERY_WALLET_FULL), lottery-sign-in (only when the sign-in earns a draw;
//             data-signed-in; disabled and labelled 今日已签到 once signed in), lottery-result
//             (after the wheel stops: data-won, data-prize-name "" for 谢谢参与, data-draw-id),
//             lottery-ends-at (data-time), lottery-earn-rules (the sentence), lottery-odds-row
//             (data-name, data-kind cash|points|thanks, data-chance-bps, data-available; the
//             谢谢参与 row only when the prizes leave some chance), lottery-draw-row (data-id,
//             data-won, data-prize-name), lottery-draws-none
//   messages: action-messages (home; opens /messages) with messages-unread-badge (its text and
//             data-count = the unread count; absent when 0), messages-page (data-unread),
//             offer-personalised-switch (the antd-mobile Switch itself: click it; data-checked
//             "true" | "false"; shown once the setting is loaded) with offer-personalised-help,
//             messages-unread (data-count), messages-read-all (disabled while nothing is
//             unread), messages-list, message-item (data-message-id, data-read "true" | "false",
//             data-kind, data-open; tap it to open and mark it read) with message-title,
//             message-body, message-time (data-time), message-unread-dot (unread only) and,
//             once opened and of kind offer, message-open-offer (data-campaign-id; opens
//             /offers); messages-more (load more), messages-end, messages-empty
//   red packets: action-red-packets (home; opens /red-packets), red-packets-page (data-active),
//             red-packets-off, red-packets-terms (the sentence), red-packets-ends-at (data-time),
//             red-packets-to-send (data-count), red-packets-claims-today (data-count,
//             data-limit), red-packets-send (the button; data-to-send; disabled while nothing can
//             be sent, red-packets-send-blocked then says why; a refusal shows form-error with
//             REDPACKET_OFF | REDPACKET_NONE_TO_SEND | REDPACKET_BUDGET), red-packets-sent-none,
//             red-packet-sent (data-packet-id, data-status open|empty|expired, data-claimed,
//             data-shares, data-just-sent = sent by this page just now; its header opens the
//             packet) with red-packet-status (data-status), red-packet-progress,
//             red-packet-sent-my-share (data-fen), red-packet-share (while open) holding
//             red-packet-qr (a <canvas> of the link; data-link), red-packet-link (data-link = the
//             full URL: origin + /red-packets/<id>) and red-packet-copy (data-copied), and the
//             claims; red-packet-opened (data-packet-id, data-my-share in fen; opens the packet),
//             red-packets-opened-none
//   red packet (/red-packets/:id): red-packet-page (data-packet-id, data-status, data-my-share
//             = fen, "" before I took a share; data-mine), red-packet-sender (data-phone, masked),
//             red-packet-mine (my own packet), red-packet-amount (data-fen, data-shares),
//             red-packet-open (the 开 button: only while open and I took nothing),
//             red-packet-my-share (data-fen; "你抢到 ¥x.xx，已存入钱包"), red-packet-gone
//             (data-status empty|expired, when I took nothing), red-packet-status (data-status),
//             red-packet-progress (data-claimed, data-shares), form-error (data-error-code
//             REDPACKET_NOT_FOUND | REDPACKET_EXPIRED | REDPACKET_EMPTY | REDPACKET_DAILY_LIMIT |
//             REDPACKET_WALLET_FULL | REDPACKET_SAME_DEVICE | RISK_DENIED), red-packet-share (my
//             own open packet), red-packet-claim (data-phone, data-fen, data-best) with
//             red-packet-best (手气最佳), red-packet-claims-none, red-packet-to-mine
import { ConfigProvider, SpinLoading } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';

import { customerSession } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { CardsPage } from './CardsPage';
import { CheckoutPage } from './CheckoutPage';
import { RequireCustomer } from './common';
import { HistoryPage } from './HistoryPage';
import { HomePage } from './HomePage';
import { IdentityPage } from './IdentityPage';
import { LoginPage } from './LoginPage';
import { LotteryPage } from './LotteryPage';
import { MessagesPage } from './MessagesPage';
import { MoneyMovePage } from './MoneyMovePage';
import { OffersPage } from './OffersPage';
import { PayCodePage } from './PayCodePage';
import { PaymentDetailPage, PaymentsPage } from './PaymentsPage';
import { PointsPage } from './PointsPage';
import { RedPacketPage } from './RedPacketPage';
import { RedPacketsPage } from './RedPacketsPage';
import { ReferralPage } from './ReferralPage';
import { RegisterPage } from './RegisterPage';
import { ScanPage } from './ScanPage';
import { SecurityPage } from './SecurityPage';
import { SmallPaymentsPage } from './SmallPaymentsPage';
import { TransferPage } from './TransferPage';
import { WelcomePage } from './WelcomePage';
import './react19';

// ECharts is large: only the spending page needs it, so it comes in its own chunk.
const SpendingPage = lazy(() => import('./SpendingPage'));

const guarded = (page: ReactNode) => <RequireCustomer>{page}</RequireCustomer>;

export default function H5App() {
  const { language } = useI18n();
  const navigate = useNavigate();
  // A 401 on any call means the session is gone: back to the log-in page.
  useEffect(
    () => customerSession.onExpire(() => navigate('/login', { replace: true })),
    [navigate],
  );
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS}>
      <div className="h5">
        <Routes>
          <Route index element={<WelcomePage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="home" element={guarded(<HomePage />)} />
          <Route path="offers" element={guarded(<OffersPage />)} />
          <Route path="messages" element={guarded(<MessagesPage />)} />
          <Route path="points" element={guarded(<PointsPage />)} />
          <Route path="referral" element={guarded(<ReferralPage />)} />
          <Route path="lottery" element={guarded(<LotteryPage />)} />
          <Route path="red-packets" element={guarded(<RedPacketsPage />)} />
          <Route path="red-packets/:id" element={guarded(<RedPacketPage />)} />
          <Route path="identity" element={guarded(<IdentityPage />)} />
          <Route path="cards" element={guarded(<CardsPage />)} />
          <Route path="top-up" element={guarded(<MoneyMovePage key="top_up" kind="top_up" />)} />
          <Route
            path="withdraw"
            element={guarded(<MoneyMovePage key="withdrawal" kind="withdrawal" />)}
          />
          <Route path="transfer" element={guarded(<TransferPage />)} />
          <Route path="history" element={guarded(<HistoryPage />)} />
          <Route path="scan" element={guarded(<ScanPage />)} />
          <Route path="pay" element={guarded(<CheckoutPage />)} />
          <Route path="paycode" element={guarded(<PayCodePage />)} />
          <Route path="payments" element={guarded(<PaymentsPage />)} />
          <Route path="payments/:id" element={guarded(<PaymentDetailPage />)} />
          <Route path="small-payments" element={guarded(<SmallPaymentsPage />)} />
          <Route path="security" element={guarded(<SecurityPage />)} />
          <Route
            path="spending"
            element={guarded(
              <Suspense fallback={<SpinLoading />}>
                <SpendingPage />
              </Suspense>,
            )}
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </div>
    </ConfigProvider>
  );
}
