#include "wallet/staff_access.h"

#include <array>
#include <utility>

#include "base/assert.h"

namespace qb::wallet {
namespace {

using identity::StaffRole;

constexpr uint32_t Any(std::initializer_list<StaffRole> roles) {
  uint32_t bits = 0;
  for (StaffRole role : roles) bits |= static_cast<uint32_t>(role);
  return bits;
}

constexpr uint32_t kAdmin = Any({StaffRole::kAdmin});
constexpr uint32_t kAdminOrAuditor = Any({StaffRole::kAdmin, StaffRole::kAuditor});
// Everyone who serves customers: support answers them, risk investigates them, the outreach
// team onboards them in the field.
constexpr uint32_t kCustomerFacing = Any({StaffRole::kAdmin, StaffRole::kSupport, StaffRole::kRisk,
                                          StaffRole::kOutreachManager, StaffRole::kOutreachAgent});
constexpr uint32_t kMarketingWriters = Any({StaffRole::kAdmin, StaffRole::kMarketing});
constexpr uint32_t kMarketingReaders =
    Any({StaffRole::kAdmin, StaffRole::kMarketing, StaffRole::kAuditor});
constexpr uint32_t kRiskWriters = Any({StaffRole::kAdmin, StaffRole::kRisk});
constexpr uint32_t kRiskReaders = Any({StaffRole::kAdmin, StaffRole::kRisk, StaffRole::kAuditor});
constexpr uint32_t kMerchantReaders =
    Any({StaffRole::kAdmin, StaffRole::kRisk, StaffRole::kSupport, StaffRole::kAuditor});

constexpr std::array kTable = {
    // Oneself.
    StaffRouteAccess{"GET", "/api/v1/staff/me", identity::kAllStaffRoles},
    StaffRouteAccess{"DELETE", "/api/v1/staff/sessions/current", identity::kAllStaffRoles},
    // Staff accounts: only admins create them; auditors review who holds which role.
    StaffRouteAccess{"POST", "/api/v1/staff/staff", kAdmin},
    StaffRouteAccess{"GET", "/api/v1/staff/staff", kAdminOrAuditor},
    // Customers.
    StaffRouteAccess{"GET", "/api/v1/staff/customers", kCustomerFacing},
    StaffRouteAccess{"GET", "/api/v1/staff/customers/{id}", kCustomerFacing},
    StaffRouteAccess{
        "POST", "/api/v1/staff/customers/{id}/tier",
        Any({StaffRole::kAdmin, StaffRole::kOutreachManager, StaffRole::kOutreachAgent})},
    // Opening a sealed resident ID or card number, with a reason the audit log keeps: those who
    // must check a customer's documents, not auditors (who read the log) nor the field team.
    StaffRouteAccess{"POST", "/api/v1/staff/customers/{id}/reveal",
                     Any({StaffRole::kAdmin, StaffRole::kSupport, StaffRole::kRisk})},
    // Paying a former customer the refunds that reached the closed account: support, who
    // contact them, and admins.
    StaffRouteAccess{"POST", "/api/v1/staff/customers/{id}/refund-payouts",
                     Any({StaffRole::kAdmin, StaffRole::kSupport})},
    // Merchants.
    StaffRouteAccess{"POST", "/api/v1/staff/merchants", kAdmin},
    StaffRouteAccess{"GET", "/api/v1/staff/merchants", kMerchantReaders},
    StaffRouteAccess{"GET", "/api/v1/staff/merchants/{id}", kMerchantReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/merchants/{id}/status",
                     Any({StaffRole::kAdmin, StaffRole::kRisk})},
    // Settlement and the books.
    StaffRouteAccess{"POST", "/api/v1/staff/settlements/run", kAdmin},
    StaffRouteAccess{"GET", "/api/v1/staff/settlements", kAdminOrAuditor},
    StaffRouteAccess{"GET", "/api/v1/staff/reconciliation", kAdminOrAuditor},
    StaffRouteAccess{"GET", "/api/v1/staff/ledger/verification", kAdminOrAuditor},
    StaffRouteAccess{"GET", "/api/v1/staff/audit", kAdminOrAuditor},
    // Operations.
    StaffRouteAccess{"GET", "/api/v1/staff/sms-outbox", kAdmin},
    // Marketing: campaigns and coupons. Auditors read what campaigns cost; only marketing
    // (and admins) change them.
    StaffRouteAccess{"GET", "/api/v1/staff/campaigns", kMarketingReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/campaigns/{id}", kMarketingReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/campaigns/{id}", kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns/{id}/status", kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns/{id}/top-ups", kMarketingWriters},
    // A dry run reads history only, but it is a tool for designing campaigns.
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns/dry-run", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/campaigns/{id}/uplift", kMarketingReaders},
    // Custom lists (customer_list_routes.cc): readers see names and counts, never members.
    StaffRouteAccess{"GET", "/api/v1/staff/customer-lists", kMarketingReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/customer-lists", kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/customer-lists/{id}/members", kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/customer-lists/{id}/removals", kMarketingWriters},
    StaffRouteAccess{"DELETE", "/api/v1/staff/customer-lists/{id}", kMarketingWriters},
    // Offer pushes (offer_routes.cc): choosing an audience reads customers' spending profiles,
    // so only marketing writers preview or push; readers see what was pushed.
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns/{id}/offer-pushes/preview",
                     kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/campaigns/{id}/offer-pushes", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/campaigns/{id}/offer-pushes", kMarketingReaders},
    StaffRouteAccess{"GET", "/api/v1/staff/coupon-templates", kMarketingReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/coupon-templates", kMarketingWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/coupon-templates/{id}/issues", kMarketingWriters},
    // Redeem codes are bearer value: only those who may issue coupons see them.
    StaffRouteAccess{"POST", "/api/v1/staff/coupon-templates/{id}/code-batches", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/coupon-templates/{id}/code-batches", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/code-batches/{id}/codes.csv", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/points-program", kMarketingReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/points-program", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/referral-program", kMarketingReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/referral-program", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/referrals", kMarketingReaders},
    StaffRouteAccess{"GET", "/api/v1/staff/lottery", kMarketingReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/lottery", kMarketingWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/red-packets", kMarketingReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/red-packets", kMarketingWriters},
    // Risk (issue 7): rules, block/allow lists and the review queue. Auditors read them; risk
    // analysts (and admins) change them.
    StaffRouteAccess{"GET", "/api/v1/staff/risk/reviews", kRiskReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/risk/reviews/{payment_id}/approve", kRiskWriters},
    StaffRouteAccess{"POST", "/api/v1/staff/risk/reviews/{payment_id}/reject", kRiskWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/risk/rules", kRiskReaders},
    StaffRouteAccess{"PUT", "/api/v1/staff/risk/rules", kRiskWriters},
    StaffRouteAccess{"GET", "/api/v1/staff/risk/shadow-log", kRiskReaders},
    StaffRouteAccess{"GET", "/api/v1/staff/risk/lists", kRiskReaders},
    StaffRouteAccess{"POST", "/api/v1/staff/risk/lists", kRiskWriters},
    StaffRouteAccess{"DELETE", "/api/v1/staff/risk/lists", kRiskWriters},
    // AML reports (issue 7): large-value transactions and suspicious cases, read by risk
    // analysts and auditors (and admins).
    StaffRouteAccess{"GET", "/api/v1/staff/aml/large-value", kRiskReaders},
    StaffRouteAccess{"GET", "/api/v1/staff/aml/cases", kRiskReaders},
};

}  // namespace

std::span<const StaffRouteAccess> StaffRouteTable() { return kTable; }

const StaffRouteAccess* FindStaffRoute(std::string_view method, std::string_view path) {
  for (const StaffRouteAccess& access : kTable) {
    if (access.method == method && access.path == path) return &access;
  }
  return nullptr;
}

void AddStaffRoute(Router& router, WalletContext& context, std::string method, std::string path,
                   StaffHandler handler) {
  const StaffRouteAccess* access = FindStaffRoute(method, path);
  QB_ASSERT(access != nullptr);  // Every staff route has its line in kTable.
  const uint32_t roles = access->roles;
  router.Add(
      std::move(method), std::move(path),
      [&context, roles, handler = std::move(handler)](HttpRequest&& request, Responder respond) {
        std::optional<Principal> staff = RequireStaffRoles(context, request, respond, roles);
        if (staff) handler(*staff, std::move(request), std::move(respond));
      });
}

}  // namespace qb::wallet
