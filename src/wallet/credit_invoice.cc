// Red-letter invoices (红字发票), as the 全面数字化电子发票 system does them: each refund of a
// payment with a (blue) invoice gets a red invoice for the refunded amount that names the blue
// invoice's number. Refunds the blue invoice already left out (those made before it was asked
// for) owe none; see BlueInvoiceOwing.
//
// The red invoice is asked for right after the refund (IssueCreditInvoiceAfterRefund) and, since
// the platform may be down then, again by a periodic catch-up (IssueOwedCreditInvoices) until
// the engine has it. Both ask with the same request: request_id "red-<refund id>" and the
// refund's own time as the time of issue, so every retry answers the same invoice and the
// engine's one-per-refund rule (kDuplicate) absorbs any race between them.
#include <string>
#include <vector>

#include "engine/engine.h"
#include "invoice/invoice_provider.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using engine::PaymentResult;

constexpr int64_t kProjectionWaitNs = int64_t{5} * 1'000'000'000;
// Refunds handled per catch-up run; the next run goes on.
constexpr size_t kCatchUpBatch = 100;

enum class IssueOutcome : uint8_t { kRecorded, kPlatformFailed, kRefused };

IssueOutcome IssueCreditInvoice(WalletContext& context, const RefundRow& refund,
                                const InvoiceRow& blue) {
  const WalletServices& services = Services(context);
  invoice::InvoiceRequest ask;
  ask.request_id = "red-" + std::to_string(refund.id);
  ask.payment_id = std::to_string(refund.payment_id);
  ask.seller_name = blue.seller_name;
  ask.seller_tax_id = blue.seller_tax_id;
  ask.buyer_title = blue.buyer_title;
  ask.buyer_tax_id = blue.buyer_tax_id;
  ask.item_name = blue.item_name;
  ask.amount_fen = refund.amount_fen;
  ask.tax_rate_bp = blue.tax_rate_bp;
  ask.issued_ns = refund.created_ns;
  ask.original_number = blue.number;
  const std::string refund_text = std::to_string(refund.id);
  invoice::IssuedInvoice issued;
  if (Status s = services.invoices->Issue(ask, &issued); !s.ok()) {
    LogError("red-letter invoice not issued",
             {{"refund_id", refund_text}, {"error", s.ToString()}});
    return s.code() == Status::Code::kInvalidArgument ? IssueOutcome::kRefused
                                                      : IssueOutcome::kPlatformFailed;
  }
  const CreditInvoiceRow row{
      issued.number,    refund.id,        refund.payment_id,    blue.number,
      blue.merchant_id, blue.customer_id, ask.amount_fen,       issued.tax_fen,
      ask.tax_rate_bp,  ask.issued_ns,    issued.issued_locally};
  const engine::Reply reply = services.engine->Execute(engine::RecordCreditInvoice{refund.id, row});
  if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
    LogError("red-letter invoice not recorded", {{"refund_id", refund_text}});
    return IssueOutcome::kPlatformFailed;  // The engine is busy or stopping: try again later.
  }
  const auto code = static_cast<PaymentResult>(reply.results[0]);
  if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) {
    LogError("red-letter invoice refused by the engine",
             {{"refund_id", refund_text}, {"result", engine::PaymentResultName(code)}});
    return IssueOutcome::kRefused;
  }
  if (code == PaymentResult::kOk) {
    LogInfo("red-letter invoice", {{"refund_id", refund_text}, {"number", issued.number}});
  }
  return IssueOutcome::kRecorded;
}

// The blue invoice a refund owes a red invoice against, or nullopt when it owes none. The blue
// invoice states the payment less the refunds made before it was asked for: the refund owes one
// when the refunds before it (oldest first) already add up to payment - blue. (Amounts, not
// times: a refund that lands while the blue invoice is being issued is counted exactly once.)
std::optional<InvoiceRow> BlueInvoiceOwing(Store& store, const RefundRow& refund) {
  std::optional<InvoiceRow> blue;
  std::optional<PaymentRow> payment;
  std::vector<RefundRow> refunds;
  if (!store.ReadInvoiceOfPayment(refund.payment_id, &blue).ok() || !blue ||
      !store.ReadPayment(refund.payment_id, &payment).ok() || !payment ||
      !store.ListRefunds(refund.payment_id, &refunds).ok()) {
    return std::nullopt;
  }
  int64_t before_fen = 0;
  for (const RefundRow& r : refunds) {
    if (r.id == refund.id) break;
    before_fen += r.amount_fen;  // At most the payment's amount: no overflow.
  }
  if (before_fen < payment->amount_fen - blue->amount_fen) return std::nullopt;
  return blue;
}

}  // namespace

void IssueCreditInvoiceAfterRefund(WalletContext& context, uint64_t refund_id, uint64_t payment_id,
                                   uint64_t seq) {
  RunOnWorker(
      context,
      [&context, refund_id, payment_id, seq]() {
        if (!WaitForProjection(context, seq, kProjectionWaitNs)) return;  // The catch-up will.
        Store& store = *Services(context).store;
        std::optional<InvoiceRow> probe;
        // Most payments have no invoice: one indexed read and done.
        if (!store.ReadInvoiceOfPayment(payment_id, &probe).ok() || !probe) return;
        std::vector<RefundRow> refunds;
        if (!store.ListRefunds(payment_id, &refunds).ok()) return;
        for (const RefundRow& refund : refunds) {
          if (refund.id != refund_id) continue;
          if (std::optional<InvoiceRow> blue = BlueInvoiceOwing(store, refund)) {
            IssueCreditInvoice(context, refund, *blue);
          }
        }
      },
      [](HttpResponse) {});
}

size_t IssueOwedCreditInvoices(WalletContext& context) {
  Store& store = *Services(context).store;
  std::vector<RefundRow> owed;
  if (Status s = store.ListRefundsOwingCreditInvoice(kCatchUpBatch, &owed); !s.ok()) {
    LogError("red-letter catch-up: refunds unreadable", {{"error", s.ToString()}});
    return 0;
  }
  size_t recorded = 0;
  for (const RefundRow& refund : owed) {
    std::optional<InvoiceRow> blue = BlueInvoiceOwing(store, refund);
    if (!blue) continue;
    const IssueOutcome outcome = IssueCreditInvoice(context, refund, *blue);
    if (outcome == IssueOutcome::kPlatformFailed) break;  // Down: the next run tries again.
    if (outcome == IssueOutcome::kRecorded) recorded++;
  }
  if (recorded > 0) LogInfo("red-letter catch-up", {{"recorded", std::to_string(recorded)}});
  return recorded;
}

}  // namespace qb::wallet
