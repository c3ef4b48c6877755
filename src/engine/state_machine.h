// The engine's state and the only code that changes it. Pure: no threads, clock, randomness or
// I/O, so the live engine, recovery, `qianbao verify` and the simulation tests all drive this
// same object and must reach the same StateHash.
//
// Use: BeginBatch(time), Apply(command) for each command in journal order, EndBatch().
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "audit/audit_chain.h"
#include "base/digest.h"
#include "base/huge_page_allocator.h"
#include "engine/command.h"
#include "engine/risk_state.h"
#include "engine/risk_tap.h"
#include "identity/customer_book.h"
#include "identity/known_devices.h"
#include "ledger/ledger.h"
#include "lottery/lottery_book.h"
#include "marketing/campaign_book.h"
#include "marketing/co_funding.h"
#include "marketing/coupon_codes.h"
#include "mfa/device_key_book.h"
#include "points/points_book.h"
#include "redpacket/redpacket_book.h"
#include "referral/referral_book.h"
#include "store/store.h"

namespace qb::engine {

// At most this many timed-out holds are voided at the start of one batch, so a burst of
// expiries cannot stall the engine; the rest go in the next batches. It is part of the
// replayed semantics, like the rules themselves: changing it changes how old journals replay,
// so it is a constant and not a setting.
inline constexpr size_t kMaxExpirationsPerBatch = 10'000;
// Likewise for expired sessions, one-time codes and sending rates (identity books' Sweep).
inline constexpr size_t kMaxSweepsPerBatch = 10'000;

// What marketing gave one payment, kept as long as the payment (the campaign book drops its own
// record once the payment is fully refunded). While the payment awaits confirmation only
// coupon_id is set: the coupon the customer chose. Once completed: the coupon redeemed (0 if
// none was), the discounts (the customer paid amount − discount_fen, and refunds are bounded by
// that) and the cashback paid at once. Payments marketing gave nothing have no entry.
struct PaymentMarketing {
  uint64_t coupon_id = 0;
  int64_t discount_fen = 0;
  int64_t cashback_fen = 0;
  bool operator==(const PaymentMarketing&) const = default;
};

class StateMachine {
 public:
  StateMachine() = default;

  // Starts a batch at `batch_time_ns`: pending transfers that have timed out are voided first.
  // If `projection` is given, the batch's changes are added to it by EndBatch.
  void BeginBatch(int64_t batch_time_ns, Projection* projection);
  Reply Apply(const Command& command);
  void EndBatch();
  // Cache hints for a command the batch will apply soon (state_machine_prefetch.cc): the engine
  // calls kIndex two commands ahead and kEntries one ahead, so the memory a payment needs is
  // on its way while the commands before it run. They change nothing.
  enum class PrefetchStage : uint8_t { kIndex, kEntries };
  void Prefetch(const Command& command, PrefetchStage stage) const;

  // Rejects commands that must never reach the journal (empty or oversized).
  static bool IsValid(const Command& command);

