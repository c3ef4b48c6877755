// Text helpers shared by the invoice module's sources: UTF-8 checks for request fields and the
// UTF-8 to GBK conversion the PDF's built-in Chinese fonts need. Private to src/invoice.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace qb::invoice {

// The number of code points in `text` when it is well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF) without control characters (U+0000-U+001F, U+007F-U+009F);
// nullopt otherwise.
std::optional<size_t> CountPrintableCodePoints(std::string_view text);

// Splits well-formed UTF-8 into its code points, each as its own byte string.
std::vector<std::string_view> SplitCodePoints(std::string_view text);

// Converts UTF-8 to GBK with iconv. InvalidArgument "<field>: not representable in GBK" when
// `text` is not valid UTF-8 or holds a character GBK lacks. Thread-safe (one iconv per call).
Status Utf8ToGbk(std::string_view field, std::string_view text, std::string* gbk);

}  // namespace qb::invoice
