// Account closure (PIPL art. 47: the customer may close the account and have what only served
// it erased). The engine closes a wallet only when it holds nothing, posted or pending, and
// only with a code sent to the customer's phone, so a stolen session alone cannot close it.
//
// What closing erases and what it keeps:
// - Erased at once: the password and payment PIN hashes, the TOTP secret and recovery codes,
//   bound cards (sealed PANs and bank tokens), every session. The caller removes device keys
//   and remembered devices, which other books hold.
// - Released: the phone (another customer may register it; the record keeps it masked) and
//   the real-name identity's one-wallet rule (the same person may open a new wallet).
// - Kept: the sealed real-name identity, the masked phone and the history, which the
//   Anti-Money Laundering Law (art. 19) requires for five years after the relationship ends.
// - Purged after those five years (PurgeIdentities, through the engine command
//   PurgeClosedIdentities, which the server submits every hour): the identity and the masked
//   phone. What remains (id, tier, channel, dates, the ledger's entries under the wallet
//   account) names no one.
//
// Encoding of the closures trailer, after the TOTP trailer (see customer_book.cc):
//   closures := closed_count:u64 closure*   (ascending customer id; closed_count >= 1, or 0
//               when a facts trailer follows)
//   closure  := customer_id:u64 closed_ns:i64
// A closed customer holds no password, PIN, TOTP state or card; Deserialize refuses one that
// does.
#include <absl/strings/string_view.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "identity/customer_book.h"
#include "identity/customer_book_internal.h"
#include "identity/phone.h"

namespace qb::identity {
namespace {

absl::string_view Key(std::string_view text) { return absl::string_view(text.data(), text.size()); }

bool HoldsSecrets(const Customer& c) {
  return !c.password_hash.empty() || !c.pin_hash.empty() || c.pin_failed != 0 ||
         c.pin_locked_until_ns != 0 || c.pin_lock_level != 0 || c.totp_state != TotpState::kOff ||
         !c.totp_secret_sealed.empty() || !c.recovery_code_hashes.empty() || c.totp_failed != 0 ||
         c.totp_locked_until_ns != 0 || c.totp_last_step != kNoTotpStep || !c.cards.empty();
}

void EraseSecrets(Customer* c) {
  c->password_hash.clear();
  c->failed_logins = 0;
  c->locked_until_ns = 0;
  c->pin_hash.clear();
  c->pin_failed = 0;
  c->pin_locked_until_ns = 0;
  c->pin_lock_level = 0;
  c->totp_state = TotpState::kOff;
  c->totp_secret_sealed.clear();
  c->totp_last_step = kNoTotpStep;
  c->recovery_code_hashes.clear();
  c->totp_failed = 0;
  c->totp_locked_until_ns = 0;
  c->cards.clear();
}

}  // namespace

IdentityResult CustomerBook::Close(uint64_t customer_id, std::string_view otp_hash, int64_t now_ns,
                                   std::vector<std::string>* revoked_sessions) {
  if (otp_hash.empty() || now_ns <= 0) return IdentityResult::kInvalid;
  Customer* c = MutableById(customer_id);
  if (c == nullptr) return IdentityResult::kCustomerNotFound;
  if (c->closed()) return IdentityResult::kCustomerClosed;
  const IdentityResult code = ConsumeOtp(c->phone, OtpPurpose::kCloseAccount, otp_hash, now_ns);
  if (code != IdentityResult::kOk) return code;

  customer_by_phone_.erase(Key(c->phone));
  c->phone = MaskPhone(c->phone);
  if (c->identity) customer_by_identity_.erase(Key(c->identity->id_lookup_hash));
  for (const BoundCard& card : c->cards) customer_by_card_.erase(Key(card.lookup_hash));
  EraseSecrets(c);
  c->closed_ns = now_ns;
  closed_unpurged_.emplace(now_ns, customer_id);
  for (std::string& hash : sessions_.HashesOf(customer_id)) {
    sessions_.Revoke(hash);
    if (revoked_sessions != nullptr) revoked_sessions->push_back(std::move(hash));
  }
  return IdentityResult::kOk;
}

void CustomerBook::PurgeIdentities(int64_t now_ns, size_t limit,
                                   std::vector<std::pair<uint64_t, int64_t>>* purged) {
  const int64_t cutoff = now_ns - kClosedIdentityRetentionNs;
  for (size_t done = 0; done < limit && !closed_unpurged_.empty(); done++) {
    const auto [closed_ns, id] = *closed_unpurged_.begin();
    if (closed_ns > cutoff) break;
    closed_unpurged_.erase(closed_unpurged_.begin());
    Customer* c = MutableById(id);
    c->identity.reset();
    c->phone.clear();
    purged->emplace_back(id, closed_ns);
  }
}

bool CustomerBook::AnyClosed() const {
  for (const auto& [id, c] : customers_) {
    if (c.closed()) return true;
  }
  return false;
}

void CustomerBook::SerializeClosures(ByteWriter* w, bool force) const {
  std::vector<uint64_t> ids;
  for (const auto& [id, c] : customers_) {
    if (c.closed()) ids.push_back(id);
  }
  if (ids.empty() && !force) return;
  std::sort(ids.begin(), ids.end());
  w->U64(ids.size());
  for (uint64_t id : ids) {
    w->U64(id);
    w->I64(customers_.at(id).closed_ns);
  }
}

bool CustomerBook::DeserializeClosures(ByteReader* r) {
  const uint64_t count = r->U64();
  // An empty trailer only before a facts trailer: equal states encode to equal bytes.
  if (!r->ok() || (count == 0 && r->remaining() == 0) || count > customers_.size()) return false;
  uint64_t previous_id = 0;
  for (uint64_t i = 0; i < count && r->ok(); i++) {
    Customer* c = NextListedCustomer(this, r, &previous_id);
    if (c == nullptr) return false;
    c->closed_ns = r->I64();
    if (c->closed_ns <= 0 || HoldsSecrets(*c)) return false;
    // A purged record (PurgeIdentities) has no phone, and then no identity either.
    const bool purged = c->phone.empty();
    if (purged && c->identity) return false;
    if (!purged) closed_unpurged_.emplace(c->closed_ns, c->id);
  }
  return r->ok();
}

bool CustomerBook::IndexOpenCustomers() {
  customer_by_phone_.clear();
  customer_by_identity_.clear();
  for (const auto& [id, c] : customers_) {
    if (c.closed()) continue;
    if (!customer_by_phone_.emplace(c.phone, id).second) return false;
    if (c.identity && !customer_by_identity_.emplace(c.identity->id_lookup_hash, id).second) {
      return false;
    }
  }
  return true;
}

}  // namespace qb::identity