  const ledger::Ledger& ledger() const { return ledger_; }
  ledger::Ledger& mutable_ledger() { return ledger_; }
  // Sizes the big tables up front (as TigerBeetle allocates everything at start): the ledger's
  // accounts and transfers, and the per-payment records of payments, campaigns and points. A
  // hint only: tables still grow past it.
  void Reserve(size_t accounts, size_t transfers, size_t payments);
  const identity::CustomerBook& customers() const { return customers_; }
  const identity::StaffBook& staff() const { return staff_; }
  const payments::PaymentBook& payments() const { return payments_; }
  const identity::TierPolicies& tier_policies() const { return tier_policies_; }
  const mfa::DeviceKeyBook& device_keys() const { return device_keys_; }
  // Campaigns, coupons and the rewards of payments (state_machine_marketing.cc).
  const marketing::CampaignBook& campaigns() const { return campaigns_; }
  // The points programme and what payments earned and redeemed (state_machine_points.cc).
  const points::PointsBook& points() const { return points_; }
  // Points the payment would earn if the customer paid `paid_fen` of it in cash now: the API's
  // quote. 0 for an unknown customer or merchant.
  int64_t QuotePointsEarned(uint64_t customer_id, uint64_t merchant_id, int64_t paid_fen,
                            int64_t time_ns) const;
  // The customer's points balance (0 before their first points).
  int64_t PointsBalance(uint64_t customer_id) const;
  // The referral programme and every referral (state_machine_referral.cc).
  const referral::ReferralBook& referrals() const { return referrals_; }
  // The lottery: its configuration, chances and draws (state_machine_lottery.cc).
  const lottery::LotteryBook& lottery() const { return lottery_; }
  // Group red packets: the programme, packets sent and shares claimed
  // (state_machine_redpacket.cc).
  const redpacket::RedPacketBook& red_packets() const { return red_packets_; }
  // Redeem-code batches (state_machine_coupon_codes.cc).
  const marketing::CouponCodeBook& coupon_codes() const { return coupon_codes_; }
  // Campaigns merchants co-funded: who put in what, who got what back (state_machine_marketing.cc).
  const marketing::CoFundingBook& co_funding() const { return co_funding_; }
  // Whether the customer refused offers chosen from their spending profile (SetOfferPreference,
  // state_machine_offers.cc): no offer push reaches them.
  bool RefusedPersonalisedOffers(uint64_t customer_id) const;
  // The open customer an invite code names, 0 for none.
  uint64_t InviterOf(std::string_view invite_code) const;
  // Null when marketing gave the payment nothing (and it names no coupon).
  const PaymentMarketing* FindPaymentMarketing(uint64_t payment_id) const;
  // What marketing would give a payment by this customer to this merchant at `time_ns` (the
  // API passes its clock: a read-only batch keeps the last batch's time), committing nothing:
  // the API's checkout quote. The device is unknown here (campaigns with a
  // device cap skip it) and the random-range seed is the payment id 0's, so a quote can differ
  // from what the payment itself later gets. An empty plan for an unknown customer or merchant.
  marketing::Plan QuoteMarketing(uint64_t customer_id, uint64_t merchant_id,
                                 payments::PaymentChannel channel, int64_t amount_fen,
                                 uint64_t coupon_id, int64_t time_ns) const;
  // The audit log's growing end: the seq and hash of its last entry (the rows themselves are
  // projected to the read models).
  const audit::AuditChain& audit_chain() const { return audit_; }
  int64_t batch_time_ns() const { return batch_time_ns_; }
  // The risk engine, its rule sets, lists and reviews (state_machine_risk.cc).
  const RiskState& risk() const { return risk_; }
  // An observer of every risk event recorded and every list change (engine/risk_tap.h), for
  // tools such as the backtest; not state. nullptr (the default, and the server's): none.
  void SetRiskTap(RiskTap* tap) { risk_tap_ = tap; }

  // A customer as the read models hold them (verification compares the two).
  static CustomerRow CustomerRowOf(const identity::Customer& customer);

  // Back to the empty state of a new engine.
  void Reset();

  // The ledger's, the customer, staff and payment books' hashes and the audit head, hashed
  // together.
  Digest StateHash() const;
  // state := (length:u64 part){4} for the ledger, customers, staff and payments (each module
  // documents its own encoding), then [length:u64 audit_seq:u64 audit_head:u8[32]] only once
  // the audit chain has an entry, so states from before it keep their bytes and old
  // checkpoints load as an empty chain. Later trailers (known devices, device keys, marketing:
  // see Serialize in state_machine.cc) follow the same rule. `with_payments` false reads the older
  // layout ledger_bytes:u64 ledger customer_bytes:u64 customers staff, from before payments.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes, bool with_payments = true);

