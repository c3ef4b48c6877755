#include <gtest/gtest.h>
#include <png.h>
#include <zbar.h>

#include <cstring>
#include <string>
#include <vector>

#include "qrimage/qr_image.h"

namespace qb::qrimage {
namespace {

struct GrayImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> pixels;  // 8-bit gray, row-major
};

uint32_t ReadBigEndian32(const std::string& bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3]));
}

// Decodes with libpng's simplified API, which expands 1-bit gray to 0 / 255.
bool DecodePng(const std::string& png, GrayImage* out) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, png.data(), png.size()) == 0) return false;
  image.format = PNG_FORMAT_GRAY;
  out->width = image.width;
  out->height = image.height;
  out->pixels.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, out->pixels.data(), 0, nullptr) == 0) {
    png_image_free(&image);
    return false;
  }
  return true;
}

// Every QR symbol zbar finds in the image, as raw bytes (no charset conversion).
std::vector<std::string> ScanQr(const GrayImage& gray) {
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::zbar_image_t* image = zbar::zbar_image_create();
  zbar::zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(image, gray.width, gray.height);
  zbar::zbar_image_set_data(image, gray.pixels.data(), gray.pixels.size(), nullptr);
  std::vector<std::string> found;
  if (zbar::zbar_scan_image(scanner, image) > 0) {
    for (const zbar::zbar_symbol_t* symbol = zbar::zbar_image_first_symbol(image);
         symbol != nullptr; symbol = zbar::zbar_symbol_next(symbol)) {
      found.emplace_back(zbar::zbar_symbol_get_data(symbol),
                         zbar::zbar_symbol_get_data_length(symbol));
    }
  }
  zbar::zbar_image_destroy(image);
  zbar::zbar_image_scanner_destroy(scanner);
  return found;
}

std::string PaymentCodeText() {
  // The shape of a customer payment code: a scheme, a version and ~190 base64url characters.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string text = "qbpay:1.";
  for (size_t i = 0; i < 192; ++i) text += alphabet[(i * 37 + 11) % alphabet.size()];
  return text;
}

