// The staff console under /console: antd.
//
// Routes (URL paths):
//   /console/login            staff log-in (username + password)
//   /console/dashboard        KPI shells (every role)
//   /console/customers        customer search by phone digits or id   (admin, support, risk,
//                             outreach_manager, outreach_agent); ?q= runs the search on arrival
//   /console/customers/:id    customer detail: masked PII, balance, cards, recent history,
//                             "grant tier I" (admin, outreach_agent, outreach_manager)
//   /console/sms-outbox       SMS outbox of the development gateway   (admin)
//   /console/ledger           ledger verification status              (admin, auditor)
//   /console/staff            staff list and create staff             (admin)
//   /console/merchants        merchants with a status filter; onboard (admin)
//                             (admin, risk, support, auditor)
//   /console/merchants/:id    a merchant; approve / suspend / reinstate (admin, risk)
//   /console/settlements      reconciliation report and every merchant's T+1 settlements
//                             (admin, auditor)
//   /console/audit            the audit log, newest first, filtered by action, actor, target, IP
//                             (admin, auditor)
//   /console/campaigns        marketing campaigns with budget use; /new and /:id/edit the
//                             editor; /:id figures, uplift vs holdout, lifecycle, top-up,
//                             coupon templates (issue to customers, segments or an uploaded
//                             list of phones; redeem codes), offer push (定向推送: audience,
//                             preview, send, past pushes with their open rate)
//                             (read: admin, marketing, auditor; change, redeem codes and offer
//                             push: admin, marketing)
//   /console/customer-lists   custom customer lists (人群包) campaigns target: name a list,
//                             upload a CSV of phones to add or take out, delete one no
//                             campaign that has not ended targets; each list's customers,
//                             last change and the campaigns using it
//                             (read: admin, marketing, auditor; change: admin, marketing)
//   /console/points           the points programme (积分): on/off, earn and redeem rates, the
//                             most of a payment points may pay, multiplier rules; its version
//                             and the points customers hold
//                             (read: admin, marketing, auditor; change: admin, marketing)
//   /console/referral         the friend-referral programme (好友推荐): on/off, days to qualify,
//                             smallest qualifying payment, each side's reward (cash / points /
//                             none), the inviter's monthly cap, the cash budget, whether the
//                             friend must verify by real name first; its version,
//                             spend and figures; the newest 100 referrals
//                             (read: admin, marketing, auditor; change: admin, marketing)
//   /console/lottery          the lottery (抽奖, a 幸运大转盘): on/off, optional start and end,
//                             the prizes (a table: name, cash / points, amount, inventory,
//                             chance in percent; the rest is 谢谢参与, shown live), the draws
//                             payments, the daily sign-in and referrals earn, the daily limit,
//                             the cash budget; its version, cash spent, budget left, draws made
//                             and each prize's remaining
//                             (read: admin, marketing, auditor; change: admin, marketing)
//   /console/red-packets      group red packets (拼手气红包): on/off, optional start and end, the
//                             payment that earns a packet and how many a day, each packet's
//                             amount (≤ ¥200) and shares, hours open, shares a customer may take
//                             a day, the budget; its version, paid out, available (budget −
//                             spent − reserved), reserved, returned, packets sent, shares taken,
//                             the newest 50 packets
//                             (read: admin, marketing, auditor; change: admin, marketing)
//   /console/risk/reviews     payments held for review: why, approve / reject (+ block device)
//   /console/risk/rules       the active and shadow rule sets; publish a new version
//   /console/risk/lists       block and allow lists        (read: admin, risk, auditor;
//                             change: admin, risk)
//   /console/aml              AML reports: a day's large-value report, suspicious cases;
//                             CSV / XLSX downloads, audited      (admin, risk, auditor)
// Without a staff session, or after any 401, every page goes to /console/login. The menu shows
// only the pages the roles allow; opening another by URL goes to /console/dashboard.
//
// Test ids (data-testid); antd puts them on the native <input>/<button>, table rows carry the
// row id in data-row-id. Errors show as "console-error" with the API code in data-error-code.
//   login:     staff-username, staff-password, staff-login-submit
//   frame:     menu-dashboard, menu-customers, menu-sms-outbox, menu-ledger, menu-staff,
//              menu-merchants, menu-settlements, menu-audit, menu-campaigns,
//              menu-customer-lists, menu-points,
//              menu-referral, menu-lottery, menu-red-packets, staff-name, staff-logout
//   customers: customer-search (the input; Enter runs it), customer-search-submit,
//              customer-row (data-row-id = customer id; click opens the detail), customer-more
//   detail:    customer-detail, customer-id, customer-phone, customer-name,
//              customer-resident-id, customer-tier (data-tier), customer-balance (data-fen),
//              customer-card-row, customer-history-row, grant-tier-i, grant-tier-note,
//              grant-tier-confirm
//   outbox:    outbox-phone-filter, outbox-refresh, outbox-row (data-row-id = phone)
//              containing outbox-text, outbox-unavailable
//   ledger:    ledger-run, ledger-status (data-status = ok | mismatch), ledger-journal-seq,
//              ledger-projected-seq, ledger-accounts, ledger-transfers, ledger-invariants and
//              ledger-read-models (data-ok), ledger-problems, ledger-problem
//   staff:     staff-row (data-row-id = staff id), staff-create, staff-new-username,
//              staff-new-display-name, staff-new-password, staff-new-roles (checkboxes by
//              label), staff-new-submit
//   merchants: merchant-status-filter, merchant-onboard, merchant-row (data-row-id = merchant
//              id, data-status; click opens the detail), merchant-more, merchant-status-tag
//              (data-status); onboarding dialog: onboard-legal-name, onboard-credit-code,
//              onboard-category, onboard-bank-code, onboard-account, onboard-contact-phone,
//              onboard-username, onboard-password, onboard-fee-bps, onboard-activate,
//              onboard-submit; detail: merchant-detail (data-merchant-id, data-status),
//              merchant-approve, merchant-suspend (confirm), merchant-reinstate
//   settlements: reconciliation-run, reconciliation-status (data-ok), reconciliation-check
//              (data-row-id = check name, data-ok), settlements-refresh, settlement-row
//              (data-row-id, data-status, data-fen)
//   audit:     audit-action-filter, audit-actor-filter, audit-target-filter, audit-ip-filter,
//              audit-apply,
//              audit-reset, audit-filter-invalid (data-field), audit-row (data-row-id = seq,
//              data-action) containing audit-time, audit-actor, audit-action, audit-target,
//              audit-detail, audit-hash (data-hash = the whole hash); audit-empty, audit-more,
//              audit-end
//   campaigns: campaign-new, campaign-row (data-row-id), campaign-status (data-status);
//              editor: campaign-editor, campaign-name, campaign-type-<type>,
//              campaign-shape-<shape>, campaign-fixed, campaign-percent, campaign-percent-cap,
//              campaign-random-lo/-hi, campaign-threshold, campaign-save, campaign-starts-at,
//              campaign-ends-at, campaign-hour-from/-to, campaign-channel-<channel>,
//              campaign-customer-list (antd Select: click it, then the option
//              campaign-customer-list-option-<listId | none>),
//              campaign-merchant-ids, campaign-min-amount, campaign-holdout,
//              campaign-budget-total, campaign-budget-daily, campaign-customer-count-daily,
//              campaign-customer-count-lifetime, ..., campaign-submit;
//              dry run (not for coupon types; campaign-dry-run-unsupported then says why):
//              campaign-dry-run (the button), campaign-dry-run-days (number input, 1–30,
//              default 30), campaign-dry-run-result (data-rewarded, data-cost in fen,
//              data-customers, data-truncated, data-stale = the form changed since) with
//              campaign-dry-run-figure-<rewarded|customers|holdout> (data-count),
//              campaign-dry-run-figure-<cost|discount|cashback|gmv|cost-per-payment|
//              cost-per-customer> (data-fen; "" when there is nothing to divide by),
//              campaign-dry-run-truncated, campaign-dry-run-budget-exhausted (data-time),
//              campaign-dry-run-stale, campaign-dry-run-note (data-note = the server's code),
//              campaign-dry-run-chart (data-rendered), campaign-dry-run-day (data-row-id =
//              China date, data-rewarded, data-cost), campaign-dry-run-no-reward; its errors
//              show as console-error below the button;
//              list: campaign-row-customer-list (data-list-id, "" for none; the list's name);
//              detail: campaign-targeting (data-customer-list = the list id or ""; the age
//              band, inactivity and the list's name), campaign-detail (data-campaign-id,
//              data-status), campaign-to-<status>,
//              campaign-end-confirm, campaign-top-up (+ campaign-top-up-amount, -merchant,
//              -submit), campaign-edit, campaign-burn, campaign-figure-<name> (data-fen or
//              data-count); uplift vs holdout, only when eligibility.holdout_percent > 0 (no
//              call otherwise): campaign-uplift (data-uplift-bps = the server's
//              gmv_per_customer_uplift_bps, "" when null or not loaded; data-loaded),
//              campaign-uplift-refresh, campaign-uplift-value (data-bps; the signed percent),
//              campaign-uplift-none (no uplift to show), campaign-uplift-period (data-from,
//              data-to), campaign-uplift-truncated, campaign-uplift-note (data-note = the
//              server's code), per group <treated|holdout>: campaign-uplift-<group>-<customers|
//              paying-customers|payments> (data-count), campaign-uplift-<group>-conversion
//              (data-bps, floor of paying / customers), campaign-uplift-<group>-<gmv|
//              gmv-per-customer> (data-fen; "" when null); its errors show as console-error
//              inside campaign-uplift; coupon-template-new, coupon-name, coupon-kind-<kind>,
//              coupon-threshold, coupon-save, coupon-stock, coupon-per-customer, coupon-submit,
//              coupon-template-row (data-row-id) with coupon-template-claimed (data-count),
//              coupon-issue (+ coupon-issue-ids, coupon-issue-submit),
//              coupon-issue-csv-<templateId> (issue to an uploaded list: coupon-issue-csv-file,
//              the <input type=file>; coupon-issue-csv-read (data-rows, data-phones,
//              data-duplicates) or coupon-issue-csv-problem (data-problem);
//              coupon-issue-csv-start; coupon-issue-csv-progress (data-sent, data-total) with
//              coupon-issue-csv-stop; coupon-issue-csv-failed-at after an error (console-error);
//              coupon-issue-csv-summary (data-issued, data-not-found, data-invalid,
//              data-duplicates) with coupon-issue-csv-unmatched, the not-issued CSV),
//              coupon-codes-<templateId> (redeem codes: coupon-codes-count, coupon-codes-generate,
//              coupon-codes-large over 100,000, coupon-codes-over-stock, rows coupon-code-batch
//              (data-batch-id, data-count, data-redeemed) with coupon-code-batch-download)
//              offer push (定向推送; editors only; the form while scheduled, live or paused, only the
//              past pushes once ended, nothing for a draft): offer-push-card (data-mode push |
//              history), offer-push-window-days, offer-push-top-rank, offer-push-min-payments,
//              offer-push-categories and offer-push-day-parts (antd multiple Selects: click the
//              Select, then the option by its label or offer-push-category-<id> /
//              offer-push-day-part-<night|morning|noon|afternoon|evening>), offer-push-merchants,
//              offer-push-title, offer-push-body, offer-push-preview (the button) then
//              offer-push-preview-result with offer-push-preview-count (customers),
//              offer-push-preview-opted-out and offer-push-preview-already-pushed (data-count
//              each), offer-push-send (checks the form, then asks) and offer-push-send-confirm;
//              form-error inside the card (data-error-code CAMPAIGN_NOT_PUSHABLE |
//              OFFER_AUDIENCE_EMPTY | FIELD_INVALID; absent for the form's own checks);
//              offer-push-refresh, offer-push-list (data-count) with offer-push-row (data-row-id,
//              data-delivered, data-read) holding offer-push-row-time (data-time),
//              offer-push-row-title, offer-push-row-delivered, offer-push-row-read (data-count)
//              and offer-push-row-open-rate (data-permille, floor of read / delivered; "25.8%")
//   customer lists: customer-lists (the page), customer-list-name and customer-list-create
//              (the new list's form; its errors show as console-error), customer-list-row
//              (data-row-id = list id, data-name, data-members, data-campaigns = how many use
//              it) with customer-list-row-name, customer-list-members (data-count),
//              customer-list-campaign (a link; data-campaign-id), customer-list-upload,
//              customer-list-remove, customer-list-delete (+ customer-list-delete-confirm; a
//              refusal such as CUSTOMER_LIST_IN_USE shows as console-error above the table);
//              the upload dialog customer-list-dialog (data-change = add | remove) with
//              customer-list-csv-file, customer-list-csv-read (data-rows, data-phones,
//              data-duplicates) or customer-list-csv-problem (data-problem),
//              customer-list-csv-start, customer-list-csv-progress (data-sent, data-total) with
//              customer-list-csv-stop, customer-list-csv-failed-at after an error,
//              customer-list-csv-summary (data-change; data-added and data-already, or
//              data-removed and data-not-member; data-not-found, data-invalid, data-duplicates)
//              with customer-list-csv-unmatched (the unmatched numbers' CSV)
//   points:    points-program (the page), points-version (data-version; 0 = never configured),
//              points-outstanding (data-points), points-enabled (the switch), points-earn-rate,
//              points-redeem-rate, points-redeem-max, points-add-multiplier, per rule <i> (0, 1,
//              …): points-multiplier-<i> (the rule's card), points-multiplier-name-<i>,
//              points-multiplier-value-<i>, points-multiplier-categories-<i> (the tags select's
//              wrapper: click it, type an MCC, press Enter), points-multiplier-weekdays-<i> (the
//              group) with points-multiplier-weekday-<i>-<1..7> (ISO: 1 = Monday),
//              points-multiplier-segments-<i> with points-multiplier-segment-<i>-<segment>,
//              points-multiplier-starts-<i>, points-multiplier-ends-<i> (datetime-local, China
//              time, empty = no bound), points-remove-multiplier-<i>; points-save. A field the
//              form or a POINTS_INVALID_PROGRAM answer names shows its error under the field.
//   referral:  referral-program (the page), referral-version (data-version; 0 = never
//              configured), referral-updated-at (data-time), referral-spent (data-fen),
//              referral-remaining (data-fen = budget − spent, at least 0),
//              referral-figure-<invited|pending|rewarded|refused|expired|clawed_back> (data-value
//              = the count), referral-figure-<inviter_cash|invitee_cash> (data-value = fen),
//              referral-figure-<inviter_points|invitee_points> (data-value = points);
//              form: referral-enabled (the switch), referral-qualify-days, referral-min-payment
//              (yuan), referral-inviter-kind / referral-invitee-kind (antd Select; the wrapper
//              carries data-kind: click it, then the option referral-inviter-kind-<cash|points|
//              none> / referral-invitee-kind-<…>), referral-inviter-amount /
//              referral-invitee-amount (yuan for cash, whole points for points; disabled for
//              none; data-unit = the kind), referral-monthly-cap, referral-budget (yuan),
//              referral-invitee-must-verify (the switch; on by default: only a friend verified
//              by real name qualifies), referral-save; a save that fails shows form-error
//              (data-error-code = the API code, absent for the form's own checks) and the field it names shows its error below;
//              list: referral-refresh, referral-row (data-row-id = data-invitee-id, data-status,
//              data-reason "" when none) with referral-status (data-status), referral-reason,
//              referral-capped
//   lottery:   lottery-config (the page), lottery-version (data-version; 0 = never set),
//              lottery-updated-at (data-time), lottery-spent (data-fen), lottery-remaining
//              (data-fen = budget − spent, at least 0), lottery-draws (data-value = draws made);
//              form: lottery-enabled (the switch), lottery-starts-at / lottery-ends-at
//              (datetime-local, China time, empty = no bound); the prize table: lottery-prize-row
//              (data-index 0, 1, …) with lottery-prize-name, lottery-prize-kind (antd Select; the
//              wrapper carries data-kind: click it, then the option lottery-prize-kind-<cash|
//              points> in the open dropdown), lottery-prize-amount (yuan for cash, whole points
//              for points; data-unit = the kind), lottery-prize-inventory, lottery-prize-chance
//              (percent, at most two decimals), lottery-prize-remaining (data-value = what is
//              left of the saved prize of that name, "" for a row not saved), lottery-prize-remove;
//              lottery-prize-add (a points row; at most 12), lottery-chance-total (data-bps =
//              the rows' chances together, data-over) and lottery-chance-thanks (data-bps = the
//              谢谢参与 rest) below the table; lottery-payment-min (yuan; empty = off),
//              lottery-payment-draws, lottery-sign-in-draw (the switch), lottery-referral-draws,
//              lottery-daily-limit, lottery-budget (yuan), lottery-save; a save that fails shows
//              form-error (data-error-code = the API code, absent for the form's own checks) and
//              the field it names shows its error below
//   red packets: red-packets-config (the page), red-packets-version (data-version; 0 = never
//              set), red-packets-updated-at (data-time), red-packets-spent (data-fen = paid out in
//              shares), red-packets-remaining (data-fen = available: budget − spent − reserved),
//              red-packets-reserved, red-packets-returned (data-fen), red-packets-packets-sent,
//              red-packets-claims (data-value = counts); form: red-packets-enabled (the switch),
//              red-packets-starts-at / red-packets-ends-at (datetime-local, China time, empty = no
//              bound), red-packets-payment-min (yuan), red-packets-packets-daily,
//              red-packets-claims-daily, red-packets-packet-amount (yuan), red-packets-shares,
//              red-packets-valid-hours, red-packets-budget (yuan), red-packets-save; a save that
//              fails shows form-error (data-error-code = the API code, absent for the form's own
//              checks) and the field it names shows its error below; list: red-packets-refresh,
//              red-packets-row (data-row-id = packet id, data-status open|empty|expired,
//              data-claimed, data-shares)
//   risk:      review-row (data-row-id = payment id, data-state) with review-rule,
//              review-explanation, review-approve, review-reject, review-block-device,
//              review-label; reviews-state (open | all), reviews-refresh; rules: rules-active
//              (data-version), rules-shadow, rule-row, rules-edit, rules-json, rules-publish,
//              rules-publish-shadow; lists: list-kind, list-value, list-list, list-reason,
//              list-expires, list-add, list-row (data-row-id = kind:value), list-remove
//   aml:       aml-date, aml-apply, aml-large-value-csv, aml-large-value-xlsx,
//              aml-transfer-row / aml-cash-row (data-row-id = customer id), aml-cases-from,
//              aml-cases-to, aml-cases-apply, aml-cases-csv, aml-cases-xlsx, aml-case-row
//              (data-row-id = case id, data-state)
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';