 private:
  // What a payment does with points (state_machine_points.cc): redeem `redeem` points worth
  // `discount_fen` (both 0 for none), and earn on what is paid in cash when `earn`.
  struct PointsCharge {
    int64_t redeem = 0;
    int64_t discount_fen = 0;
    bool earn = true;
  };
  void Touch(uint64_t account_id);
  Reply Dispatch(const Command& command);
  Reply ApplyIdentity(const Command& command);
  Reply ApplyPaymentPin(const Command& command);    // SetPaymentPin, RecordPinAttempt.
  Reply ApplyTotp(const Command& command);          // BeginTotpEnrolment, ConfirmTotp, UseTotp.
  Reply ApplyReseal(const ResealSecrets& command);  // state_machine_reseal.cc
  // The stored blob a ResealSecrets item names; null when nothing is stored there.
  std::string* SealedSlot(const SealedValue& item);
  // Device keys (state_machine_device_keys.cc): commands 48 to 51, and their audit entries.
  static bool IsDeviceKeyCommand(const Command& command);
  Reply ApplyDeviceKeys(const Command& command);
  Reply ApplyCloseCustomer(const CloseCustomer& command);            // state_machine_closure.cc
  Reply ApplyPurgeClosedIdentities();                                // state_machine_closure.cc
  Reply ApplyPayOutClosedRefund(const PayOutClosedRefund& command);  // state_machine_closure.cc
  // Marketing (state_machine_marketing.cc): commands 55 to 61, the ledger accounts of
  // campaigns, the first-payment facts pricing needs, and the checkpoint trailer.
  static bool IsMarketingCommand(const Command& command);
  Reply ApplyMarketing(const Command& command);
  // Staff marketing actions that succeeded, as audit entries (a customer's claim is not one).
  void AuditMarketing(const Command& command, const Reply& reply);
  MarketingResult ApplyCreateCampaign(const CreateCampaign& command, Reply* reply);
  MarketingResult ApplyUpdateCampaign(const UpdateCampaign& command, Reply* reply);
  MarketingResult ApplyTransitionCampaign(const TransitionCampaign& command, Reply* reply);
  MarketingResult ApplyFundCampaign(const FundCampaign& command, Reply* reply);
  MarketingResult ApplyEditCustomerList(const EditCustomerList& command, int64_t now_s,
                                        Reply* reply);
  // Marketing is on once a campaign exists; before that it adds nothing to the state.
  bool marketing_on() const { return !campaigns_.campaigns().empty(); }
  // The campaign book has state to keep (checkpoint, state hash): a campaign, or a custom list
  // ever created (lists may come before the first campaign, and turn nothing on).
  bool marketing_kept() const {
    return marketing_on() || campaigns_.customer_lists().ever_created();
  }
  void EnsureMarketingExpenseAccount();
  // A programme's budget account (referral, lottery, red packets: kCampaignBudget, no
  // overdraft) moves by `change`: raised, marketing expense funds it (kCampaignFunding);
  // lowered, it returns the difference (kCampaignRelease). Creates the account on first use.
  // The transfer's id is derived from `version` and `purpose`.
  void MoveProgramBudget(uint64_t account_id, int64_t change, uint64_t version,
                         std::string_view purpose);
  // Marketing's first campaign: the first-payment facts of the payments made before it.
  void RecordEarlierPayments();
  void NotePaid(uint64_t customer_id, uint64_t merchant_id);
  void SerializeMarketing(std::string* out) const;
  bool DeserializeMarketing(std::string_view bytes);
  // Marketing in payments (state_machine_marketing_payments.cc). The plan for a payment about to
  // move; false when marketing gives it nothing.
  bool QuotePayment(const payments::Payment& payment, uint64_t coupon_id,
                    std::string_view device_hash, marketing::Plan* plan) const {
    return QuotePaymentAt(payment, coupon_id, device_hash, batch_time_ns_, plan);
  }
  // The same at `time_ns` (a quote outside a batch).
  bool QuotePaymentAt(const payments::Payment& payment, uint64_t coupon_id,
                      std::string_view device_hash, int64_t time_ns, marketing::Plan* plan) const;
  // The payment's one linked chain (see MoveMoney), with the plan's rewards when `plan` is set.
  // *budget_short: the chain failed only because a campaign budget lacked the money.
  PaymentResult ChargePayment(const payments::Payment& payment, bool from_hold,
                              const marketing::Plan* plan, const PointsCharge& points,
                              bool* budget_short);
  // A refund's share of the payment's rewards, as transfers appended to the refund's chain
  // (merchant → budget for discounts, `customer_account_id` → budget for cashback: the wallet,
  // or the closed-refund account once the wallet has closed); returns what the merchant gives
  // back beyond the refund itself.
  int64_t AppendReversals(const payments::Payment& payment, int64_t refunded_after_fen,
                          uint64_t refund_id, uint64_t customer_account_id,
                          absl::InlinedVector<ledger::Transfer, 2>* chain);
  // The customer's closed-refund account (kClosedRefundAccountBase), created on first use.
  uint64_t EnsureClosedRefundAccount(uint64_t customer_id);
  // After the refund's chain went through: the campaign book reverses the same shares, and
  // what comes back to an ended campaign goes on to its funders (ReturnToFunders).
  void ReverseRewards(const payments::Payment& payment, int64_t refund_fen, uint64_t refund_id,
                      std::span<const ledger::Transfer> reversals);
  // Held cashback (state_machine_cashback.cc). The id of the pending transfer that holds what
  // is left of reward `index` of the payment once `reversed_fen` of it went back: a refund
  // during the hold voids the hold and holds the rest anew under the next id.
  static uint64_t HeldCashbackId(uint64_t payment_id, size_t index, int64_t reversed_fen);
  // After a payment's chain went through: remembers its held rewards for release.
  void NoteCashbackHolds(uint64_t payment_id);
  // Posts the holds due at the batch time: every one (up to `limit`), or with `payment_id`
  // only that payment's (before a refund, so the ledger agrees with the book that a hold past
  // its release time is released). Returns how many were posted.
  size_t ReleaseDueCashback(uint64_t payment_id, size_t limit);
  Reply ApplyReleaseCashback();
  void RebuildCashbackHolds();
  // Points (state_machine_points.cc).
  Reply ApplySetPointsProgram(const SetPointsProgram& command);
  // The points a Pay asks to redeem, priced: kOk with `charge` filled, or why not.
  PaymentResult PricePoints(uint64_t customer_id, int64_t points, int64_t amount_fen,
                            PointsCharge* charge) const;
  // Appends the points transfers of a payment paying `cash_fen` to its chain: the redemption
  // (customer → pool, and marketing expense → merchant for its worth) and what it earns (pool
  // → customer). Returns the points earned.
  int64_t AppendPoints(const payments::Payment& payment, const PointsCharge& charge,
                       int64_t cash_fen, absl::InlinedVector<ledger::Transfer, 2>* chain);
  // After the chain went through: the payment's record, for refunds.
  void RecordPoints(const payments::Payment& payment, const PointsCharge& charge, int64_t cash_fen,
                    int64_t earned);
  // A refund's points shares, appended to its chain (skipped for a closed customer but for the
  // merchant's share of the worth); returns what the merchant gives back beyond the refund.
  int64_t AppendPointsReversals(const payments::Payment& payment, int64_t refunded_after_fen,
                                uint64_t refund_id, bool customer_closed,
                                absl::InlinedVector<ledger::Transfer, 2>* chain,
                                int64_t* clawed_back, points::RefundShares* shares);
  // Account closure: the points the customer holds go back to the pool.
  void ForfeitPoints(uint64_t customer_id);
  void EnsurePointsAccounts(uint64_t customer_id);
  // Referrals (state_machine_referral.cc). A registration with an inviter makes a referral,
  // refused at once on the inviter's own device or when the risk rules did not allow the
  // registration; a completed payment that may qualify one is settled after the command's own
  // risk event (SettleReferral); a refund below the minimum claws the rewards back.
  Reply ApplySetReferralProgram(const SetReferralProgram& command);
  void NoteReferral(uint64_t invitee_id, uint64_t inviter_id, std::string_view device_hash,
                    bool risk_allowed);
  void NoteQualifyingPayment(const payments::Payment& payment, std::string_view device_hash,
                             bool rewards_denied);
  void SettleReferral();
  void ClawBackReferral(const payments::Payment& payment, int64_t refunded_after_fen);
  struct ReferralDue {
    uint64_t payment_id = 0;
    uint64_t invitee_id = 0;
    std::string device_hash;
    bool rewards_denied = false;
  };
  // The lottery (state_machine_lottery.cc): commands 70 to 72, and the draw a completed payment
  // earns.
  Reply ApplyLottery(const Command& command);
  void NoteLotteryPayment(const payments::Payment& payment);
  // Red packets (state_machine_redpacket.cc): commands 73 to 75, and the packet a completed
  // payment earns.
  Reply ApplyRedPacket(const Command& command);
  void NoteRedPacketPayment(const payments::Payment& payment);
  bool CheckRedPacketClaimRisk(const ClaimRedPacket& command, int64_t amount_fen);
  // Redeem codes (state_machine_coupon_codes.cc): commands 76 and 77.
  Reply ApplyCouponCodes(const Command& command);
  // Offer pushes and the inbox (state_machine_offers.cc): commands 78 to 80.
  Reply ApplyOffers(const Command& command);
  void SerializeOfferOptOuts(std::string* out) const;
  bool DeserializeOfferOptOuts(std::string_view bytes);
  // Whether the customer used the device `device_hash` names: one of their log-in devices, or
  // (risk engine on) any device the risk engine saw them on. Referral and red packets refuse
  // a reward on such a device to anyone else.
  bool CustomerUsedDevice(uint64_t customer_id, std::string_view device_hash) const;
  void AuditDeviceKey(const Command& command, const Reply& reply);
  // Risk (state_machine_risk.cc): commands 62 to 64, and the checks of Pay, P2P, sign-up,
  // log-in, top-up and withdrawal holds, and coupon claims.
  static bool IsRiskCommand(const Command& command);
  static bool IsValidRiskCommand(const Command& command);
  Reply ApplyRisk(const Command& command);
  void AuditRisk(const Command& command, const Reply& reply);
  RiskResult ApplyReviewPayment(const ReviewPayment& command, Reply* reply);
  struct RiskCheck {
    risk::Verdict verdict = risk::Verdict::kAllow;
    bool deny_reward = false;
    identity::AuthStrength needed = identity::AuthStrength::kOneFactor;  // For kChallenge.
  };
  int64_t RiskNow() const;
  bool RiskBlocked(std::initializer_list<std::pair<risk::EntityKind, uint64_t>> entities) const;
  RiskCheck CheckPaymentRisk(const Pay& command, const identity::Customer& customer,
                             const payments::Merchant& merchant, identity::AuthStrength presented);
  RiskReview ReviewOf(const risk::Decision& decision, std::string_view device_hash);
  // `step_up`: the strength the customer must still confirm with once approved (No. 43), 0.
  void OpenRiskReview(const payments::Payment& payment, uint8_t step_up);
  MoneyResult CheckTransferRisk(const P2PTransfer& command, const identity::Customer& sender,
                                const identity::Customer& receiver,
                                identity::AuthStrength presented, Reply* reply);
  // `allowed`: the rules' verdict was allow (a referral made with any other is refused).
  bool CheckRegistrationRisk(const RegisterCustomer& command, uint64_t customer_id,
                             uint64_t inviter, bool* allowed);
  // Log-ins (a right password), holds and coupon claims: false when the risk engine (or a
  // block list) refuses them.
  bool CheckLoginRisk(const RecordLogin& command);
  bool CheckHoldRisk(const HoldFunds& command, const identity::Customer& customer);
  bool CheckClaimRisk(const ClaimCoupon& command);
  // Readies the top-up or withdrawal `hold` for recording once the bank's answer applies.
  void SettledHoldRisk(const ledger::Transfer& hold);
  // Records the event the command's check evaluated, with the command's outcome.
  void RecordPendingRisk(const Command& command, const Reply& reply);
  // Counts the pending event's decisions (RiskMonitor) and tells the tap, when this command
  // evaluated it (the engine's evaluations() moved past risk_evaluations_before_).
  void NoteRiskEvaluation(const Command& command);
  void ExpireRiskReview(uint64_t payment_id);
  PaymentResult MoveMoneyWithoutRewards(const payments::Payment& payment, bool from_hold,
                                        int64_t points);
  // Posts a held payment the customer confirmed or an analyst approved: with its rewards, or
  // without them when the risk rules denied them at the payment (Payment::rewards_denied).
  PaymentResult CompleteHeldPayment(const payments::Payment& payment, std::string_view device_hash);
  bool VoidHeldPayment(payments::Payment* payment);
  // The audit log (state_machine_audit.cc). Audit appends one entry at the batch time and
  // projects it; AuditCommand records what a command just did, from the command, its reply and
  // what AuditBefore saw before it ran. New hooks go there.
  struct AuditBeforeState {
    bool login_locked = false;  // The account named by a log-in command was locked already.
    bool totp_locked = false;   // UseTotp: the customer's two-step log-in was locked already.
    bool pin_locked = false;    // A PIN command: the customer's payment PIN was locked already.
    // RevokeSession: the session's holder, looked up before it goes (id 0: no such session).
    audit::ActorKind session_kind = audit::ActorKind::kSystem;
    uint64_t session_holder = 0;
  };
  void Audit(audit::ActorKind actor_kind, uint64_t actor_id, std::string action, std::string target,
             std::string detail);
  AuditBeforeState AuditBefore(const Command& command) const;
  void AuditCommand(const Command& command, const AuditBeforeState& before, const Reply& reply);
  void AuditPaymentPin(uint64_t customer_id, std::string_view changed_action,
                       const AuditBeforeState& before, const Reply& reply);
  Reply ApplyRecordAudit(const RecordAudit& command);
  identity::IdentityResult Register(const RegisterCustomer& command, uint64_t* customer_id);
  MoneyResult ApplyP2P(const P2PTransfer& command, Reply* reply);
  MoneyResult ApplyHold(const HoldFunds& command);
  MoneyResult ApplySettle(const SettleHold& command);
  void EnsureBankClearingAccount();
  void EnsureFeeIncomeAccount();
  // Merchant and payment commands (state_machine_payments.cc).
  Reply ApplyPayments(const Command& command);
  PaymentResult Onboard(const ApplyMerchant& command, Reply* reply);
  PaymentResult ApplyOrder(const CreateOrder& command, Reply* reply);
  PaymentResult ApplyPay(const Pay& command, Reply* reply);
  PaymentResult ApplyConfirm(const ConfirmPayment& command, Reply* reply);
  // PBoC 2015 No. 43: how strongly a payment of `amount_fen` from the customer's balance is
  // authenticated (an SMS code in `auth` is consumed here and counts as a second factor) and
  // how strongly it must be, given the day's spending and, if `device_rule`, the new-device
  // rule.
  struct AuthCheck {
    identity::AuthStrength presented = identity::AuthStrength::kOneFactor;
    identity::AuthStrength needed = identity::AuthStrength::kOneFactor;
    identity::IdentityResult otp = identity::IdentityResult::kOk;  // The SMS code's verdict.
  };
  // The strength `auth` presents, consuming its SMS code (kPayment) if it carries one.
  AuthCheck PresentedStrength(const identity::Customer& customer, const PaymentAuth& auth);
  // PresentedStrength, and the strength the day's spending and the new-device rule need.
  AuthCheck CheckAuth(const identity::Customer& customer, const PaymentAuth& auth,
                      int64_t amount_fen, bool device_rule);
  PaymentResult ApplyRefund(const Refund& command, Reply* reply);
  PaymentResult ApplyRecordCreditInvoice(const RecordCreditInvoice& command);
  PaymentResult ApplyStartSettlement(const StartSettlement& command, Reply* reply);
  PaymentResult ApplyFinishSettlement(const FinishSettlement& command);
  void ProjectSettlement(uint64_t settlement_id);
  // Projects transfers just created and marks their accounts touched.
  void ProjectCreated(std::span<const ledger::Transfer> transfers);
  PaymentResult CheckPayer(const identity::Customer& customer, int64_t amount_fen) const;
  // Posts the payment's hold (or, for a direct payment, moves the money) with its fee and the
  // marketing rewards the payment gets now (with `coupon_id` if the customer chose one), linked.
  // `points`: the points the customer pays with (Pay::points); then no campaign applies.
  PaymentResult MoveMoney(const payments::Payment& payment, bool from_hold, uint64_t coupon_id,
                          std::string_view device_hash, int64_t points);
  void ProjectMerchant(uint64_t merchant_id);
  void ProjectPayment(uint64_t payment_id);
  void TouchCustomer(uint64_t customer_id);
  // Money of the customer's moved now (a payment, transfer sent, top-up or withdrawal).
  void NoteMoneyMoved(uint64_t customer_id);
  // The wallet's balance after `amount_fen` more came in, counting pending top-ups; nullopt on
  // overflow.
  static std::optional<int64_t> IncomingBalanceAfter(const ledger::Account& wallet,
                                                     int64_t amount_fen);
  // Whether the customer's wallet can take `amount_fen` more under its tier's balance cap: a
  // reward it cannot take is refused rather than half paid.
  bool WalletCanTake(const identity::Customer& customer, int64_t amount_fen) const;
  // Gives `amount_fen` back from an ended campaign's budget to its funders
  // (marketing::CoFundingBook's split): merchants' parts to their accounts (settled with their
  // next T+1), the rest to marketing expense. Transfer ids derive from `id_base`.
  void ReturnToFunders(uint64_t campaign_id, int64_t amount_fen, uint64_t id_base);

