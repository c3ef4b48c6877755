// The JSON shapes the wallet API shares between its route files (api_contract: Customer, Card,
// balance, HistoryEntry, CustomerSummary). Pure functions of their inputs: no engine, no store.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/command.h"
#include "identity/card.h"
#include "identity/identity_verifier.h"
#include "identity/phone.h"
#include "identity/tier_limits.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

constexpr std::string_view kCurrency = "CNY";
constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// The bank's names for a card. The BIN table is keyed by six-digit prefixes, so first6 finds
// the issuer; should the table change under a stored card, the stored code still shows.
struct BankNames {
  std::string zh;
  std::string en;
};

BankNames BankNamesOf(std::string_view first6, std::string_view bank_code) {
  const identity::CardIssuer issuer = identity::CardBrandAndBank(first6);
  if (issuer.bank_code == bank_code) {
    return BankNames{std::string(issuer.bank_name), std::string(bank_code)};
  }
  return BankNames{std::string(bank_code), std::string(bank_code)};
}

// "工商银行" for "中国工商银行": the history line's short form. "中国银行" keeps its prefix, since
// what would remain ("银行") names no bank.
std::string ShortBankName(std::string_view name) {
  constexpr std::string_view kChina = "中国";
  constexpr size_t kMinRestBytes = 4 * 3;  // Four CJK characters.
  if (name.starts_with(kChina) && name.size() - kChina.size() >= kMinRestBytes) {
    name.remove_prefix(kChina.size());
  }
  return std::string(name);
}

std::string_view HistoryType(const ledger::Transfer& transfer, bool incoming) {
  switch (transfer.code) {
    case engine::kTransferCodeP2P:
      return incoming ? "p2p_in" : "p2p_out";
    case engine::kTransferCodeTopUp:
      return "top_up";
    case engine::kTransferCodeWithdrawal:
      return "withdrawal";
    case ledger::transfer_codes::kPayment:
      return "payment";
    case ledger::transfer_codes::kRefund:
      return "refund";
    // A campaign's cashback (pending while held) and a refund taking it back.
    case ledger::transfer_codes::kCashback:
    case ledger::transfer_codes::kCashbackReversal:
      return "cashback";
    // A friend referral's cash reward, and a refund taking it back.
    case ledger::transfer_codes::kReferralCash:
    case ledger::transfer_codes::kReferralCashClawback:
      return "referral";
    case ledger::transfer_codes::kLotteryCash:
      return "lottery";
    case ledger::transfer_codes::kRedPacketCash:
      return "red_packet";
    default:
      return "other";
  }
}

std::string_view HistoryStatusName(HistoryStatus status) {
  switch (status) {
    case HistoryStatus::kPosted:
      return "completed";
    case HistoryStatus::kPending:
      return "processing";
    case HistoryStatus::kVoided:
      return "failed";
  }
  return "failed";
}

api::JsonObjectWriter CounterpartyJson(const HistoryEntry& entry) {
  api::JsonObjectWriter counterparty;
  if (entry.counterparty_customer) {
    const CustomerRow& row = *entry.counterparty_customer;
    std::string display = identity::MaskPhone(row.phone);
    if (!row.real_name_masked.empty()) display.append(" ").append(row.real_name_masked);
    counterparty.String("kind", "customer").String("display", display);
  } else if (entry.card) {
    const CardRow& card = *entry.card;
    std::string display = ShortBankName(BankNamesOf(card.first6, card.bank_code).zh);
    display.append(" 尾号").append(card.last4);
    counterparty.String("kind", "card").String("display", display);
  } else if (entry.merchant) {
    counterparty.String("kind", "merchant").String("display", entry.merchant->legal_name);
  } else {
    counterparty.String("kind", "other").String("display", "");
  }
  return counterparty;
}

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

}  // namespace

void CivilFromDays(int64_t days, int64_t* year, int64_t* month, int64_t* day) {
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const int64_t day_of_era = days - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}

std::string Rfc3339(int64_t unix_ns) {
  const int64_t seconds = FloorDiv(unix_ns, kNsPerSecond);
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t second_of_day = seconds - days * kSecondsPerDay;
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  CivilFromDays(days, &year, &month, &day);
  char text[40];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(year), static_cast<long long>(month),
                static_cast<long long>(day), static_cast<long long>(second_of_day / 3600),
                static_cast<long long>(second_of_day / 60 % 60),
                static_cast<long long>(second_of_day % 60));
  return text;
}

