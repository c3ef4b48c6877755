// The engine's lottery state: the configuration in force, each customer's draw chances (earned
// by payments, the daily sign-in and referrals; used at most daily_draw_limit a China day), the
// prizes won so far and every draw. Prizes themselves are ledger transfers the engine makes.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/lottery.h"

namespace qb::lottery {

struct Chances {
  int64_t earned = 0;  // draws earned ever
  int64_t used = 0;
  int64_t day = 0;  // the China day the counts below are of
  int32_t used_today = 0;
  int32_t paid_today = 0;  // draws earned by payments that day
  bool signed_in_today = false;

  int64_t available() const { return earned - used; }
  bool operator==(const Chances&) const = default;
};

struct Draw {
  uint64_t id = 0;
  uint64_t customer_id = 0;
  int64_t time_s = 0;
  int32_t prize = -1;  // index in the configuration of the time; -1: thanks for taking part
  std::string prize_name;
  PrizeKind kind = PrizeKind::kPoints;
  int64_t amount = 0;

  bool won() const { return prize >= 0; }
  bool operator==(const Draw&) const = default;
};

class LotteryBook {
 public:
  // Whether a lottery was ever configured: before that the book adds nothing to the state.
  bool on() const { return version_ != 0; }
  uint64_t version() const { return version_; }
  int64_t updated_s() const { return updated_s_; }
  const Config& config() const { return config_; }
  int64_t spent_fen() const { return spent_fen_; }
  bool Active(int64_t now_s) const {
    return config_.enabled && now_s >= config_.start_s && now_s < config_.end_s;
  }

  // Replaces the configuration. Prizes keep what was won of them by name. A budget below what
  // was spent is refused ("budget_fen").
  Error SetConfig(const Config& config, int64_t now_s);

  // Earning. Each is a no-op (false) when the lottery is not active or the rule is off.
  bool EarnByPayment(uint64_t customer_id, int64_t amount_fen, int64_t now_s);
  void EarnByReferral(uint64_t customer_id, int64_t now_s);
  // LOTTERY_OFF when the lottery is not active or has no sign-in draw, LOTTERY_SIGNED_IN when
  // the customer signed in today already.
  Error SignIn(uint64_t customer_id, int64_t now_s);

  // The customer's chances as of now (the daily counts start afresh each China day).
  Chances ChancesOf(uint64_t customer_id, int64_t now_s) const;
  // LOTTERY_OFF, LOTTERY_NO_DRAWS (none left) or LOTTERY_DAILY_LIMIT; ok when a draw may run.
  Error CanDraw(uint64_t customer_id, int64_t now_s) const;
  // The prize a draw with `seed` wins: PickPrize's, if some of its inventory is left and, for
  // cash, the budget covers it; else -1.
  int Pick(uint64_t seed) const;
  int64_t Remaining(size_t prize) const;
  // Records a draw CanDraw allowed: one chance used, the prize's inventory and cash spent.
  void Record(const Draw& draw);

  const Draw* FindDraw(uint64_t draw_id) const;
  // The customer's newest draws first, at most `limit`.
  std::vector<const Draw*> DrawsOf(uint64_t customer_id, size_t limit) const;
  size_t draw_count() const { return draws_.size(); }

  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  Chances& Rolled(uint64_t customer_id, int64_t now_s);

  uint64_t version_ = 0;
  int64_t updated_s_ = 0;
  Config config_;
  int64_t spent_fen_ = 0;
  absl::flat_hash_map<std::string, int64_t> awarded_;  // by prize name
  absl::flat_hash_map<uint64_t, Chances> chances_;
  std::vector<Draw> draws_;
  absl::flat_hash_map<uint64_t, uint32_t> by_id_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_customer_;
};

}  // namespace qb::lottery
