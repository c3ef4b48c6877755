#include "qrimage/qr_image.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

#include "base/assert.h"

namespace qb::qrimage {
namespace {

QRecLevel ToQrencodeLevel(QrErrorCorrection level) {
  switch (level) {
    case QrErrorCorrection::kLow:
      return QR_ECLEVEL_L;
    case QrErrorCorrection::kMedium:
      return QR_ECLEVEL_M;
    case QrErrorCorrection::kQuartile:
      return QR_ECLEVEL_Q;
    case QrErrorCorrection::kHigh:
      return QR_ECLEVEL_H;
  }
  QB_ASSERT(false && "unknown QrErrorCorrection");
  return QR_ECLEVEL_M;
}

bool IsKnownLevel(QrErrorCorrection level) {
  switch (level) {
    case QrErrorCorrection::kLow:
    case QrErrorCorrection::kMedium:
    case QrErrorCorrection::kQuartile:
    case QrErrorCorrection::kHigh:
      return true;
  }
  return false;
}

struct QrcodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// Appends the path commands for one horizontal run of dark modules: a 1-module-high rectangle
// drawn clockwise, in viewBox units (quiet zone included).
void AppendRun(int32_t x, int32_t y, int32_t length, std::string* path) {
  *path += 'M';
  *path += std::to_string(x);
  *path += ',';
  *path += std::to_string(y);
  *path += 'h';
  *path += std::to_string(length);
  *path += "v1h-";
  *path += std::to_string(length);
  *path += 'z';
}

}  // namespace

Status ValidateQrImageOptions(const QrImageOptions& options) {
  if (options.module_px < kMinModulePx || options.module_px > kMaxModulePx) {
    return Status::InvalidArgument("module_px must be between 1 and 32");
  }
  if (options.margin_modules < kMinMarginModules || options.margin_modules > kMaxMarginModules) {
    return Status::InvalidArgument("margin_modules must be between 0 and 16");
  }
  if (!IsKnownLevel(options.level))
    return Status::InvalidArgument("unknown error correction level");
  return Status::Ok();
}

Status EncodeQrModules(std::string_view text, QrErrorCorrection level, QrModules* out) {
  if (text.empty()) return Status::InvalidArgument("QR text is empty");
  if (text.size() > kMaxQrTextBytes) {
    return Status::InvalidArgument("QR text is longer than " + std::to_string(kMaxQrTextBytes) +
                                   " bytes");
  }
  if (!IsKnownLevel(level)) return Status::InvalidArgument("unknown error correction level");

  // Version 0 asks for the smallest version that fits. QRcode_encodeData is byte mode, and
  // unlike QRcode_encodeString8bit it takes a length, so text with NUL bytes is not cut short.
  errno = 0;
  std::unique_ptr<QRcode, QrcodeDeleter> code(QRcode_encodeData(
      static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
      ToQrencodeLevel(level)));
  if (code == nullptr) {
    // ERANGE (too long) cannot happen below kMaxQrTextBytes, so this is ENOMEM in practice.
    return Status::IoError("QR encoder failed, errno " + std::to_string(errno));
  }
  QB_ASSERT(code->width >= 21 && code->width <= 177);

  QrModules modules;
  modules.width = code->width;
  size_t count = static_cast<size_t>(code->width) * static_cast<size_t>(code->width);
  modules.dark.resize(count);
  // libqrencode packs flags into each byte; bit 0 alone says dark or light.
  for (size_t i = 0; i < count; ++i) modules.dark[i] = code->data[i] & 1;
  *out = std::move(modules);
  return Status::Ok();
}

Status RenderQrSvg(std::string_view text, const QrImageOptions& options, std::string* svg) {
  if (Status status = ValidateQrImageOptions(options); !status.ok()) return status;
  QrModules modules;
  if (Status status = EncodeQrModules(text, options.level, &modules); !status.ok()) return status;

  const int32_t margin = options.margin_modules;
  const std::string side_modules = std::to_string(modules.width + 2 * margin);
  const std::string side_px =
      std::to_string((modules.width + 2 * margin) * static_cast<int32_t>(options.module_px));

  // Merging horizontal runs keeps a version 40 symbol to a few hundred kilobytes.
  std::string path;
  for (int32_t y = 0; y < modules.width; ++y) {
    int32_t x = 0;
    while (x < modules.width) {
      if (!modules.IsDark(x, y)) {
        ++x;
        continue;
      }
      int32_t run_start = x;
      while (x < modules.width && modules.IsDark(x, y)) ++x;
      AppendRun(run_start + margin, y + margin, x - run_start, &path);
    }
  }

  std::string document;
  document.reserve(path.size() + 400);
  document += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  document += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + side_px +
              "\" height=\"" + side_px + "\" viewBox=\"0 0 " + side_modules + " " + side_modules +
              "\" shape-rendering=\"crispEdges\">\n";
  document += "<rect x=\"0\" y=\"0\" width=\"" + side_modules + "\" height=\"" + side_modules +
              "\" fill=\"#ffffff\"/>\n";
  document += "<path fill=\"#000000\" d=\"" + path + "\"/>\n";
  document += "</svg>\n";
  *svg = std::move(document);
  return Status::Ok();
}

}  // namespace qb::qrimage
