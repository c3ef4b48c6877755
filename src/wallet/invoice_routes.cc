// E-invoices (电子发票): the customer asks for one for a completed payment (title, optional tax
// id); the merchant's invoice is issued through the InvoiceProvider, recorded through the engine
// (one per payment) and rendered as a PDF both sides can download.
//
// The invoice covers what the customer finally paid: the amount less any refunds at the time of
// issue. Each refund after that gets a red-letter invoice (红字发票, credit_invoice.cc); the
// payment's invoice answer lists them, and the PDF routes serve them by number too.
#include <memory>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "invoice/invoice_pdf.h"
#include "invoice/invoice_provider.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;

struct InvoiceItem {
  std::string_view name;
  uint32_t tax_rate_bp;
};

// What a merchant of each category invoices (税收分类 short names) and at which VAT rate.
InvoiceItem ItemFor(std::string_view category) {
  if (category == "catering") return {"*餐饮服务*餐费", 600};
  if (category == "supermarket" || category == "convenience" || category == "department_store" ||
      category == "online_retail") {
    return {"*日用杂品*商品", 1300};
  }
  if (category == "transport") return {"*运输服务*客运服务费", 900};
  if (category == "fuel") return {"*汽油*成品油", 1300};
  if (category == "utilities") return {"*供电*电费", 1300};
  if (category == "telecom") return {"*电信服务*通信费", 600};
  if (category == "education") return {"*生活服务*培训费", 600};
  if (category == "health") return {"*医疗服务*医疗费", 600};
  if (category == "travel_hotel") return {"*住宿服务*住宿费", 600};
  return {"*现代服务*服务费", 600};
}

api::JsonObjectWriter InvoiceJson(const InvoiceRow& r) {
  api::JsonObjectWriter json;
  json.String("number", r.number)
      .String("payment_id", std::to_string(r.payment_id))
      .String("title", r.buyer_title)
      .String("tax_id", r.buyer_tax_id)
      .String("seller_name", r.seller_name)
      .String("seller_tax_id", r.seller_tax_id)
      .String("item", r.item_name)
      .Amount("amount", r.amount_fen)
      .Amount("tax", r.tax_fen)
      .Amount("amount_excl_tax", r.amount_fen - r.tax_fen)
      .Int("tax_rate_bp", r.tax_rate_bp)
      .String("currency", "CNY")
      .String("issued_at", Rfc3339(r.issued_ns))
      .Bool("issued_locally", r.issued_locally);
  return json;
}

api::JsonObjectWriter CreditInvoiceJson(const CreditInvoiceRow& r) {
  api::JsonObjectWriter json;
  json.String("number", r.number)
      .String("original_number", r.original_number)
      .String("refund_id", std::to_string(r.refund_id))
      .Amount("amount", r.amount_fen)
      .Amount("tax", r.tax_fen)
      .String("currency", "CNY")
      .String("issued_at", Rfc3339(r.issued_ns))
      .Bool("issued_locally", r.issued_locally);
  return json;
}

// A red-letter invoice prints the blue one's parties and item with its own amounts.
InvoiceRow RedAsPrinted(const InvoiceRow& blue, const CreditInvoiceRow& red) {
  InvoiceRow printed = blue;
  printed.number = red.number;
  printed.amount_fen = red.amount_fen;
  printed.tax_fen = red.tax_fen;
  printed.tax_rate_bp = red.tax_rate_bp;
  printed.issued_ns = red.issued_ns;
  printed.issued_locally = red.issued_locally;
  return printed;
}

