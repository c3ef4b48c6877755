// Offer pushes through the engine (commands 78 to 80): a push reaches only a pushable campaign's
// open customers who did not refuse personalised offers; the read model holds one message per
// customer and campaign, marks reads in command order, and is rebuilt the same from the journal;
// the refusals survive a restart and count in the state hash.
#include <gtest/gtest.h>

#include <vector>

#include "marketing_fixture.h"

namespace qb::engine::testing {
namespace {

class OfferPushTest : public MarketingTest {
 protected:
  uint8_t Push(uint64_t push_id, uint64_t campaign, std::vector<uint64_t> customers) {
    return Marketing(PushOffer{staff_, push_id, campaign, "午餐满减", "工作日午餐满30减5",
                               R"({"window_days":30})", std::move(customers)});
  }
  InboxPage Inbox(uint64_t customer, std::optional<uint64_t> before = std::nullopt,
                  size_t limit = 20) {
    InboxPage page;
    EXPECT_TRUE(store_->ListInbox(customer, before, limit, &page).ok());
    return page;
  }
  std::vector<uint64_t> PushIds(const InboxPage& page) {
    std::vector<uint64_t> ids;
    for (const InboxMessageRow& m : page.messages) ids.push_back(m.push_id);
    return ids;
  }
  bool Refused(uint64_t customer) {
    bool refused = false;
    Query([&](const StateMachine& s) { refused = s.RefusedPersonalisedOffers(customer); });
    return refused;
  }
};

TEST_F(OfferPushTest, APushReachesOnlyOpenCustomersWhoTakePersonalisedOffers) {
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  const uint64_t carol = SignUp("13800138003");
  marketing::Campaign config = MakeCampaign(marketing::CampaignType::kInstantDiscount, 10'000);
  ASSERT_EQ(Marketing(CreateCampaign{staff_, config}), Code(MarketingResult::kOk));
  const uint64_t draft = last_value_;
  EXPECT_EQ(Push(1, draft, {alice}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_NOT_PUSHABLE");
  EXPECT_EQ(Push(1, 999, {alice}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_NOT_FOUND");
  EXPECT_EQ(Marketing(PushOffer{staff_ + 9, 1, draft, "t", "b", "", {alice}}),
            Code(MarketingResult::kStaffNotFound));
  const uint64_t live = StartCampaign(config);

  EXPECT_EQ(Marketing(SetOfferPreference{bob, false}), Code(MarketingResult::kOk));
  EXPECT_TRUE(Refused(bob));
  EXPECT_EQ(Marketing(SetOfferPreference{carol + 9, false}),
            Code(MarketingResult::kCustomerNotFound));
  ASSERT_EQ(Push(7, live, {alice, bob, carol, carol + 9}), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 2u);  // alice and carol: bob refused, the last is nobody
  // Bob turns them back on: the next push reaches him, and nobody twice for one campaign.
  EXPECT_EQ(Marketing(SetOfferPreference{bob, true}), Code(MarketingResult::kOk));
  EXPECT_FALSE(Refused(bob));
  ASSERT_EQ(Push(8, live, {alice, bob}), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 2u);  // the engine lets both through; the read model skips alice

  // Ended: no more pushes.
  ASSERT_EQ(Marketing(TransitionCampaign{staff_, live, marketing::CampaignStatus::kEnded}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(Push(9, live, {alice}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_NOT_PUSHABLE");

  StopEngine();  // Drains the projection.
  EXPECT_EQ(PushIds(Inbox(alice)), std::vector<uint64_t>{7});
  EXPECT_EQ(PushIds(Inbox(bob)), std::vector<uint64_t>{8});
  EXPECT_EQ(PushIds(Inbox(carol)), std::vector<uint64_t>{7});
  const InboxPage page = Inbox(alice);
  ASSERT_EQ(page.messages.size(), 1u);
  EXPECT_EQ(page.messages[0].campaign_id, live);
  EXPECT_EQ(page.messages[0].title, "午餐满减");
  EXPECT_EQ(page.messages[0].body, "工作日午餐满30减5");
  EXPECT_EQ(page.messages[0].read_ns, 0);
  EXPECT_EQ(page.unread, 1);
  std::vector<OfferPushRow> pushes;
  ASSERT_TRUE(store_->ListOfferPushes(live, &pushes).ok());
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[0].id + pushes[1].id, 15u);
  for (const OfferPushRow& p : pushes) {
    EXPECT_EQ(p.delivered, p.id == 7 ? 2 : 1) << p.id;
    EXPECT_EQ(p.audience, R"({"window_days":30})");
    EXPECT_EQ(p.staff_id, staff_);
  }
  std::vector<uint64_t> recipients;
  ASSERT_TRUE(store_->ListOfferRecipients(live, &recipients).ok());
  EXPECT_EQ(recipients, (std::vector<uint64_t>{alice, bob, carol}));

  OpenEngine();
  ExpectSameAfterRestart();
}

TEST_F(OfferPushTest, ReadsMarkMessagesInCommandOrder) {
  const uint64_t alice = SignUp("13800138001");
  std::vector<uint64_t> campaigns;
  for (int i = 0; i < 3; i++) {
    campaigns.push_back(
        StartCampaign(MakeCampaign(marketing::CampaignType::kInstantDiscount, 10'000)));
  }
  ASSERT_EQ(Push(11, campaigns[0], {alice}), Code(MarketingResult::kOk));
  clock_.Advance(kSecond);
  ASSERT_EQ(Push(12, campaigns[1], {alice}), Code(MarketingResult::kOk));
  clock_.Advance(kSecond);
  EXPECT_EQ(Marketing(ReadMessages{alice, 11}), Code(MarketingResult::kOk));
  EXPECT_EQ(Marketing(ReadMessages{alice, 0}), Code(MarketingResult::kOk));  // all so far
  // Delivered after the read of all: stays unread, even when projected with it in one batch.
  ASSERT_EQ(Push(13, campaigns[2], {alice}), Code(MarketingResult::kOk));
  EXPECT_EQ(Marketing(ReadMessages{alice + 9, 0}), Code(MarketingResult::kCustomerNotFound));
  StopEngine();

  InboxPage page = Inbox(alice);
  EXPECT_EQ(PushIds(page), (std::vector<uint64_t>{13, 12, 11}));  // newest first
  EXPECT_EQ(page.unread, 1);
  EXPECT_EQ(page.messages[0].read_ns, 0);
  EXPECT_EQ(page.messages[1].read_ns, kStartNs + 2 * kSecond);
  EXPECT_EQ(page.messages[2].read_ns, kStartNs + 2 * kSecond);  // its first read
  // Paging: two, then the rest below the cursor.
  page = Inbox(alice, std::nullopt, 2);
  EXPECT_EQ(PushIds(page), (std::vector<uint64_t>{13, 12}));
  ASSERT_TRUE(page.next_cursor.has_value());
  page = Inbox(alice, page.next_cursor, 2);
  EXPECT_EQ(PushIds(page), std::vector<uint64_t>{11});
  EXPECT_FALSE(page.next_cursor.has_value());

  // The inbox is derived from the journal alone: rebuilt, it is the same.
  const InboxPage before = Inbox(alice);
  ASSERT_TRUE(store_->ResetReadModels().ok());
  EXPECT_TRUE(Inbox(alice).messages.empty());
  OpenEngine();  // Re-projects the journal before it starts.
  StopEngine();
  const InboxPage after = Inbox(alice);
  EXPECT_EQ(after.messages, before.messages);
  EXPECT_EQ(after.unread, before.unread);
}

TEST_F(OfferPushTest, RefusalsSurviveARestartAndCountInTheStateHash) {
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  const Digest before = Hash();
  ASSERT_EQ(Marketing(SetOfferPreference{bob, false}), Code(MarketingResult::kOk));
  EXPECT_NE(Hash(), before);
  ASSERT_EQ(Marketing(SetOfferPreference{alice, false}), Code(MarketingResult::kOk));
  ASSERT_EQ(Marketing(SetOfferPreference{alice, false}), Code(MarketingResult::kOk));  // no-op
  ExpectSameAfterRestart();  // from the journal
  EXPECT_TRUE(Refused(alice));
  EXPECT_TRUE(Refused(bob));
  // From a checkpoint: serialized and loaded, the same state.
  std::string bytes;
  Query([&](const StateMachine& s) { s.Serialize(&bytes); });
  StateMachine loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes, true));
  EXPECT_EQ(loaded.StateHash(), Hash());
  EXPECT_TRUE(loaded.RefusedPersonalisedOffers(alice));
  // Both on again: nothing is left to keep, and the state still loads the same.
  ASSERT_EQ(Marketing(SetOfferPreference{alice, true}), Code(MarketingResult::kOk));
  ASSERT_EQ(Marketing(SetOfferPreference{bob, true}), Code(MarketingResult::kOk));
  EXPECT_FALSE(Refused(alice));
  bytes.clear();
  Query([&](const StateMachine& s) { s.Serialize(&bytes); });
  StateMachine reloaded;
  ASSERT_TRUE(reloaded.Deserialize(bytes, true));
  EXPECT_EQ(reloaded.StateHash(), Hash());
  EXPECT_FALSE(reloaded.RefusedPersonalisedOffers(bob));
  ExpectSameAfterRestart();
}

}  // namespace
}  // namespace qb::engine::testing
