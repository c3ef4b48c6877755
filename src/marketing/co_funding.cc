#include "marketing/co_funding.h"

#include <algorithm>

#include "base/assert.h"
#include "base/bytes.h"
#include "marketing/campaign.h"

namespace qb::marketing {

int64_t CoFunding::merchants_funded_fen() const {
  int64_t sum = 0;
  for (const CoFunder& m : merchants) sum += m.funded_fen;  // each <= total <= kMaxBudgetFen
  return sum;
}

int64_t OwedBack(int64_t funded_fen, int64_t unspent_fen, int64_t total_fen) {
  QB_ASSERT(funded_fen >= 0 && unspent_fen >= 0 && funded_fen <= total_fen &&
            unspent_fen <= total_fen);
  if (total_fen == 0) return 0;
  // Both factors are at most kMaxBudgetFen (10^18): the product fits in 128 bits.
  return static_cast<int64_t>(static_cast<__int128>(unspent_fen) * funded_fen / total_fen);
}

void CoFundingBook::Fund(uint64_t campaign_id, uint64_t merchant_id, int64_t amount_fen,
                         int64_t total_before_fen) {
  QB_ASSERT(amount_fen >= 1 && total_before_fen >= 0);
  auto it = campaigns_.find(campaign_id);
  if (it == campaigns_.end()) {
    if (merchant_id == 0) return;
    it = campaigns_.emplace(campaign_id, CoFunding{}).first;
    it->second.total_fen = total_before_fen;
  }
  CoFunding& funding = it->second;
  QB_ASSERT(funding.returned_fen == 0);  // an ended campaign takes no more money
  funding.total_fen += amount_fen;
  QB_ASSERT(funding.total_fen <= kMaxBudgetFen);
  if (merchant_id == 0) return;
  auto at = std::lower_bound(funding.merchants.begin(), funding.merchants.end(), merchant_id,
                             [](const CoFunder& m, uint64_t id) { return m.merchant_id < id; });
  if (at == funding.merchants.end() || at->merchant_id != merchant_id) {
    at = funding.merchants.insert(at, CoFunder{merchant_id, 0, 0});
  }
  at->funded_fen += amount_fen;
}

std::vector<ReturnShare> CoFundingBook::Return(
    uint64_t campaign_id, int64_t amount_fen,
    absl::FunctionRef<bool(uint64_t merchant_id)> can_take) {
  QB_ASSERT(amount_fen >= 1);
  std::vector<ReturnShare> shares;
  const auto it = campaigns_.find(campaign_id);
  if (it == campaigns_.end()) {
    shares.push_back({0, amount_fen});
    return shares;
  }
  CoFunding& funding = it->second;
  funding.returned_fen += amount_fen;
  QB_ASSERT(funding.returned_fen <= funding.total_fen);
  int64_t left = amount_fen;
  for (CoFunder& m : funding.merchants) {
    const int64_t owed =
        OwedBack(m.funded_fen, funding.returned_fen, funding.total_fen) - m.returned_fen;
    const int64_t paid = std::clamp<int64_t>(owed, 0, left);
    if (paid == 0 || !can_take(m.merchant_id)) continue;
    m.returned_fen += paid;
    left -= paid;
    shares.push_back({m.merchant_id, paid});
  }
  if (left > 0) shares.push_back({0, left});
  return shares;
}

const CoFunding* CoFundingBook::Find(uint64_t campaign_id) const {
  const auto it = campaigns_.find(campaign_id);
  return it == campaigns_.end() ? nullptr : &it->second;
}

void CoFundingBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(campaigns_.size());
  for (const auto& [campaign_id, funding] : campaigns_) {
    writer.U64(campaign_id);
    writer.I64(funding.total_fen);
    writer.I64(funding.returned_fen);
    writer.U64(funding.merchants.size());
    for (const CoFunder& m : funding.merchants) {
      writer.U64(m.merchant_id);
      writer.I64(m.funded_fen);
      writer.I64(m.returned_fen);
    }
  }
}

bool CoFundingBook::Deserialize(std::string_view bytes) {
  campaigns_.clear();
  ByteReader reader(bytes);
  const uint64_t count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 32) return false;
  uint64_t last_campaign = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t campaign_id = reader.U64();
    CoFunding funding;
    funding.total_fen = reader.I64();
    funding.returned_fen = reader.I64();
    const uint64_t merchants = reader.U64();
    if (!reader.ok() || campaign_id <= last_campaign || funding.total_fen < 1 ||
        funding.total_fen > kMaxBudgetFen || funding.returned_fen < 0 ||
        funding.returned_fen > funding.total_fen || merchants < 1 ||
        merchants > reader.remaining() / 24) {
      return false;
    }
    int64_t funded = 0;
    for (uint64_t j = 0; j < merchants; ++j) {
      CoFunder m;
      m.merchant_id = reader.U64();
      m.funded_fen = reader.I64();
      m.returned_fen = reader.I64();
      const uint64_t previous =
          funding.merchants.empty() ? 0 : funding.merchants.back().merchant_id;
      if (!reader.ok() || m.merchant_id <= previous || m.funded_fen < 1 ||
          m.funded_fen > funding.total_fen - funded || m.returned_fen < 0 ||
          m.returned_fen > OwedBack(m.funded_fen, funding.returned_fen, funding.total_fen)) {
        return false;
      }
      funded += m.funded_fen;
      funding.merchants.push_back(m);
    }
    last_campaign = campaign_id;
    campaigns_.emplace(campaign_id, std::move(funding));
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::marketing