  ledger::Ledger ledger_;
  identity::CustomerBook customers_;
  identity::StaffBook staff_;
  payments::PaymentBook payments_;
  audit::AuditChain audit_;
  // The regulatory defaults; a command to change them comes with the console.
  identity::TierPolicies tier_policies_ = identity::TierPolicies::Defaults();
  identity::AuthLimits auth_limits_ = identity::AuthLimits::Defaults();
  identity::KnownDevices known_devices_;  // Customers' log-in devices (new-device rule).
  mfa::DeviceKeyBook device_keys_;        // Registered Ed25519 device keys and challenges.
  marketing::CampaignBook campaigns_;
  // First-payment facts for 首单 campaigns, recorded only while marketing is on: customers with
  // a completed payment, and (customer, merchant) pairs.
  absl::flat_hash_set<uint64_t> customers_paid_;
  absl::flat_hash_set<std::pair<uint64_t, uint64_t>> paid_at_merchant_;
  absl::flat_hash_map<uint64_t, PaymentMarketing, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, PaymentMarketing>>>
      payment_marketing_;
  // Held cashback not yet released, by release time: (release_at_s, payment id, reward index in
  // the book's record). Derived from the campaign book and the ledger's pending holds, rebuilt
  // on load (RebuildCashbackHolds), never serialized.
  std::set<std::tuple<int64_t, uint64_t, uint32_t>> cashback_holds_;
  points::PointsBook points_;
  referral::ReferralBook referrals_;
  lottery::LotteryBook lottery_;
  redpacket::RedPacketBook red_packets_;
  marketing::CouponCodeBook coupon_codes_;
  marketing::CoFundingBook co_funding_;
  // Customers who refused personalised offers, ascending (state_machine_offers.cc).
  std::vector<uint64_t> offer_opt_outs_;
  std::optional<ReferralDue> referral_due_;  // A payment of this command that may qualify.
  RiskState risk_;
  std::optional<risk::RiskEvent> risk_pending_;  // Evaluated by the command being applied.
  std::optional<RiskReview> risk_review_pending_;
  RiskTap* risk_tap_ = nullptr;           // Not state: survives Reset.
  uint64_t risk_evaluations_before_ = 0;  // The engine's evaluations() before this command.
  int64_t batch_time_ns_ = 0;
  bool in_batch_ = false;
  Projection* projection_ = nullptr;
  absl::flat_hash_set<uint64_t> touched_accounts_;
  absl::flat_hash_set<uint64_t> touched_customers_;
  std::vector<ledger::CreateAccountResult> account_results_;
  std::vector<ledger::CreateTransferResult> transfer_results_;
  std::vector<uint64_t> expired_ids_;
};

}  // namespace qb::engine
