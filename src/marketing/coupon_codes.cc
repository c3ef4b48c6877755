#include "marketing/coupon_codes.h"

#include <bit>
#include <iterator>

#include "base/assert.h"

namespace qb::marketing {
namespace {

constexpr std::string_view kDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kGroup = 4;
using Bits = unsigned __int128;

int DigitValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return 1;
  if (c == 'O') return 0;
  const size_t at = kDigits.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

size_t Words(uint32_t count) { return (count + 63) / 64; }

// A fixed, keyless permutation of the 80 bits (a four-round Feistel network on two 40-bit
// halves), so that neighbouring codes look unrelated and a code shows neither its batch nor
// its place in it. It hides nothing from someone who reads this file: the MAC is what makes a
// code unguessable.
constexpr int kHalfBits = 40;
constexpr uint64_t kHalfMask = (uint64_t{1} << kHalfBits) - 1;
constexpr uint64_t kRoundKeys[] = {0x9E3779B97F4A7C15ULL, 0xBF58476D1CE4E5B9ULL,
                                   0x94D049BB133111EBULL, 0xD6E8FEB86659FD93ULL};

uint64_t Round(uint64_t half, uint64_t key) {
  uint64_t z = half + key;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) & kHalfMask;
}

Bits Scramble(Bits value) {
  auto left = static_cast<uint64_t>(value >> kHalfBits) & kHalfMask;
  auto right = static_cast<uint64_t>(value) & kHalfMask;
  for (const uint64_t key : kRoundKeys) {
    const uint64_t next = left ^ Round(right, key);
    left = right;
    right = next;
  }
  return (Bits{left} << kHalfBits) | right;
}

Bits Unscramble(Bits value) {
  auto left = static_cast<uint64_t>(value >> kHalfBits) & kHalfMask;
  auto right = static_cast<uint64_t>(value) & kHalfMask;
  for (size_t i = std::size(kRoundKeys); i-- > 0;) {
    const uint64_t previous = right ^ Round(left, kRoundKeys[i]);
    right = left;
    left = previous;
  }
  return (Bits{left} << kHalfBits) | right;
}

}  // namespace

std::string FormatCouponCode(const CouponCode& code) {
  QB_ASSERT(code.batch_id >= 1 && code.batch_id <= kMaxCodeBatchId);
  Bits value = Scramble((Bits{code.batch_id} << (kCouponCodeIndexBits + kCouponCodeMacBits)) |
                        (Bits{code.index} << kCouponCodeMacBits) | (code.mac & kCouponCodeMacMask));
  char digits[kCouponCodeDigits];
  for (size_t i = kCouponCodeDigits; i-- > 0;) {
    digits[i] = kDigits[static_cast<size_t>(value & 31)];
    value >>= 5;
  }
  std::string out;
  for (size_t i = 0; i < kCouponCodeDigits; ++i) {
    if (i != 0 && i % kGroup == 0) out += '-';
    out += digits[i];
  }
  return out;
}

std::optional<CouponCode> ParseCouponCode(std::string_view text) {
  Bits value = 0;
  size_t digits = 0;
  for (const char c : text) {
    if (c == '-' || c == ' ') continue;
    const int digit = DigitValue(c);
    if (digit < 0 || ++digits > kCouponCodeDigits) return std::nullopt;
    value = (value << 5) | static_cast<Bits>(digit);
  }
  if (digits != kCouponCodeDigits) return std::nullopt;
  value = Unscramble(value);
  CouponCode code;
  code.mac = static_cast<uint64_t>(value) & kCouponCodeMacMask;
  code.index = static_cast<uint32_t>((value >> kCouponCodeMacBits) &
                                     ((Bits{1} << kCouponCodeIndexBits) - 1));
  code.batch_id = static_cast<uint64_t>(value >> (kCouponCodeIndexBits + kCouponCodeMacBits));
  if (code.batch_id == 0) return std::nullopt;
  return code;
}

uint64_t CouponCodeBook::Create(uint64_t template_id, uint64_t staff_id, uint32_t count,
                                int64_t now_s) {
  QB_ASSERT(count >= 1 && count <= kMaxCodesPerBatch);
  if (batches_.size() >= kMaxCodeBatchId) return 0;
  CodeBatch batch;
  batch.id = batches_.size() + 1;
  batch.template_id = template_id;
  batch.staff_id = staff_id;
  batch.count = count;
  batch.created_s = now_s;
  batch.used.assign(Words(count), 0);
  batches_.push_back(std::move(batch));
  return batches_.back().id;
}

const CodeBatch* CouponCodeBook::Find(uint64_t batch_id) const {
  if (batch_id == 0 || batch_id > batches_.size()) return nullptr;
  return &batches_[batch_id - 1];
}

std::string_view CouponCodeBook::CanRedeem(uint64_t batch_id, uint32_t index) const {
  const CodeBatch* batch = Find(batch_id);
  if (batch == nullptr || index >= batch->count) return "COUPON_CODE_INVALID";
  if (batch->IsUsed(index)) return "COUPON_CODE_USED";
  return "";
}

void CouponCodeBook::MarkRedeemed(uint64_t batch_id, uint32_t index) {
  QB_ASSERT(CanRedeem(batch_id, index).empty());
  CodeBatch& batch = batches_[batch_id - 1];
  batch.used[index / 64] |= uint64_t{1} << (index % 64);
  ++batch.redeemed;
}

std::vector<const CodeBatch*> CouponCodeBook::OfTemplate(uint64_t template_id) const {
  std::vector<const CodeBatch*> out;
  for (size_t i = batches_.size(); i-- > 0;) {
    if (batches_[i].template_id == template_id) out.push_back(&batches_[i]);
  }
  return out;
}

void CouponCodeBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(batches_.size());
  for (const CodeBatch& b : batches_) {
    writer.U64(b.id);
    writer.U64(b.template_id);
    writer.U64(b.staff_id);
    writer.U32(b.count);
    writer.I64(b.created_s);
    for (const uint64_t word : b.used) writer.U64(word);
  }
}

bool CouponCodeBook::Deserialize(std::string_view bytes) {
  batches_.clear();
  ByteReader reader(bytes);
  const uint64_t count = reader.U64();
  if (!reader.ok() || count > kMaxCodeBatchId || count > reader.remaining() / 36) return false;
  batches_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    CodeBatch b;
    b.id = reader.U64();
    b.template_id = reader.U64();
    b.staff_id = reader.U64();
    b.count = reader.U32();
    b.created_s = reader.I64();
    if (!reader.ok() || b.id != i + 1 || b.count < 1 || b.count > kMaxCodesPerBatch ||
        Words(b.count) > reader.remaining() / 8) {
      return false;
    }
    b.used.resize(Words(b.count));
    for (uint64_t& word : b.used) {
      word = reader.U64();
      b.redeemed += static_cast<uint32_t>(std::popcount(word));
    }
    // No bit past the last code.
    if (b.count % 64 != 0 && (b.used.back() >> (b.count % 64)) != 0) return false;
    batches_.push_back(std::move(b));
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::marketing
