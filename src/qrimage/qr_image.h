// Server-side QR code images: merchant QR codes printed from the merchant portal and the
// customer payment-code QR shown in the app.
//
// Text is always encoded in 8-bit byte mode, so any bytes (UTF-8 or not) round-trip exactly;
// the QR version is the smallest that fits the text at the requested error correction level.
//
// Every function here is thread-safe: it keeps no state of its own, and Debian's libqrencode
// is built with pthread, which makes its encoder thread-safe (its header warns only for builds
// without pthread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace qb::qrimage {

// The longest text accepted, in bytes. A version 40 symbol holds 1273 bytes even at kHigh, so
// every accepted text fits at every level; anything longer is not a payment code.
inline constexpr size_t kMaxQrTextBytes = 1024;

inline constexpr int32_t kMinModulePx = 1;
inline constexpr int32_t kMaxModulePx = 32;
inline constexpr int32_t kMinMarginModules = 0;
inline constexpr int32_t kMaxMarginModules = 16;

// The share of the symbol that may be damaged and still decode: about 7%, 15%, 25%, 30%.
enum class QrErrorCorrection : uint8_t { kLow, kMedium, kQuartile, kHigh };

struct QrImageOptions {
  int32_t module_px = 8;       // side of one module in pixels, kMinModulePx..kMaxModulePx
  int32_t margin_modules = 4;  // quiet zone on each side, kMinMarginModules..kMaxMarginModules;
                               // the QR standard asks for 4, scanners may fail with less
  QrErrorCorrection level = QrErrorCorrection::kMedium;
};

// The module matrix of one symbol, without the quiet zone.
struct QrModules {
  int32_t width = 0;          // modules per side, 21..177
  std::vector<uint8_t> dark;  // width * width entries, row-major; 1 = dark, 0 = light

  bool IsDark(int32_t x, int32_t y) const { return dark[static_cast<size_t>(y) * width + x] != 0; }
};

// InvalidArgument when a field of `options` is outside its bounds.
Status ValidateQrImageOptions(const QrImageOptions& options);

// Encodes `text` and replaces `*out`. InvalidArgument when `text` is empty or longer than
// kMaxQrTextBytes; IoError when the encoder fails (out of memory). `*out` is untouched on error.
Status EncodeQrModules(std::string_view text, QrErrorCorrection level, QrModules* out);

// A 1-bit grayscale PNG, (width + 2 * margin_modules) * module_px pixels square, dark modules
// black on white. Replaces `*png`; errors as EncodeQrModules and ValidateQrImageOptions, plus
// IoError when libpng fails. `*png` is untouched on error.
Status RenderQrPng(std::string_view text, const QrImageOptions& options, std::string* png);

// A standalone SVG document: a white background and one <path> covering exactly the dark
// modules, in a viewBox measured in modules (quiet zone included) and width/height attributes
// in pixels. Replaces `*svg`; errors as EncodeQrModules and ValidateQrImageOptions.
Status RenderQrSvg(std::string_view text, const QrImageOptions& options, std::string* svg);

}  // namespace qb::qrimage
