// The merchant portal under /merchant: antd, desktop.
//
// Routes (URL paths):
//   /merchant/login          portal log-in (username + password); link to apply
//   /merchant/apply          self-service application → "pending review"
//   /merchant/dashboard      status, static QR (PNG/SVG download, print)
//   /merchant/orders         orders: create (amount, description) → QR + checkout link; close
//   /merchant/charge         charge a customer's payment code; waits for confirmation if needed
//   /merchant/payments       payments; /merchant/payments/:id with refunds, the refund form and
//                            the e-invoice (PDF download) if the customer asked for one
//   /merchant/reports        sales report: date range, day/week, totals, charts (ECharts, loaded
//                            lazily), CSV / XLSX export
//   /merchant/settlements    T+1 settlements with each business day's takings
//   /merchant/co-funding     the campaigns it co-funded (联合营销): its money in, cost, return
//   /merchant/webhooks       webhook signing secret (owner: reveal, copy), deliveries with each
//                            attempt's log, send again
//   /merchant/api-keys       API keys: issue (secret shown once), list, revoke   (owner)
//   /merchant/users          portal users: add (cashier or owner), disable / enable (owner)
// The merchant session is its own (api/session.ts: merchantSession), separate from customer and
// staff sessions. Without it, or after any 401, every page goes to /merchant/login.
//
// Test ids (data-testid); antd puts them on the native <input>/<button>; table rows carry the
// row id in data-row-id. Errors show as "merchant-error" with the API code in data-error-code;
// client-side checks as "merchant-form-message".
//   login:     merchant-username, merchant-password, merchant-login-submit, merchant-apply-link
//   apply:     apply-legal-name, apply-credit-code, apply-category, apply-bank-code,
//              apply-account, apply-contact-phone, apply-username, apply-password, apply-submit,
//              merchant-apply-pending (data-merchant-id)
//   frame:     merchant-menu-<path> (dashboard, orders, charge, payments, reports,
//              settlements, co-funding, webhooks, api-keys, users),
//              merchant-user, merchant-logout
//   dashboard: merchant-status (data-status), merchant-id, merchant-static-qr (<img>),
//              merchant-qr-png, merchant-qr-svg, merchant-qr-print
//   orders:    order-amount, order-description, order-no, order-notify-url, order-return-url,
//              order-submit, order-list,
//              order-row (data-row-id = order id, data-status, data-order-no) with order-status,
//              order-show-qr, order-close; the QR dialog: order-qr-panel (data-order-id),
//              order-qr-amount, order-qr (<img>), order-qr-download, order-checkout-link,
//              order-qr-close
//   charge:    charge-code, charge-amount, charge-submit, charge-result (data-status =
//              completed | awaiting_confirmation | cancelled, data-payment-id)
//   payments:  merchant-payment-row (data-row-id, data-status, data-amount-fen,
//              data-refunded-fen; click opens the detail), payments-refresh, payments-next
//   detail:    merchant-payment-detail (data-payment-id, data-status, data-refunded-fen),
//              merchant-payment-status, merchant-payment-refunded, merchant-refund-row
//              (data-row-id, data-fen), refund-partial, refund-full, refund-amount,
//              refund-reason, refund-submit; merchant-invoice (data-invoice-number, data-fen)
//              with merchant-invoice-download, or merchant-invoice-none
//   reports:   reports-from, reports-to (<input type="date">, fill "2026-11-23"),
//              reports-period-day, reports-period-week, reports-query, reports-export-csv,
//              reports-export-xlsx, reports-result (data-from, data-to, data-period, data-rows),
//              reports-total-<field> (data-value; payment_count, gross, refunds, fees, net,
//              average_ticket, unique_customers, repeat_customers), reports-trend-chart,
//              reports-channel-chart (each wraps an ECharts <canvas>; data-rendered="true"
//              once drawn)
//   settlements: merchant-settlements (data-loaded), settlement-row (data-row-id, data-status,
//              data-fen, data-business-date)
//   co-funding: merchant-co-funding (data-loaded), co-funding-row (data-row-id = campaign id,
//              data-settled, data-funded, data-cost, data-returned)
//   webhooks:  webhook-secret-reveal, webhook-secret (data-scheme), webhook-secret-hide
//              (owner only), webhooks-refresh, webhook-row (data-row-id = event id, data-state,
//              data-attempts) with webhook-state and webhook-resend, webhook-log with
//              webhook-attempt (data-outcome, data-http-status), webhook-resent
//   api keys:  api-key-issue, api-key-issued (data-key-id) with api-key-secret,
//              api-key-dismiss, api-key-row (data-row-id), api-key-revoke
//   users:     user-add-username, user-add-name, user-add-password, user-add-role-cashier,
//              user-add-role-owner, user-add-submit, user-added (data-user-id),
//              merchant-users (data-loaded), merchant-user-row (data-row-id, data-username,
//              data-role, data-status = active | disabled) with user-username, user-status,
//              user-disable or user-enable; the confirm's OK button: user-status-confirm
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';