import { staffSession } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { AmlReportsPage } from './AmlReportsPage';
import { AuditPage } from './AuditPage';
import { CampaignEditorPage } from './CampaignEditorPage';
import { CampaignDetailPage, CampaignsPage } from './CampaignsPage';
import { CustomerDetailPage } from './CustomerDetailPage';
import { CustomerListsPage } from './CustomerListsPage';
import { CustomersPage } from './CustomersPage';
import { DashboardPage } from './DashboardPage';
import { LedgerPage } from './LedgerPage';
import { LotteryPage } from './LotteryPage';
import { MerchantDetailPage, MerchantsPage } from './MerchantsPage';
import { PointsProgramPage } from './PointsProgramPage';
import { RedPacketsPage } from './RedPacketsPage';
import { ReferralProgramPage } from './ReferralProgramPage';
import { RiskListsPage } from './RiskListsPage';
import { RiskReviewsPage } from './RiskReviewsPage';
import { RiskRulesPage } from './RiskRulesPage';
import type { ConsolePage } from './roles';
import { SmsOutboxPage } from './SmsOutboxPage';
import { SettlementsPage } from './SettlementsPage';
import { RequirePage, StaffLayout } from './StaffLayout';
import { StaffLoginPage } from './StaffLoginPage';
import { StaffPage } from './StaffPage';