api::JsonObjectWriter CustomerJson(const identity::Customer& customer,
                                   const identity::TierPolicy& policy, int64_t now_ns) {
  // The spending window rolls over lazily (on the next payment), so a window from another day
  // or year means nothing was spent in this one yet.
  const identity::SpendingWindow& spending = customer.spending;
  const int64_t spent_today =
      spending.day_number == identity::ChinaDayNumber(now_ns) ? spending.spent_today_fen : 0;
  const int64_t spent_this_year =
      spending.year == identity::ChinaYear(now_ns) ? spending.spent_this_year_fen : 0;
  api::JsonObjectWriter limits;
  limits.Amount("balance_cap", policy.balance_cap_fen)
      .Amount("per_payment", policy.per_payment_fen)
      .Amount("per_day", policy.per_day_fen)
      .Amount("per_year", policy.per_year_fen)
      .Amount("spent_today", spent_today)
      .Amount("spent_this_year", spent_this_year)
      .String("currency", kCurrency);

  api::JsonObjectWriter json;
  json.String("id", std::to_string(customer.id))
      .String("phone", customer.phone)
      .String("tier", identity::TierName(customer.tier));
  if (customer.identity) {
    json.String("real_name_masked", identity::MaskRealName(customer.identity->real_name))
        .String("resident_id_masked", customer.identity->id_masked);
  } else {
    json.Null("real_name_masked").Null("resident_id_masked");
  }
  json.String("channel", customer.channel)
      .String("registered_at", Rfc3339(customer.registered_ns))
      .Object("limits", std::move(limits));
  return json;
}

api::JsonObjectWriter CardJson(const identity::BoundCard& card) {
  // The PAN's length is not kept, so the middle is a fixed run of stars: the mask shows only
  // what PCI DSS 3.3 allows, first 6 and last 4.
  const BankNames names = BankNamesOf(card.first6, card.bank_code);
  api::JsonObjectWriter json;
  json.String("id", std::to_string(card.id))
      .String("bank", names.zh)
      .String("bank_en", names.en)
      .String("masked", card.first6 + "******" + card.last4)
      .String("first6", card.first6)
      .String("last4", card.last4)
      .String("bound_at", Rfc3339(card.bound_ns));
  return json;
}

api::JsonObjectWriter BalanceJson(const ledger::Account& wallet) {
  // A wallet is a liability: its balance is credits minus debits, posted. Pending debits
  // (withdrawals on their way) are no longer available; pending credits (top-ups the bank has
  // not confirmed) are not yet.
  const int64_t balance = wallet.credits_posted - wallet.debits_posted;
  api::JsonObjectWriter json;
  json.Amount("balance", balance)
      .Amount("available", balance - wallet.debits_pending)
      .Amount("pending_in", wallet.credits_pending)
      .Amount("pending_out", wallet.debits_pending)
      .String("currency", kCurrency);
  return json;
}

api::JsonObjectWriter HistoryEntryJson(const HistoryEntry& entry, uint64_t account_id) {
  const ledger::Transfer& transfer = entry.transfer;
  const bool incoming = transfer.credit_account_id == account_id;
  api::JsonObjectWriter json;
  json.String("id", std::to_string(transfer.id))
      .String("type", HistoryType(transfer, incoming))
      .String("direction", incoming ? "in" : "out")
      .Amount("amount", transfer.amount)
      .String("currency", kCurrency)
      .String("status", HistoryStatusName(entry.status))
      .Object("counterparty", CounterpartyJson(entry));
  if (entry.memo.empty()) {
    json.Null("memo");
  } else {
    json.String("memo", entry.memo);
  }
  json.String("created_at", Rfc3339(transfer.timestamp_ns));
  return json;
}

api::JsonObjectWriter CustomerSummaryJson(const CustomerRow& row) {
  api::JsonObjectWriter json;
  // A closed account's record holds its phone masked already (the number is released).
  json.String("id", std::to_string(row.id))
      .String("phone_masked", row.closed_ns != 0 ? row.phone : identity::MaskPhone(row.phone));
  if (row.real_name_masked.empty()) {
    json.Null("real_name_masked");
  } else {
    json.String("real_name_masked", row.real_name_masked);
  }
  json.String("tier", identity::TierName(static_cast<identity::WalletTier>(row.tier)))
      .String("channel", row.channel)
      .String("registered_at", Rfc3339(row.registered_ns));
  if (row.closed_ns != 0) {
    json.String("closed_at", Rfc3339(row.closed_ns));
  } else {
    json.Null("closed_at");
  }
  return json;
}

}  // namespace qb::wallet
