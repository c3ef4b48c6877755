// The merchant categories a merchant picks at onboarding. Each has a stable string id (stored and
// sent over the API; never renamed), a four-digit merchant category code from ISO 18245 (the
// MCC card schemes use, so reports line up with card acquiring) and display names.
//
// The list is a compile-time table: every function here is pure and thread-safe, and returned
// pointers stay valid for the life of the program.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace qb::merchant {

struct MerchantCategory {
  std::string_view id;       // stable lower_snake_case id, e.g. "catering"
  uint16_t mcc;              // ISO 18245 merchant category code, unique within the table
  std::string_view name_zh;  // display name in Chinese
  std::string_view name_en;  // display name in English
};

// Every category, in display order. Ids and MCCs are unique.
std::span<const MerchantCategory> AllMerchantCategories();

// nullptr when `id` is not a category id (ids are case-sensitive).
const MerchantCategory* FindMerchantCategoryById(std::string_view id);

// nullptr when no category carries `mcc`.
const MerchantCategory* FindMerchantCategoryByMcc(uint16_t mcc);

}  // namespace qb::merchant