const only = (page: ConsolePage, element: ReactNode) => (
  <RequirePage page={page}>{element}</RequirePage>
);

export default function ConsoleApp() {
  const { language } = useI18n();
  const navigate = useNavigate();
  // A 401 on any call means the staff session is gone: back to the log-in page.
  useEffect(
    () => staffSession.onExpire(() => navigate('/console/login', { replace: true })),
    [navigate],
  );
  return (
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#c8102e' } }}
    >
      <Routes>
        <Route index element={<Navigate to="login" replace />} />
        <Route path="login" element={<StaffLoginPage />} />
        <Route element={<StaffLayout />}>
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="customers" element={only('customers', <CustomersPage />)} />
          <Route path="customers/:id" element={only('customers', <CustomerDetailPage />)} />
          <Route path="sms-outbox" element={only('smsOutbox', <SmsOutboxPage />)} />
          <Route path="ledger" element={only('ledger', <LedgerPage />)} />
          <Route path="staff" element={only('staff', <StaffPage />)} />
          <Route path="merchants" element={only('merchants', <MerchantsPage />)} />
          <Route path="merchants/:id" element={only('merchants', <MerchantDetailPage />)} />
          <Route path="settlements" element={only('settlements', <SettlementsPage />)} />
          <Route path="audit" element={only('audit', <AuditPage />)} />
          <Route path="campaigns" element={only('campaigns', <CampaignsPage />)} />
          <Route path="campaigns/new" element={only('campaigns', <CampaignEditorPage />)} />
          <Route path="campaigns/:id" element={only('campaigns', <CampaignDetailPage />)} />
          <Route path="campaigns/:id/edit" element={only('campaigns', <CampaignEditorPage />)} />
          <Route path="customer-lists" element={only('customerLists', <CustomerListsPage />)} />
          <Route path="points" element={only('points', <PointsProgramPage />)} />
          <Route path="referral" element={only('referral', <ReferralProgramPage />)} />
          <Route path="lottery" element={only('lottery', <LotteryPage />)} />
          <Route path="red-packets" element={only('redPackets', <RedPacketsPage />)} />
          <Route path="risk/reviews" element={only('riskReviews', <RiskReviewsPage />)} />
          <Route path="risk/rules" element={only('riskRules', <RiskRulesPage />)} />
          <Route path="risk/lists" element={only('riskLists', <RiskListsPage />)} />
          <Route path="aml" element={only('amlReports', <AmlReportsPage />)} />
        </Route>
        <Route path="*" element={<Navigate to="/console" replace />} />
      </Routes>
    </ConfigProvider>
  );
}
