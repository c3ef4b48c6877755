// Encoding used by Serialize (and hashed by StateHash), integers little-endian, tables sorted
// by key:
//   book    := magic:u32 ("QBS1") staff_count:u64 staff* session_count:u64 session*
//   staff   := id:u64 username:str display_name:str password_hash:str roles:u32
//              created_ns:i64 failed_logins:u32 locked_until_ns:i64
//   session := token_hash:str staff_id:u64 created_ns:i64 expires_ns:i64
#include "identity/staff_book.h"

#include <absl/strings/string_view.h>

#include <algorithm>
#include <array>

#include "base/bytes.h"

namespace qb::identity {
namespace {

constexpr uint32_t kMagic = 0x31534251;  // "QBS1"

constexpr std::array<std::pair<StaffRole, std::string_view>, 7> kRoleNames = {{
    {StaffRole::kAdmin, "admin"},
    {StaffRole::kMarketing, "marketing"},
    {StaffRole::kRisk, "risk"},
    {StaffRole::kOutreachManager, "outreach_manager"},
    {StaffRole::kOutreachAgent, "outreach_agent"},
    {StaffRole::kSupport, "support"},
    {StaffRole::kAuditor, "auditor"},
}};

absl::string_view Key(std::string_view text) { return absl::string_view(text.data(), text.size()); }

}  // namespace

std::string_view StaffRoleName(StaffRole role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<StaffRole> ParseStaffRole(std::string_view name) {
  for (const auto& [role, n] : kRoleNames) {
    if (n == name) return role;
  }
  return std::nullopt;
}

std::vector<std::string_view> StaffRoleNames(uint32_t roles) {
  std::vector<std::string_view> names;
  for (const auto& [role, name] : kRoleNames) {
    if (HasRole(roles, role)) names.push_back(name);
  }
  return names;
}

IdentityResult StaffBook::Create(const StaffRegistration& registration, int64_t now_ns,
                                 uint64_t* staff_id) {
  if (registration.username.empty() || registration.password_hash.empty() ||
      registration.roles == 0 || (registration.roles & ~kAllStaffRoles) != 0) {
    return IdentityResult::kInvalid;
  }
  if (staff_by_username_.contains(Key(registration.username))) return IdentityResult::kStaffTaken;
  Staff staff;
  staff.id = staff_.size() + 1;
  staff.username = registration.username;
  staff.display_name = registration.display_name;
  staff.password_hash = registration.password_hash;
  staff.roles = registration.roles;
  staff.created_ns = now_ns;
  staff_by_username_.emplace(staff.username, staff.id);
  *staff_id = staff.id;
  staff_.emplace(staff.id, std::move(staff));
  return IdentityResult::kOk;
}

const Staff* StaffBook::FindById(uint64_t staff_id) const {
  auto it = staff_.find(staff_id);
  return it == staff_.end() ? nullptr : &it->second;
}

const Staff* StaffBook::FindByUsername(std::string_view username) const {
  auto it = staff_by_username_.find(Key(username));
  return it == staff_by_username_.end() ? nullptr : FindById(it->second);
}

IdentityResult StaffBook::RecordLogin(uint64_t staff_id, bool password_ok, int64_t now_ns) {
  auto it = staff_.find(staff_id);
  if (it == staff_.end()) return IdentityResult::kStaffNotFound;
  Staff& staff = it->second;
  if (staff.locked_until_ns > now_ns) return IdentityResult::kLoginLocked;
  if (password_ok) {
    staff.failed_logins = 0;
    return IdentityResult::kOk;
  }
  if (++staff.failed_logins >= kMaxFailedLogins) {
    staff.failed_logins = 0;
    staff.locked_until_ns = now_ns + kLoginLockNs;
    return IdentityResult::kLoginLocked;
  }
  return IdentityResult::kOk;
}

IdentityResult StaffBook::CreateSession(std::string_view token_hash, uint64_t staff_id,
                                        int64_t now_ns) {
  if (token_hash.empty()) return IdentityResult::kInvalid;
  if (!staff_.contains(staff_id)) return IdentityResult::kStaffNotFound;
  if (!sessions_.Create(token_hash, staff_id, now_ns, kStaffSessionLifetimeNs)) {
    return IdentityResult::kSessionExists;
  }
  return IdentityResult::kOk;
}

IdentityResult StaffBook::RevokeSession(std::string_view token_hash) {
  return sessions_.Revoke(token_hash) ? IdentityResult::kOk : IdentityResult::kSessionNotFound;
}

const Session* StaffBook::FindSession(std::string_view token_hash, int64_t now_ns) const {
  return sessions_.Find(token_hash, now_ns);
}

size_t StaffBook::Sweep(int64_t now_ns, size_t limit) { return sessions_.Sweep(now_ns, limit); }

void StaffBook::Clear() {
  staff_.clear();
  staff_by_username_.clear();
  sessions_.Clear();
}

Digest StaffBook::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

void StaffBook::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.U32(kMagic);
  w.U64(staff_.size());
  for (uint64_t id = 1; id <= staff_.size(); id++) {
    const Staff& s = staff_.at(id);
    w.U64(s.id);
    w.LengthPrefixed(s.username);
    w.LengthPrefixed(s.display_name);
    w.LengthPrefixed(s.password_hash);
    w.U32(s.roles);
    w.I64(s.created_ns);
    w.U32(s.failed_logins);
    w.I64(s.locked_until_ns);
  }
  sessions_.Serialize(&w);
}

bool StaffBook::Deserialize(std::string_view bytes) {
  Clear();
  ByteReader r(bytes);
  if (r.U32() != kMagic) return false;
  auto plausible = [&](uint64_t count) { return count <= r.remaining() / 4; };
  const uint64_t count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    Staff s;
    s.id = r.U64();
    s.username = std::string(r.LengthPrefixed());
    s.display_name = std::string(r.LengthPrefixed());
    s.password_hash = std::string(r.LengthPrefixed());
    s.roles = r.U32();
    s.created_ns = r.I64();
    s.failed_logins = r.U32();
    s.locked_until_ns = r.I64();
    // Ids are dense from 1, which ForEach and Create rely on.
    if (s.id != i + 1) return false;
    if (!staff_by_username_.emplace(s.username, s.id).second) return false;
    staff_.emplace(s.id, std::move(s));
  }
  if (!sessions_.Deserialize(&r)) return false;
  return r.ok() && r.remaining() == 0;
}

}  // namespace qb::identity