HttpResponse PdfResponse(const InvoiceRow& r, const CreditInvoiceRow* red = nullptr) {
  invoice::IssuedInvoice doc;
  doc.request.request_id = red != nullptr ? "red-" + std::to_string(red->refund_id)
                                          : "inv-" + std::to_string(r.payment_id);
  if (red != nullptr) doc.request.original_number = red->original_number;
  doc.request.payment_id = std::to_string(r.payment_id);
  doc.request.seller_name = r.seller_name;
  doc.request.seller_tax_id = r.seller_tax_id;
  doc.request.buyer_title = r.buyer_title;
  doc.request.buyer_tax_id = r.buyer_tax_id;
  doc.request.item_name = r.item_name;
  doc.request.amount_fen = r.amount_fen;
  doc.request.tax_rate_bp = r.tax_rate_bp;
  doc.request.issued_ns = r.issued_ns;
  doc.number = r.number;
  doc.tax_fen = r.tax_fen;
  doc.amount_excl_tax_fen = r.amount_fen - r.tax_fen;
  doc.issued_locally = r.issued_locally;
  HttpResponse response;
  Status s = invoice::RenderInvoicePdf(doc, &response.body);
  if (!s.ok()) {
    LogError("invoice PDF failed", {{"error", s.ToString()}});
    return ErrorResponse(ErrorCode::kInternal, "the invoice PDF could not be drawn");
  }
  response.content_type = "application/pdf";
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"invoice-" + r.number + ".pdf\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// Reads an invoice from the read models after every durable write, then `then` (a worker).
void WithInvoice(WalletContext& context, const Responder& respond,
                 std::function<Status(Store&, std::optional<InvoiceRow>*)> read,
                 std::function<void(std::optional<InvoiceRow>)> then) {
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, durable, respond, read = std::move(read), then = std::move(then)]() {
        WaitForProjection(context, durable, kReadWaitNs);
        std::optional<InvoiceRow> row;
        if (!read(*Services(context).store, &row).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read invoices now"));
        }
        then(std::move(row));
      },
      respond);
}

struct PaymentAndMerchant {
  std::optional<payments::Payment> payment;
  std::optional<payments::Merchant> merchant;
};

void RequestInvoice(WalletContext& context, const Principal& principal, HttpRequest&& request,
                    Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string title = reader.RequiredString("title", invoice::kMaxNameCodePoints);
  std::string tax_id =
      reader
          .OptionalString("tax_id", invoice::kMaxBuyerTaxIdLength, api::TextPolicy::kSingleLine, 0)
          .value_or("");
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  for (char& c : tax_id) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const uint64_t customer_id = principal.id;
  ReadEngine<PaymentAndMerchant>(
      context, respond,
      [id = *id](const engine::StateMachine& state) {
        PaymentAndMerchant found;
        if (const payments::Payment* p = state.payments().FindPayment(id)) {
          found.payment = *p;
          if (const payments::Merchant* m = state.payments().FindMerchant(p->merchant_id)) {
            found.merchant = *m;
          }
        }
        return found;
      },
      [&context, customer_id, title = std::move(title), tax_id = std::move(tax_id),
       respond](PaymentAndMerchant found) {
        if (!found.payment || !found.merchant || found.payment->customer_id != customer_id) {
          return respond(PaymentError(PaymentResult::kPaymentNotFound));
        }
        const payments::Payment& payment = *found.payment;
        if (!payment.invoice_number.empty()) {
          // One invoice per payment: the one issued already.
          return WithInvoice(
              context, respond,
              [id = payment.id](Store& store, std::optional<InvoiceRow>* row) {
                return store.ReadInvoiceOfPayment(id, row);
              },
              [respond](std::optional<InvoiceRow> row) {
                if (!row) return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "retry"));
                respond(api::JsonResponse(200, InvoiceJson(*row)));
              });
        }
        if (payment.state != payments::PaymentState::kCompleted) {
          return respond(PaymentError(PaymentResult::kPaymentNotCompleted));
        }
        if (payment.refunded_fen >= payment.amount_fen) {
          return respond(ErrorResponse(ErrorCode::kConflict,
                                       "the payment was refunded in full: nothing to invoice"));
        }
        const InvoiceItem item = ItemFor(found.merchant->profile.category);
        invoice::InvoiceRequest ask;
        ask.request_id = "inv-" + std::to_string(payment.id);
        ask.payment_id = std::to_string(payment.id);
        ask.seller_name = found.merchant->profile.legal_name;
        ask.seller_tax_id = found.merchant->profile.credit_code;
        ask.buyer_title = title;
        ask.buyer_tax_id = tax_id;
        ask.item_name = std::string(item.name);
        ask.amount_fen = payment.amount_fen - payment.refunded_fen;
        ask.tax_rate_bp = item.tax_rate_bp;
        ask.issued_ns = Services(context).clock->NowNs();
        if (Status s = invoice::ValidateInvoiceRequest(ask); !s.ok()) {
          return respond(ErrorResponse(ErrorCode::kFieldInvalid, s.message()));
        }
        RunOnWorker(
            context,
            [&context, customer_id, ask = std::move(ask), merchant_id = payment.merchant_id,
             respond]() {
              invoice::IssuedInvoice issued;
              Status s = Services(context).invoices->Issue(ask, &issued);
              if (!s.ok()) {
                LogError("invoice not issued", {{"error", s.ToString()}});
                if (s.code() == Status::Code::kInvalidArgument) {
                  return respond(ErrorResponse(ErrorCode::kConflict,
                                               "an invoice with other details exists already"));
                }
                return respond(ErrorResponse(ErrorCode::kInvoiceUnavailable,
                                             "the invoice platform is unavailable; retry"));
              }
              InvoiceRow row{issued.number,
                             std::stoull(ask.payment_id),
                             merchant_id,
                             customer_id,
                             issued.request.buyer_title,
                             issued.request.buyer_tax_id,
                             issued.request.seller_name,
                             issued.request.seller_tax_id,
                             issued.request.item_name,
                             issued.request.amount_fen,
                             issued.tax_fen,
                             issued.request.tax_rate_bp,
                             issued.request.issued_ns,
                             issued.issued_locally};
              SubmitCommand(context, engine::RecordInvoice{customer_id, row}, respond,
                            [row, respond](uint8_t result, const engine::Reply&) {
                              const auto code = static_cast<PaymentResult>(result);
                              if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) {
                                return respond(PaymentError(code));
                              }
                              respond(api::JsonResponse(201, InvoiceJson(row)));
                            });
            },
            respond);
      });
}

