// Offer pushes in the engine (定向推送): marketing ops put a campaign's offer into the inboxes of
// customers the API chose by their spending profile (PushOffer, command 78); customers read
// their messages (ReadMessages, 79) and may refuse offers chosen from their profile
// (SetOfferPreference, 80). The messages live in the read models; the engine checks each push
// against the campaign and the customers, and keeps only who refused.
#include <algorithm>
#include <string>

#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {

bool StateMachine::RefusedPersonalisedOffers(uint64_t customer_id) const {
  return std::binary_search(offer_opt_outs_.begin(), offer_opt_outs_.end(), customer_id);
}

Reply StateMachine::ApplyOffers(const Command& command) {
  Reply reply;
  MarketingResult r = MarketingResult::kOk;
  auto open_customer = [this](uint64_t id) {
    const identity::Customer* customer = customers_.FindById(id);
    return customer != nullptr && !customer->closed();
  };
  if (const auto* c = std::get_if<PushOffer>(&command)) {
    const marketing::CampaignState* campaign = campaigns_.FindCampaign(c->campaign_id);
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (campaign == nullptr) {
      r = MarketingResult::kRefused;
      reply.text = "CAMPAIGN_NOT_FOUND";
    } else if (campaign->campaign.status == marketing::CampaignStatus::kDraft ||
               campaign->campaign.status == marketing::CampaignStatus::kEnded) {
      r = MarketingResult::kRefused;
      reply.text = "CAMPAIGN_NOT_PUSHABLE";
    } else {
      OfferDelivery delivery;
      delivery.push = OfferPushRow{c->push_id, c->campaign_id, c->staff_id,   c->title,
                                   c->body,    c->audience,    batch_time_ns_};
      for (const uint64_t id : c->customers) {
        if (open_customer(id) && !RefusedPersonalisedOffers(id)) delivery.customers.push_back(id);
      }
      reply.value = delivery.customers.size();
      if (projection_ != nullptr) projection_->inbox_changes.emplace_back(std::move(delivery));
    }
  } else if (const auto* c = std::get_if<ReadMessages>(&command)) {
    if (!open_customer(c->customer_id)) {
      r = MarketingResult::kCustomerNotFound;
    } else if (projection_ != nullptr) {
      projection_->inbox_changes.emplace_back(
          InboxRead{c->customer_id, c->push_id, batch_time_ns_});
    }
  } else if (const auto* c = std::get_if<SetOfferPreference>(&command)) {
    if (!open_customer(c->customer_id)) {
      r = MarketingResult::kCustomerNotFound;
    } else {
      auto at = std::lower_bound(offer_opt_outs_.begin(), offer_opt_outs_.end(), c->customer_id);
      const bool refused = at != offer_opt_outs_.end() && *at == c->customer_id;
      if (!c->personalised && !refused) offer_opt_outs_.insert(at, c->customer_id);
      if (c->personalised && refused) offer_opt_outs_.erase(at);
    }
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::SerializeOfferOptOuts(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(offer_opt_outs_.size());
  for (const uint64_t id : offer_opt_outs_) writer.U64(id);
}

// Strictly ascending ids only: one encoding per state.
bool StateMachine::DeserializeOfferOptOuts(std::string_view bytes) {
  offer_opt_outs_.clear();
  ByteReader reader(bytes);
  const uint64_t count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 8) return false;
  offer_opt_outs_.reserve(count);
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t id = reader.U64();
    if (!offer_opt_outs_.empty() && id <= offer_opt_outs_.back()) return false;
    offer_opt_outs_.push_back(id);
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::engine
