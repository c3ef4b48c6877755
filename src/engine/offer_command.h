// Commands 78 to 80: offer pushes into customers' message inboxes (定向推送;
// engine/state_machine_offers.cc runs them). The inbox itself is a read model: the engine checks
// and journals the push, the projection writes the messages. The engine keeps only who refused
// personalised offers, so that no push can reach them.
//
//   body (type 78) := staff_id:u64 push_id:u64 campaign_id:u64 title:str body:str audience:str
//                     count:u32 customer_id:u64{count}                          (PushOffer)
//   body (type 79) := customer_id:u64 push_id:u64                            (ReadMessages)
//   body (type 80) := customer_id:u64 personalised:u8                  (SetOfferPreference)
//
// Each answers one MarketingResult; kRefused carries a stable code in Reply::text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qb::engine {

// Marketing ops put a campaign's offer in the listed customers' inboxes (one part of a push:
// the API sends a large audience in parts sharing `push_id`, each at most
// kMaxItemsPerCommand customers). `audience` is the API's description of how they were chosen
// (JSON), kept with the push. Customers who refused personalised offers, closed ones and
// unknown ids are skipped; Reply::value is how many were given the message (the read model
// also skips a customer who already has this campaign's offer). kRefused with
// CAMPAIGN_NOT_FOUND, or CAMPAIGN_NOT_PUSHABLE while the campaign is a draft or has ended.
// Audited as campaign.offer_pushed.
struct PushOffer {
  uint64_t staff_id = 0;
  uint64_t push_id = 0;
  uint64_t campaign_id = 0;
  std::string title;
  std::string body;
  std::string audience;
  std::vector<uint64_t> customers;
};
inline constexpr size_t kMaxOfferTitleBytes = 160;  // 40 characters of Chinese in UTF-8
inline constexpr size_t kMaxOfferBodyBytes = 800;
inline constexpr size_t kMaxOfferAudienceBytes = 4'096;
inline constexpr size_t kMaxOfferPushCustomers = 8'190;

// A customer read one message of their inbox (`push_id`), or all of them (0). The engine only
// checks the customer; the read model marks the messages.
struct ReadMessages {
  uint64_t customer_id = 0;
  uint64_t push_id = 0;
};

// A customer turns offers chosen from their spending profile on or off (PIPL art. 24: they may
// refuse marketing by automated profiling). Off keeps them out of every later push.
struct SetOfferPreference {
  uint64_t customer_id = 0;
  bool personalised = true;
};

}  // namespace qb::engine
