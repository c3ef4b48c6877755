#include "merchant/merchant_category.h"

#include <array>

namespace qb::merchant {
namespace {

// MCCs chosen from ISO 18245 where one describes the category; the comment gives its title.
constexpr std::array<MerchantCategory, 16> kCategories = {{
    // 5812 Eating Places, Restaurants
    {"catering", 5812, "餐饮", "Catering"},
    // 5411 Grocery Stores, Supermarkets
    {"supermarket", 5411, "超市", "Supermarket"},
    // 5499 Miscellaneous Food Stores - Convenience Stores and Specialty Markets
    {"convenience", 5499, "便利店", "Convenience store"},
    // 4111 Local and Suburban Commuter Passenger Transportation
    {"transport", 4111, "交通出行", "Transport"},
    // 4900 Utilities - Electric, Gas, Water, Sanitary
    {"utilities", 4900, "生活缴费", "Utilities"},
    // 8299 Schools and Educational Services (Not Elsewhere Classified)
    {"education", 8299, "教育培训", "Education"},
    // 8099 Medical Services and Health Practitioners (Not Elsewhere Classified)
    {"health", 8099, "医疗健康", "Health"},
    // 7999 Recreation Services (Not Elsewhere Classified)
    {"entertainment", 7999, "休闲娱乐", "Entertainment"},
    // 5964 Direct Marketing - Catalog Merchant: the code for remote-order retail
    {"online_retail", 5964, "网络购物", "Online retail"},
    // 5541 Service Stations
    {"fuel", 5541, "加油", "Fuel"},
    // 7011 Lodging - Hotels, Motels, Resorts
    {"travel_hotel", 7011, "旅游住宿", "Travel and hotels"},
    // 4814 Telecommunication Services
    {"telecom", 4814, "通信", "Telecom"},
    // 9399 Government Services (Not Elsewhere Classified)
    {"government_fees", 9399, "政务缴费", "Government fees"},
    // 8398 Charitable and Social Service Organizations
    {"charity", 8398, "公益慈善", "Charity"},
    // 5311 Department Stores
    {"department_store", 5311, "百货商场", "Department store"},
    // 5999 Miscellaneous and Specialty Retail Stores: the catch-all
    {"other", 5999, "其他", "Other"},
}};

constexpr bool IdsAndMccsAreUnique() {
  for (size_t i = 0; i < kCategories.size(); ++i) {
    for (size_t j = i + 1; j < kCategories.size(); ++j) {
      if (kCategories[i].id == kCategories[j].id) return false;
      if (kCategories[i].mcc == kCategories[j].mcc) return false;
    }
  }
  return true;
}
static_assert(IdsAndMccsAreUnique());

}  // namespace

std::span<const MerchantCategory> AllMerchantCategories() { return kCategories; }

const MerchantCategory* FindMerchantCategoryById(std::string_view id) {
  for (const MerchantCategory& category : kCategories) {
    if (category.id == id) return &category;
  }
  return nullptr;
}

const MerchantCategory* FindMerchantCategoryByMcc(uint16_t mcc) {
  for (const MerchantCategory& category : kCategories) {
    if (category.mcc == mcc) return &category;
  }
  return nullptr;
}

}  // namespace qb::merchant
