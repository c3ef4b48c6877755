// The bank's staff: accounts with roles, log-in lockout and sessions. Pure and deterministic
// like the CustomerBook: passwords and tokens arrive hashed, time is the batch time.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "identity/customer_book.h"
#include "identity/session_table.h"

namespace qb::identity {

// Staff idle out sooner than customers (DESIGN.md); the absolute lifetime is the same.
inline constexpr int64_t kStaffSessionLifetimeNs = kSessionLifetimeNs;

// Roles are bits, so one person can hold several. Stable values: append, never renumber.
enum class StaffRole : uint32_t {
  kAdmin = 1u << 0,
  kMarketing = 1u << 1,
  kRisk = 1u << 2,
  kOutreachManager = 1u << 3,
  kOutreachAgent = 1u << 4,
  kSupport = 1u << 5,
  kAuditor = 1u << 6,
};
inline constexpr uint32_t kAllStaffRoles = (1u << 7) - 1;

std::string_view StaffRoleName(StaffRole role);  // "admin", "outreach_manager", ...
std::optional<StaffRole> ParseStaffRole(std::string_view name);
// The names of the roles in `roles`, in bit order.
std::vector<std::string_view> StaffRoleNames(uint32_t roles);
inline bool HasRole(uint32_t roles, StaffRole role) {
  return (roles & static_cast<uint32_t>(role)) != 0;
}

struct StaffRegistration {
  std::string username;  // Unique, as typed (the API normalises to lower case).
  std::string display_name;
  std::string password_hash;
  uint32_t roles = 0;
};

struct Staff {
  uint64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;
  uint32_t roles = 0;
  int64_t created_ns = 0;
  uint32_t failed_logins = 0;
  int64_t locked_until_ns = 0;
  bool operator==(const Staff&) const = default;
};

class StaffBook {
 public:
  // Ids are the count plus one: staff are never deleted.
  IdentityResult Create(const StaffRegistration& registration, int64_t now_ns, uint64_t* staff_id);
  const Staff* FindById(uint64_t staff_id) const;
  const Staff* FindByUsername(std::string_view username) const;
  IdentityResult RecordLogin(uint64_t staff_id, bool password_ok, int64_t now_ns);
  IdentityResult CreateSession(std::string_view token_hash, uint64_t staff_id, int64_t now_ns);
  IdentityResult RevokeSession(std::string_view token_hash);
  // `Session::customer_id` holds the staff id here.
  const Session* FindSession(std::string_view token_hash, int64_t now_ns) const;
  // Drops sessions past their expiry, at most `limit`, earliest first; returns how many.
  size_t Sweep(int64_t now_ns, size_t limit);

  size_t staff_count() const { return staff_.size(); }
  // Visits every session (token hash, session), in no particular order.
  template <typename Visit>
  void ForEachSession(Visit&& visit) const {
    sessions_.ForEach(visit);
  }
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (uint64_t id = 1; id <= staff_.size(); id++) visit(staff_.at(id));
  }

  void Clear();
  Digest StateHash() const;
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  absl::flat_hash_map<uint64_t, Staff> staff_;
  absl::flat_hash_map<std::string, uint64_t> staff_by_username_;
  SessionTable sessions_;
};

}  // namespace qb::identity