bool Owns(const InvoiceRow& row, uint64_t customer_id, uint64_t merchant_id) {
  return (customer_id == 0 || row.customer_id == customer_id) &&
         (merchant_id == 0 || row.merchant_id == merchant_id);
}

// The invoice of a payment, with its red-letter invoices, for its customer (customer_id != 0)
// or merchant.
void InvoiceOfPayment(WalletContext& context, const HttpRequest& request, uint64_t customer_id,
                      uint64_t merchant_id, Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  auto credits = std::make_shared<std::vector<CreditInvoiceRow>>();
  WithInvoice(
      context, respond,
      [id = *id, credits](Store& store, std::optional<InvoiceRow>* row) {
        Status s = store.ReadInvoiceOfPayment(id, row);
        if (s.ok() && *row) s = store.ListCreditInvoices(id, credits.get());
        return s;
      },
      [customer_id, merchant_id, credits, respond](std::optional<InvoiceRow> row) {
        if (!row || !Owns(*row, customer_id, merchant_id)) {
          return respond(ErrorResponse(ErrorCode::kInvoiceNotFound, "no invoice for this payment"));
        }
        api::JsonArrayWriter list;
        for (const CreditInvoiceRow& red : *credits) list.Object(CreditInvoiceJson(red));
        api::JsonObjectWriter json = InvoiceJson(*row);
        json.Array("credit_invoices", std::move(list));
        respond(api::JsonResponse(200, json));
      });
}

// A blue invoice, or a red-letter one (printed with its blue invoice's parties), by number.
void InvoicePdf(WalletContext& context, const HttpRequest& request, uint64_t customer_id,
                uint64_t merchant_id, Responder respond) {
  std::string number(request.PathParam("number"));
  auto red = std::make_shared<std::optional<CreditInvoiceRow>>();
  WithInvoice(
      context, respond,
      [number, red](Store& store, std::optional<InvoiceRow>* row) {
        Status s = store.ReadInvoice(number, row);
        if (!s.ok() || *row) return s;
        s = store.ReadCreditInvoice(number, red.get());
        if (s.ok() && *red) s = store.ReadInvoice((*red)->original_number, row);
        return s;
      },
      [customer_id, merchant_id, red, respond](std::optional<InvoiceRow> row) {
        if (!row || !Owns(*row, customer_id, merchant_id)) {
          return respond(ErrorResponse(ErrorCode::kInvoiceNotFound, "no such invoice"));
        }
        if (*red) return respond(PdfResponse(RedAsPrinted(*row, **red), &**red));
        respond(PdfResponse(*row));
      });
}

}  // namespace

void AddInvoiceRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add("POST", "/api/v1/me/payments/{id}/invoice",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) {
                 RequestInvoice(*shared, *principal, std::move(request), std::move(respond));
               }
             });
  router.Add("GET", "/api/v1/me/payments/{id}/invoice",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) InvoiceOfPayment(*shared, request, principal->id, 0, respond);
             });
  router.Add("GET", "/api/v1/me/invoices/{number}/pdf",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) InvoicePdf(*shared, request, principal->id, 0, respond);
             });
  router.Add("GET", "/api/v1/merchant/payments/{id}/invoice",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) InvoiceOfPayment(*shared, request, 0, caller->merchant_id, respond);
             });
  router.Add("GET", "/api/v1/merchant/invoices/{number}/pdf",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) InvoicePdf(*shared, request, 0, caller->merchant_id, respond);
             });
}

}  // namespace qb::wallet
