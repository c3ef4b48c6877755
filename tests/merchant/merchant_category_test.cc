#include "merchant/merchant_category.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace qb::merchant {
namespace {

TEST(MerchantCategoryTest, IssueCategoriesHaveTheirMccs) {
  // The categories the issue names, with the ISO 18245 codes chosen for them.
  const std::pair<std::string_view, uint16_t> kExpected[] = {
      {"catering", 5812},        {"supermarket", 5411},
      {"convenience", 5499},     {"transport", 4111},
      {"utilities", 4900},       {"education", 8299},
      {"health", 8099},          {"entertainment", 7999},
      {"online_retail", 5964},   {"fuel", 5541},
      {"travel_hotel", 7011},    {"telecom", 4814},
      {"government_fees", 9399}, {"charity", 8398},
      {"other", 5999},
  };
  for (const auto& [id, mcc] : kExpected) {
    const MerchantCategory* category = FindMerchantCategoryById(id);
    ASSERT_NE(category, nullptr) << id;
    EXPECT_EQ(category->mcc, mcc) << id;
    EXPECT_EQ(FindMerchantCategoryByMcc(mcc), category) << mcc;
  }
}

TEST(MerchantCategoryTest, NamesInBothLanguages) {
  const MerchantCategory* catering = FindMerchantCategoryById("catering");
  ASSERT_NE(catering, nullptr);
  EXPECT_EQ(catering->name_zh, "餐饮");
  EXPECT_EQ(catering->name_en, "Catering");
  for (const MerchantCategory& category : AllMerchantCategories()) {
    EXPECT_FALSE(category.name_zh.empty()) << category.id;
    EXPECT_FALSE(category.name_en.empty()) << category.id;
  }
}

TEST(MerchantCategoryTest, IdsAndMccsAreUniqueAndWellFormed) {
  std::set<std::string_view> ids;
  std::set<uint16_t> mccs;
  for (const MerchantCategory& category : AllMerchantCategories()) {
    EXPECT_TRUE(ids.insert(category.id).second) << category.id;
    EXPECT_TRUE(mccs.insert(category.mcc).second) << category.mcc;
    EXPECT_GE(category.mcc, 1000) << category.id;  // four digits
    EXPECT_LE(category.mcc, 9999) << category.id;
    for (char c : category.id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << category.id;
    }
    EXPECT_EQ(FindMerchantCategoryById(category.id), &category);
    EXPECT_EQ(FindMerchantCategoryByMcc(category.mcc), &category);
  }
  EXPECT_GE(AllMerchantCategories().size(), 15u);
}

TEST(MerchantCategoryTest, UnknownLookupsReturnNull) {
  EXPECT_EQ(FindMerchantCategoryById(""), nullptr);
  EXPECT_EQ(FindMerchantCategoryById("Catering"), nullptr);  // ids are case-sensitive
  EXPECT_EQ(FindMerchantCategoryById("catering "), nullptr);
  EXPECT_EQ(FindMerchantCategoryById("gambling"), nullptr);
  EXPECT_EQ(FindMerchantCategoryByMcc(0), nullptr);
  EXPECT_EQ(FindMerchantCategoryByMcc(7995), nullptr);  // betting is not a category
  EXPECT_EQ(FindMerchantCategoryByMcc(65535), nullptr);
}

}  // namespace
}  // namespace qb::merchant
