// Cache hints a batch ahead. A Double-11 payment touches some twenty entries of hash tables
// keyed by a random customer (the customer, the wallet account, the payment and transfer ids,
// the risk engine's velocity, profile and amount tables), most of them far from any cache, and
// looked up one after another each costs a full memory latency (more in a virtual machine,
// where a TLB miss walks two page tables). The engine applies the commands of a batch in order,
// so it knows the next payments early: while it applies one, it asks for the index slots of the
// payment two commands on and for the entries of the next one, and the misses overlap with
// useful work instead of stalling it.
//
// Only hints: nothing here changes the state, and a hint for a customer or account that does
// not exist costs nothing but the load.
#include "engine/risk_command.h"
#include "engine/state_machine.h"

namespace qb::engine {

void StateMachine::Prefetch(const Command& command, PrefetchStage stage) const {
  const auto* c = std::get_if<Pay>(&command);
  if (c == nullptr || c->customer_id == 0) return;
  risk::Payment event;
  event.customer = c->customer_id;
  event.merchant = c->merchant_id;
  event.device = RiskDeviceId(c->auth.device_hash);  // as the risk check names them
  event.ip = RiskDeviceId(c->auth.ip_hash);
  if (stage == PrefetchStage::kIndex) {
    customers_.Prefetch(c->customer_id);
    payments_.PrefetchPayment(c->payment_id);
    ledger_.PrefetchTransfer(c->payment_id);
    customers_paid_.prefetch(c->customer_id);
    // The records a payment adds, each to a table keyed by the payment id, and the tables it
    // reads by merchant and coupon.
    payment_marketing_.prefetch(c->payment_id);
    campaigns_.PrefetchPayment(c->payment_id, c->coupon_id);
    points_.PrefetchPayment(c->payment_id);
    payments_.PrefetchMerchant(c->merchant_id);
    paid_at_merchant_.prefetch(std::pair{c->customer_id, c->merchant_id});
    if (risk_.on()) risk_.engine().PrefetchIndex(event);
    return;
  }
  if (const identity::Customer* customer = customers_.FindById(c->customer_id)) {
    // A customer spans several cache lines, and a payment reads fields from most of them (the
    // tier and spending window, the identity, the channel, the closure).
    const char* bytes = reinterpret_cast<const char*>(customer);
    for (size_t at = 0; at < sizeof(identity::Customer); at += 64) __builtin_prefetch(bytes + at);
    ledger_.PrefetchAccount(customer->wallet_account_id);
  }
  if (const payments::Merchant* merchant = payments_.FindMerchant(c->merchant_id)) {
    ledger_.PrefetchAccount(merchant->account_id);
    __builtin_prefetch(merchant->profile.credit_code.data());  // its region, for targeting
  }
  if (risk_.on()) risk_.engine().PrefetchEntries(event);
}

}  // namespace qb::engine