import { merchantSession } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { MerchantApiKeysPage } from './MerchantApiKeysPage';
import { MerchantApplyPage } from './MerchantApplyPage';
import { MerchantChargePage } from './MerchantChargePage';
import { MerchantCoFundingPage } from './MerchantCoFundingPage';
import { MerchantDashboardPage } from './MerchantDashboardPage';
import { MerchantLayout, RequireMerchantOwner } from './MerchantLayout';
import { MerchantLoginPage } from './MerchantLoginPage';
import { MerchantOrdersPage } from './MerchantOrdersPage';
import { MerchantPaymentDetailPage, MerchantPaymentsPage } from './MerchantPaymentsPage';
import { MerchantSettlementsPage } from './MerchantSettlementsPage';
import { MerchantUsersPage } from './MerchantUsersPage';

// ECharts is large: only the reports page needs it, so it comes in its own chunk; so does the
// rarely opened webhooks page.
const MerchantReportsPage = lazy(() => import('./MerchantReportsPage'));
const MerchantWebhooksPage = lazy(() => import('./MerchantWebhooksPage'));

export default function MerchantApp() {
  const { language } = useI18n();
  const navigate = useNavigate();
  // A 401 on any call means the merchant session is gone: back to the log-in page.
  useEffect(
    () => merchantSession.onExpire(() => navigate('/merchant/login', { replace: true })),
    [navigate],
  );
  return (
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#c8102e' } }}
    >
      <Routes>
        <Route index element={<Navigate to="login" replace />} />
        <Route path="login" element={<MerchantLoginPage />} />
        <Route path="apply" element={<MerchantApplyPage />} />
        <Route element={<MerchantLayout />}>
          <Route path="dashboard" element={<MerchantDashboardPage />} />
          <Route path="orders" element={<MerchantOrdersPage />} />
          <Route path="charge" element={<MerchantChargePage />} />
          <Route path="payments" element={<MerchantPaymentsPage />} />
          <Route path="payments/:id" element={<MerchantPaymentDetailPage />} />
          <Route
            path="reports"
            element={
              <Suspense fallback={<Spin />}>
                <MerchantReportsPage />
              </Suspense>
            }
          />
          <Route path="settlements" element={<MerchantSettlementsPage />} />
          <Route path="co-funding" element={<MerchantCoFundingPage />} />
          <Route
            path="webhooks"
            element={
              <Suspense fallback={<Spin />}>
                <MerchantWebhooksPage />
              </Suspense>
            }
          />
          <Route
            path="api-keys"
            element={
              <RequireMerchantOwner>
                <MerchantApiKeysPage />
              </RequireMerchantOwner>
            }
          />
          <Route
            path="users"
            element={
              <RequireMerchantOwner>
                <MerchantUsersPage />
              </RequireMerchantOwner>
            }
          />
        </Route>
        <Route path="*" element={<Navigate to="/merchant" replace />} />
      </Routes>
    </ConfigProvider>
  );
}
