#include "paytoken/payment_code.h"

#include <optional>

#include "base/assert.h"
#include "paytoken/sodium_internal.h"

namespace qb::paytoken {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr uint32_t kMaxExpiredLookbackSteps = 120;

uint32_t CodeValue(const identity::SecretKey& secret, int64_t step) {
  std::string_view key(reinterpret_cast<const char*>(secret.data()), identity::SecretKey::kSize);
  return HotpSha256(key, static_cast<uint64_t>(step)) % kPaymentCodeValueModulus;
}

// Zero-padded decimal of exactly `digits` digits.
void AppendPadded(uint64_t value, size_t digits, std::string* out) {
  std::string text(digits, '0');
  for (size_t i = digits; i-- > 0; value /= 10) text[i] = static_cast<char>('0' + value % 10);
  QB_ASSERT(value == 0);
  out->append(text);
}

uint32_t ParseDigits(std::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

}  // namespace

bool IsValidPaymentCodeConfig(const PaymentCodeConfig& config) {
  return config.prefix >= 25 && config.prefix <= 30 && config.step_seconds >= 30 &&
         config.step_seconds <= 60 && config.window_steps <= 2 &&
         config.expired_lookback_steps <= kMaxExpiredLookbackSteps &&
         config.max_tracked_devices > 0;
}

std::string_view PaymentCodeResultName(PaymentCodeResult result) {
  switch (result) {
    case PaymentCodeResult::kOk:
      return "ok";
    case PaymentCodeResult::kMalformed:
      return "malformed";
    case PaymentCodeResult::kWrongPrefix:
      return "wrong_prefix";
    case PaymentCodeResult::kUnknownDevice:
      return "unknown_device";
    case PaymentCodeResult::kExpired:
      return "expired";
    case PaymentCodeResult::kInvalidCode:
      return "invalid_code";
    case PaymentCodeResult::kReused:
      return "reused";
    case PaymentCodeResult::kBusy:
      return "busy";
  }
  return "unknown";
}

uint32_t HotpSha256(std::string_view key, uint64_t counter) {
  std::string message(8, '\0');
  for (size_t i = 8; i-- > 0; counter >>= 8) message[i] = static_cast<char>(counter & 0xff);
  internal::Hmac mac =
      internal::HmacSha256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), message);
  size_t offset = mac[mac.size() - 1] & 0x0f;
  return (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
         (static_cast<uint32_t>(mac[offset + 1]) << 16) |
         (static_cast<uint32_t>(mac[offset + 2]) << 8) | static_cast<uint32_t>(mac[offset + 3]);
}

int64_t PaymentCodeStep(const PaymentCodeConfig& config, int64_t now_ns) {
  QB_ASSERT(now_ns >= 0);
  QB_ASSERT(config.step_seconds > 0);
  return now_ns / kNsPerSecond / config.step_seconds;
}

std::string MakePaymentCode(const PaymentCodeConfig& config, uint32_t device_slot,
                            const identity::SecretKey& device_secret, int64_t step) {
  QB_ASSERT(IsValidPaymentCodeConfig(config));
  QB_ASSERT(device_slot < kPaymentCodeSlotCount);
  QB_ASSERT(!device_secret.empty());
  QB_ASSERT(step >= 0);
  std::string code;
  AppendPadded(config.prefix, 2, &code);
  AppendPadded(device_slot, kPaymentCodeSlotDigits, &code);
  AppendPadded(CodeValue(device_secret, step), kPaymentCodeValueDigits, &code);
  QB_ASSERT(code.size() == kPaymentCodeDigits);
  return code;
}

PaymentCodeVerifier::PaymentCodeVerifier(const PaymentCodeConfig& config) : config_(config) {
  QB_ASSERT(IsValidPaymentCodeConfig(config));
}

PaymentCodeMatch PaymentCodeVerifier::Verify(std::string_view code, int64_t now_ns,
                                             const PaymentCodeDevices& devices) {
  PaymentCodeMatch match;
  if (code.size() != kPaymentCodeDigits || !internal::AllAsciiDigits(code)) return match;
  if (ParseDigits(code.substr(0, 2)) != config_.prefix) {
    match.result = PaymentCodeResult::kWrongPrefix;
    return match;
  }
  match.device_slot = ParseDigits(code.substr(2, kPaymentCodeSlotDigits));
  uint32_t value = ParseDigits(code.substr(2 + kPaymentCodeSlotDigits));
  const identity::SecretKey* secret = devices.FindBySlot(match.device_slot);
  if (secret == nullptr) {
    match.result = PaymentCodeResult::kUnknownDevice;
    return match;
  }

  const int64_t current = PaymentCodeStep(config_, now_ns);
  const int64_t window = config_.window_steps;
  std::optional<int64_t> matched;
  for (int64_t step = current + window; step >= current - window && step >= 0; --step) {
    if (CodeValue(*secret, step) == value) {
      matched = step;
      break;
    }
  }
  if (!matched) {
    const int64_t oldest = current - window - config_.expired_lookback_steps;
    for (int64_t step = current - window - 1; step >= oldest && step >= 0; --step) {
      if (CodeValue(*secret, step) == value) {
        match.result = PaymentCodeResult::kExpired;
        match.step = step;
        return match;
      }
    }
    match.result = PaymentCodeResult::kInvalidCode;
    return match;
  }

  match.step = *matched;
  auto it = last_accepted_step_.find(match.device_slot);
  if (it != last_accepted_step_.end() && match.step <= it->second) {
    match.result = PaymentCodeResult::kReused;
    return match;
  }
  if (it == last_accepted_step_.end() &&
      last_accepted_step_.size() >= config_.max_tracked_devices) {
    ForgetExpired(current);
    if (last_accepted_step_.size() >= config_.max_tracked_devices) {
      match.result = PaymentCodeResult::kBusy;
      return match;
    }
  }
  last_accepted_step_[match.device_slot] = match.step;
  match.result = PaymentCodeResult::kOk;
  return match;
}

void PaymentCodeVerifier::ForgetExpired(int64_t current_step) {
  // Every step Verify can still accept is >= current_step - window, so a device whose last
  // accepted step is below that can no longer produce a replay the memory would catch.
  const int64_t oldest_acceptable = current_step - static_cast<int64_t>(config_.window_steps);
  absl::erase_if(last_accepted_step_,
                 [&](const auto& entry) { return entry.second < oldest_acceptable; });
}

}  // namespace qb::paytoken
