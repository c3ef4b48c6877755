// Customer-presented payment codes (付款码): 18 digits shown as QR and barcode in the app,
// rotating every time step, derived offline on the device from a per-device secret.
//
// Layout (decimal digits):
//   code  := prefix:2 device_slot:7 value:9
//   prefix      25..30, the range wallet payment codes use (configured; default "28").
//   device_slot the device's slot number, zero-padded: the server finds the device with one
//               lookup instead of trying every device's secret.
//   value       HOTP-SHA256(device_secret, step) mod 10^9, where step = floor(now_s / step_s)
//               and HOTP-SHA256 is RFC 4226 dynamic truncation (31 bits) over HMAC-SHA256 of the
//               8-byte big-endian step, exactly as RFC 6238 computes TOTP with SHA-256.
// Why 7 + 9 and not 6 + 10: the truncated value has only 31 bits (< 2.2 * 10^9), so a tenth
// value digit would carry ~1 bit; a seventh slot digit serves ten million devices instead of one.
// The slot is visible to the merchant; slots are random, not customer ids, and a device
// re-registration gets a new one.
//
// A code is accepted for its own step and window_steps either side (clock skew, time to scan),
// and once only: the verifier remembers each device's last accepted step and rejects any step at
// or below it (RFC 6238 section 5.2), so a replayed or stolen old code is worthless.
//
// Thread-safety: free functions are pure and thread-safe. PaymentCodeVerifier is not
// thread-safe (it belongs to the engine's single writer); its result depends only on the codes,
// times and directory contents given, in order, so replay reproduces it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "identity/secret_key.h"

namespace qb::paytoken {

inline constexpr size_t kPaymentCodeDigits = 18;
inline constexpr size_t kPaymentCodeSlotDigits = 7;
inline constexpr size_t kPaymentCodeValueDigits = 9;
inline constexpr uint32_t kPaymentCodeSlotCount = 10'000'000;
inline constexpr uint32_t kPaymentCodeValueModulus = 1'000'000'000;

struct PaymentCodeConfig {
  uint32_t prefix = 28;       // 25..30
  int64_t step_seconds = 30;  // 30..60
  uint32_t window_steps = 1;  // 0..2 steps accepted either side of now
  // How far back (in steps, beyond the window) a non-matching code is recognised as expired
  // rather than wrong: an answer for the cashier, not a security boundary. At most 120.
  uint32_t expired_lookback_steps = 20;
  // Devices whose last accepted step is remembered; beyond it, Verify fails closed.
  size_t max_tracked_devices = 1u << 20;
};

bool IsValidPaymentCodeConfig(const PaymentCodeConfig& config);

// Ordered by precedence: Verify reports the first that applies.
enum class PaymentCodeResult : uint8_t {
  kOk = 0,
  kMalformed,      // Not 18 ASCII digits.
  kWrongPrefix,    // Not a qianbao wallet code.
  kUnknownDevice,  // No device in that slot.
  kExpired,        // The device's code for a step older than the window.
  kInvalidCode,    // Matches no recent step: mistyped or guessed.
  kReused,         // A step at or before the device's last accepted step.
  kBusy,           // Replay memory full of live entries; fail closed, retry shortly.
};

// Stable names for logs and API error codes ("expired", "reused", ...).
std::string_view PaymentCodeResultName(PaymentCodeResult result);

// RFC 4226 dynamic truncation over HMAC-SHA256(key, counter as 8 bytes big-endian): 31 bits.
uint32_t HotpSha256(std::string_view key, uint64_t counter);

// The time step containing now_ns (>= 0), in units of config.step_seconds.
int64_t PaymentCodeStep(const PaymentCodeConfig& config, int64_t now_ns);

// The 18-digit code the device in device_slot shows during `step`.
std::string MakePaymentCode(const PaymentCodeConfig& config, uint32_t device_slot,
                            const identity::SecretKey& device_secret, int64_t step);

// Finds a device's secret by slot; the server's device table implements it.
class PaymentCodeDevices {
 public:
  virtual ~PaymentCodeDevices() = default;
  // Null when no active device holds the slot.
  virtual const identity::SecretKey* FindBySlot(uint32_t device_slot) const = 0;
};

struct PaymentCodeMatch {
  PaymentCodeResult result = PaymentCodeResult::kMalformed;
  uint32_t device_slot = 0;  // Set from kUnknownDevice on.
  int64_t step = 0;          // The matched step, for kOk, kExpired and kReused.
};

class PaymentCodeVerifier {
 public:
  // The config must be valid (asserted).
  explicit PaymentCodeVerifier(const PaymentCodeConfig& config);

  // Checks the code against now_ns (which must not go backwards by more than the window) and,
  // on kOk, consumes it. Nothing is remembered for any other result.
  PaymentCodeMatch Verify(std::string_view code, int64_t now_ns, const PaymentCodeDevices& devices);

  size_t tracked_devices() const { return last_accepted_step_.size(); }

 private:
  // Drops devices whose last step is below every step the window can still accept.
  void ForgetExpired(int64_t current_step);

  PaymentCodeConfig config_;
  absl::flat_hash_map<uint32_t, int64_t> last_accepted_step_;
};

}  // namespace qb::paytoken
