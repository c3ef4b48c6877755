#include "qrimage/qr_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace qb::qrimage {
namespace {

// A 7x7 finder pattern with its top-left corner at (x0, y0): a dark ring, a light ring and a
// dark 3x3 centre. Checked straight from the standard, independently of the encoder.
void ExpectFinderPattern(const QrModules& modules, int32_t x0, int32_t y0) {
  for (int32_t dy = 0; dy < 7; ++dy) {
    for (int32_t dx = 0; dx < 7; ++dx) {
      int32_t ring = std::min(std::min(dx, dy), std::min(6 - dx, 6 - dy));
      bool dark = ring != 1;
      EXPECT_EQ(modules.IsDark(x0 + dx, y0 + dy), dark) << dx << "," << dy;
    }
  }
}

TEST(QrModulesTest, ShortTextIsVersionOneWithFinderPatterns) {
  QrModules modules;
  ASSERT_TRUE(EncodeQrModules("hello", QrErrorCorrection::kMedium, &modules).ok());
  EXPECT_EQ(modules.width, 21);
  ASSERT_EQ(modules.dark.size(), 21u * 21u);
  for (uint8_t value : modules.dark) EXPECT_LE(value, 1);
  ExpectFinderPattern(modules, 0, 0);
  ExpectFinderPattern(modules, 14, 0);
  ExpectFinderPattern(modules, 0, 14);
}

TEST(QrModulesTest, HigherLevelNeedsAtLeastAsManyModules) {
  std::string text(100, 'q');
  int32_t previous = 0;
  for (QrErrorCorrection level : {QrErrorCorrection::kLow, QrErrorCorrection::kMedium,
                                  QrErrorCorrection::kQuartile, QrErrorCorrection::kHigh}) {
    QrModules modules;
    ASSERT_TRUE(EncodeQrModules(text, level, &modules).ok());
    EXPECT_GE(modules.width, previous);
    EXPECT_EQ((modules.width - 17) % 4, 0) << "width must be 17 + 4 * version";
    previous = modules.width;
  }
}

TEST(QrModulesTest, LongestTextFitsAtHighestLevel) {
  QrModules modules;
  std::string text(kMaxQrTextBytes, '\xA5');
  ASSERT_TRUE(EncodeQrModules(text, QrErrorCorrection::kHigh, &modules).ok());
  EXPECT_LE(modules.width, 177);
}

TEST(QrModulesTest, BytesAfterNulAreEncoded) {
  QrModules with_tail;
  QrModules without_tail;
  ASSERT_TRUE(
      EncodeQrModules(std::string_view("ab\0cd", 5), QrErrorCorrection::kLow, &with_tail).ok());
  ASSERT_TRUE(EncodeQrModules("ab", QrErrorCorrection::kLow, &without_tail).ok());
  EXPECT_NE(with_tail.dark, without_tail.dark);
}

TEST(QrModulesTest, RejectsEmptyTooLongAndUnknownLevel) {
  QrModules modules;
  modules.width = 99;
  EXPECT_EQ(EncodeQrModules("", QrErrorCorrection::kMedium, &modules).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(
      EncodeQrModules(std::string(kMaxQrTextBytes + 1, 'a'), QrErrorCorrection::kLow, &modules)
          .code(),
      Status::Code::kInvalidArgument);
  EXPECT_EQ(EncodeQrModules("a", static_cast<QrErrorCorrection>(7), &modules).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(modules.width, 99) << "output must be untouched on error";
}

TEST(QrOptionsTest, BoundsAreInclusive) {
  QrImageOptions options;
  EXPECT_TRUE(ValidateQrImageOptions(options).ok());
  for (int32_t module_px : {kMinModulePx, kMaxModulePx}) {
    options.module_px = module_px;
    EXPECT_TRUE(ValidateQrImageOptions(options).ok()) << module_px;
  }
  for (int32_t module_px : {kMinModulePx - 1, kMaxModulePx + 1, -8}) {
    options.module_px = module_px;
    EXPECT_FALSE(ValidateQrImageOptions(options).ok()) << module_px;
  }
  options = QrImageOptions();
  for (int32_t margin : {kMinMarginModules, kMaxMarginModules}) {
    options.margin_modules = margin;
    EXPECT_TRUE(ValidateQrImageOptions(options).ok()) << margin;
  }
  for (int32_t margin : {kMinMarginModules - 1, kMaxMarginModules + 1}) {
    options.margin_modules = margin;
    EXPECT_FALSE(ValidateQrImageOptions(options).ok()) << margin;
  }
}

// Reads the value of attribute `name` from the first element named `element`.
std::string Attribute(const std::string& svg, const std::string& element, const std::string& name) {
  size_t start = svg.find("<" + element + " ");
  if (start == std::string::npos) return "";
  size_t end = svg.find('>', start);
  size_t at = svg.find(" " + name + "=\"", start);
  if (at == std::string::npos || at > end) return "";
  at += name.size() + 3;
  return svg.substr(at, svg.find('"', at) - at);
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Replays the path data, which must be only "Mx,yhNv1h-Nz" runs, onto a grid of side `side`
// counting how often each cell is covered.
std::vector<int32_t> CoverageFromPath(const std::string& path, int32_t side) {
  std::vector<int32_t> covered(static_cast<size_t>(side) * side, 0);
  size_t at = 0;
  while (at < path.size()) {
    int x = 0, y = 0, length = 0, back = 0, consumed = 0;
    int fields =
        std::sscanf(path.c_str() + at, "M%d,%dh%dv1h-%dz%n", &x, &y, &length, &back, &consumed);
    if (fields != 4 || consumed == 0 || length != back || length <= 0) {
      ADD_FAILURE() << "bad path data at " << at << ": " << path.substr(at, 30);
      return covered;
    }
    for (int dx = 0; dx < length; ++dx) {
      if (x + dx < side && y < side) ++covered[static_cast<size_t>(y) * side + x + dx];
    }
    at += static_cast<size_t>(consumed);
  }
  return covered;
}

void ExpectSvgMatchesModules(const std::string& text, const QrImageOptions& options) {
  std::string svg;
  ASSERT_TRUE(RenderQrSvg(text, options, &svg).ok());
  QrModules modules;
  ASSERT_TRUE(EncodeQrModules(text, options.level, &modules).ok());
  const int32_t side = modules.width + 2 * options.margin_modules;
  const std::string side_text = std::to_string(side);
  const std::string side_px = std::to_string(side * options.module_px);

  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(Count(svg, "<svg "), 1u);
  EXPECT_EQ(Count(svg, "<rect "), 1u);
  EXPECT_EQ(Count(svg, "<path "), 1u);
  EXPECT_EQ(Count(svg, "<"), Count(svg, ">"));
  EXPECT_EQ(Attribute(svg, "svg", "xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(Attribute(svg, "svg", "viewBox"), "0 0 " + side_text + " " + side_text);
  EXPECT_EQ(Attribute(svg, "svg", "width"), side_px);
  EXPECT_EQ(Attribute(svg, "svg", "height"), side_px);
  EXPECT_EQ(Attribute(svg, "svg", "shape-rendering"), "crispEdges");
  EXPECT_EQ(Attribute(svg, "rect", "width"), side_text);
  EXPECT_EQ(Attribute(svg, "rect", "fill"), "#ffffff");
  EXPECT_EQ(Attribute(svg, "path", "fill"), "#000000");

  std::vector<int32_t> covered = CoverageFromPath(Attribute(svg, "path", "d"), side);
  const int32_t margin = options.margin_modules;
  for (int32_t y = 0; y < side; ++y) {
    for (int32_t x = 0; x < side; ++x) {
      bool inside = x >= margin && y >= margin && x < side - margin && y < side - margin;
      int32_t expected = inside && modules.IsDark(x - margin, y - margin) ? 1 : 0;
      ASSERT_EQ(covered[static_cast<size_t>(y) * side + x], expected) << x << "," << y;
    }
  }
}

TEST(QrSvgTest, PathCoversExactlyTheDarkModules) {
  ExpectSvgMatchesModules("https://qianbao.example/m/91350100M000100Y43", QrImageOptions());
  QrImageOptions no_margin;
  no_margin.margin_modules = 0;
  no_margin.module_px = 1;
  no_margin.level = QrErrorCorrection::kHigh;
  ExpectSvgMatchesModules("钱包 收款码", no_margin);
  QrImageOptions large;
  large.margin_modules = kMaxMarginModules;
  large.module_px = kMaxModulePx;
  ExpectSvgMatchesModules(std::string(kMaxQrTextBytes, 'z'), large);
}

TEST(QrSvgTest, RejectsBadInputAndLeavesOutputAlone) {
  std::string svg = "unchanged";
  QrImageOptions options;
  EXPECT_EQ(RenderQrSvg("", options, &svg).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(RenderQrSvg(std::string(kMaxQrTextBytes + 1, 'x'), options, &svg).code(),
            Status::Code::kInvalidArgument);
  options.module_px = 0;
  EXPECT_EQ(RenderQrSvg("ok", options, &svg).code(), Status::Code::kInvalidArgument);
  options = QrImageOptions();
  options.margin_modules = 17;
  EXPECT_EQ(RenderQrSvg("ok", options, &svg).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(svg, "unchanged");
}

TEST(QrSvgTest, ConcurrentRendersAgree) {
  // libqrencode keeps internal tables behind a mutex; concurrent encodes must not disturb
  // each other.
  constexpr int32_t kThreads = 4;
  constexpr int32_t kRendersPerThread = 50;
  std::string expected;
  ASSERT_TRUE(RenderQrSvg("qbpay:1.concurrent", QrImageOptions(), &expected).ok());
  std::vector<int32_t> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int32_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int32_t i = 0; i < kRendersPerThread; ++i) {
        std::string svg;
        if (!RenderQrSvg("qbpay:1.concurrent", QrImageOptions(), &svg).ok() || svg != expected) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int32_t count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace qb::qrimage
