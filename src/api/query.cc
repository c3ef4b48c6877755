#include "api/query.h"

#include <algorithm>
#include <cstdint>

namespace qb::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ApiError BadQuery(std::string why) {
  return MakeError(ErrorCode::kBadRequest, "malformed query string: " + std::move(why));
}

// Strict UTF-8 (no overlong forms, surrogates or values past U+10FFFF) and no C0, DEL or C1
// control characters.
bool IsCleanUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7F) return false;
      ++i;
      continue;
    }
    size_t extra = 0;
    uint32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) ||
        (code_point >= 0x80 && code_point <= 0x9F)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::optional<std::string> Decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      decoded += c;
    }
  }
  return decoded;
}

}  // namespace

std::optional<std::string_view> QueryParams::Get(std::string_view name) const {
  for (const auto& [key, value] : pairs_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view QueryParams::GetOr(std::string_view name, std::string_view fallback) const {
  return Get(name).value_or(fallback);
}

ApiResult<QueryParams> ParseQuery(std::string_view target) {
  size_t question = target.find('?');
  if (question == std::string_view::npos) return QueryParams();
  std::string_view query = target.substr(question + 1);
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view segment = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (segment.empty()) continue;
    if (pairs.size() == kMaxQueryParameters) {
      return BadQuery("more than " + std::to_string(kMaxQueryParameters) + " parameters");
    }
    size_t equals = segment.find('=');
    std::optional<std::string> name = Decode(segment.substr(0, equals));
    std::optional<std::string> value =
        Decode(equals == std::string_view::npos ? std::string_view() : segment.substr(equals + 1));
    if (!name || !value) return BadQuery("bad percent escape");
    if (name->empty()) return BadQuery("a parameter has no name");
    if (!IsCleanUtf8(*name) || !IsCleanUtf8(*value)) {
      return BadQuery("not UTF-8 text, or holds control characters");
    }
    bool duplicate = std::any_of(pairs.begin(), pairs.end(),
                                 [&](const auto& pair) { return pair.first == *name; });
    if (duplicate) {
      // The name is the client's own clean UTF-8 text: safe to echo, cut on a character
      // boundary so the message stays valid UTF-8.
      size_t end = std::min<size_t>(name->size(), 64);
      while (end < name->size() && (static_cast<unsigned char>((*name)[end]) & 0xC0) == 0x80) {
        --end;
      }
      return BadQuery("parameter \"" + name->substr(0, end) + "\" given twice");
    }
    pairs.emplace_back(std::move(*name), std::move(*value));
  }
  return QueryParams(std::move(pairs));
}

}  // namespace qb::api
