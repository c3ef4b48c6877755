// The state machine's ResealSecrets (command 53, engine/reseal_command.h): compare-and-swap of
// stored CardVault blobs. Same class and rules as state_machine.cc; the engine never opens a
// blob, it only checks that the resealer saw what is stored now.
#include "engine/state_machine.h"

namespace qb::engine {
namespace {

// Replaces *stored with the item's replacement when it still holds the expected blob.
ResealResult Swap(std::string* stored, const SealedValue& item) {
  if (stored == nullptr || stored->empty()) return ResealResult::kNotFound;
  if (*stored != item.expected) return ResealResult::kChanged;
  *stored = item.replacement;
  return ResealResult::kOk;
}

}  // namespace

std::string* StateMachine::SealedSlot(const SealedValue& item) {
  switch (item.field) {
    case SealedField::kResidentId:
    case SealedField::kCardPan:
    case SealedField::kTotpSecret: {
      identity::Customer* customer = customers_.MutableById(item.owner_id);
      if (customer == nullptr) return nullptr;
      if (item.field == SealedField::kTotpSecret) return &customer->totp_secret_sealed;
      if (item.field == SealedField::kResidentId) {
        return customer->identity ? &customer->identity->id_sealed : nullptr;
      }
      for (identity::BoundCard& card : customer->cards) {
        if (card.id == item.item_id) return &card.pan_sealed;
      }
      return nullptr;
    }
    case SealedField::kSettlementAccount:
    case SealedField::kApiKeySecret: {
      payments::Merchant* merchant = payments_.MutableMerchant(item.owner_id);
      if (merchant == nullptr) return nullptr;
      if (item.field == SealedField::kSettlementAccount) {
        return &merchant->profile.settlement_account_sealed;
      }
      for (payments::ApiKey& key : merchant->api_keys) {
        if (key.key_id == item.key_id) return &key.secret_sealed;
      }
      return nullptr;
    }
    case SealedField::kPaymentDeviceSecret: {
      if (item.item_id > UINT32_MAX) return nullptr;
      payments::PaymentDevice* device =
          payments_.MutableDeviceBySlot(static_cast<uint32_t>(item.item_id));
      if (device == nullptr || device->customer_id != item.owner_id) return nullptr;
      return &device->secret_sealed;
    }
  }
  return nullptr;
}

Reply StateMachine::ApplyReseal(const ResealSecrets& command) {
  Reply reply;
  for (const SealedValue& item : command.items) {
    ResealResult result = ResealResult::kInvalid;
    if (!item.expected.empty() && item.replacement.size() == item.expected.size() &&
        item.replacement != item.expected) {
      result = Swap(SealedSlot(item), item);
    }
    reply.results.push_back(static_cast<uint8_t>(result));
  }
  return reply;
}

}  // namespace qb::engine