TEST(QrPngTest, HeaderHasSignatureAndSize) {
  QrImageOptions options;
  options.module_px = 3;
  options.margin_modules = 2;
  std::string png;
  ASSERT_TRUE(RenderQrPng("hello", options, &png).ok());
  ASSERT_GE(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(ReadBigEndian32(png, 8), 13u);
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  const uint32_t side_px = (21 + 2 * 2) * 3;
  EXPECT_EQ(ReadBigEndian32(png, 16), side_px);
  EXPECT_EQ(ReadBigEndian32(png, 20), side_px);
  EXPECT_EQ(png[24], 1) << "bit depth";
  EXPECT_EQ(png[25], 0) << "colour type gray";
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
}

void ExpectPixelsMatchModules(const std::string& text, const QrImageOptions& options) {
  std::string png;
  ASSERT_TRUE(RenderQrPng(text, options, &png).ok());
  QrModules modules;
  ASSERT_TRUE(EncodeQrModules(text, options.level, &modules).ok());
  GrayImage gray;
  ASSERT_TRUE(DecodePng(png, &gray));
  const int32_t margin = options.margin_modules;
  const uint32_t side_px = static_cast<uint32_t>((modules.width + 2 * margin) * options.module_px);
  ASSERT_EQ(gray.width, side_px);
  ASSERT_EQ(gray.height, side_px);
  for (uint32_t y = 0; y < side_px; ++y) {
    for (uint32_t x = 0; x < side_px; ++x) {
      int32_t module_x = static_cast<int32_t>(x) / options.module_px - margin;
      int32_t module_y = static_cast<int32_t>(y) / options.module_px - margin;
      bool inside =
          module_x >= 0 && module_y >= 0 && module_x < modules.width && module_y < modules.width;
      uint8_t expected = inside && modules.IsDark(module_x, module_y) ? 0 : 255;
      ASSERT_EQ(gray.pixels[static_cast<size_t>(y) * side_px + x], expected) << x << "," << y;
    }
  }
}

TEST(QrPngTest, EveryPixelMatchesTheModules) {
  ExpectPixelsMatchModules("hello", QrImageOptions());
  QrImageOptions tight;
  tight.module_px = 1;
  tight.margin_modules = 0;
  ExpectPixelsMatchModules(PaymentCodeText(), tight);
  // Widths that are not multiples of 8 exercise the padding bits at the end of a packed row.
  QrImageOptions odd;
  odd.module_px = 3;
  odd.margin_modules = 1;
  odd.level = QrErrorCorrection::kHigh;
  ExpectPixelsMatchModules("钱包 收款码", odd);
  QrImageOptions largest;
  largest.module_px = kMaxModulePx;
  largest.margin_modules = kMaxMarginModules;
  ExpectPixelsMatchModules("x", largest);
}

TEST(QrPngTest, ZbarReadsBackAsciiText) {
  const std::string text = "https://qianbao.example/m/91350100M000100Y43?store=7";
  std::string png;
  ASSERT_TRUE(RenderQrPng(text, QrImageOptions(), &png).ok());
  GrayImage gray;
  ASSERT_TRUE(DecodePng(png, &gray));
  EXPECT_EQ(ScanQr(gray), std::vector<std::string>{text});
}

TEST(QrPngTest, ZbarReadsBackPaymentCodeAtEveryLevel) {
  const std::string text = PaymentCodeText();
  ASSERT_EQ(text.size(), 200u);
  for (QrErrorCorrection level : {QrErrorCorrection::kLow, QrErrorCorrection::kMedium,
                                  QrErrorCorrection::kQuartile, QrErrorCorrection::kHigh}) {
    QrImageOptions options;
    options.module_px = 4;
    options.level = level;
    std::string png;
    ASSERT_TRUE(RenderQrPng(text, options, &png).ok());
    GrayImage gray;
    ASSERT_TRUE(DecodePng(png, &gray));
    EXPECT_EQ(ScanQr(gray), std::vector<std::string>{text}) << static_cast<int>(level);
  }
}

TEST(QrPngTest, ZbarReadsBackUtf8Text) {
  const std::string text = "钱包商户 · 收款码 No.0007";
  std::string png;
  ASSERT_TRUE(RenderQrPng(text, QrImageOptions(), &png).ok());
  GrayImage gray;
  ASSERT_TRUE(DecodePng(png, &gray));
  EXPECT_EQ(ScanQr(gray), std::vector<std::string>{text});
}

TEST(QrPngTest, ZbarReadsBackArbitraryBytes) {
  // Byte mode carries any bytes; zbar's binary option returns them unconverted.
  const std::string text("\x00\x01qb\xFE\xFF\x80pay\x00", 11);
  std::string png;
  ASSERT_TRUE(RenderQrPng(text, QrImageOptions(), &png).ok());
  GrayImage gray;
  ASSERT_TRUE(DecodePng(png, &gray));
  EXPECT_EQ(ScanQr(gray), std::vector<std::string>{text});
}

TEST(QrPngTest, RejectsBadInputAndLeavesOutputAlone) {
  std::string png = "unchanged";
  QrImageOptions options;
  EXPECT_EQ(RenderQrPng("", options, &png).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(RenderQrPng(std::string(kMaxQrTextBytes + 1, 'x'), options, &png).code(),
            Status::Code::kInvalidArgument);
  options.module_px = kMaxModulePx + 1;
  EXPECT_EQ(RenderQrPng("ok", options, &png).code(), Status::Code::kInvalidArgument);
  options = QrImageOptions();
  options.margin_modules = -1;
  EXPECT_EQ(RenderQrPng("ok", options, &png).code(), Status::Code::kInvalidArgument);
  options = QrImageOptions();
  options.level = static_cast<QrErrorCorrection>(4);
  EXPECT_EQ(RenderQrPng("ok", options, &png).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(png, "unchanged");
}

}  // namespace
}  // namespace qb::qrimage
