#include "wallet/sessions.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "wallet/step_up.h"

namespace qb::wallet {

SessionOrigin OriginOf(const HttpRequest& request) {
  SessionOrigin origin;
  for (char c : request.Header("User-Agent")) {
    if (origin.device.size() == SessionOrigin::kMaxDeviceChars) break;
    origin.device += c >= 0x20 && c < 0x7f ? c : '?';
  }
  origin.ip = request.remote_address;
  origin.device_id = DeviceIdOf(request);
  return origin;
}

std::string SessionId(std::string_view token_hash) { return std::string(token_hash.substr(0, 16)); }

SessionCache::SessionCache(const Clock& clock, int64_t customer_idle_ns, int64_t staff_idle_ns,
                           size_t max_entries)
    : clock_(clock),
      customer_idle_ns_(customer_idle_ns),
      staff_idle_ns_(staff_idle_ns),
      max_entries_(max_entries) {
  QB_ASSERT(customer_idle_ns > 0 && staff_idle_ns > 0 && max_entries > 0);
}

bool SessionCache::ExpiredLocked(const CachedSession& session, int64_t now_ns) const {
  const int64_t idle_ns =
      session.kind == Principal::Kind::kCustomer ? customer_idle_ns_ : staff_idle_ns_;
  return now_ns >= session.expires_ns || now_ns - session.last_seen_ns >= idle_ns;
}

void SessionCache::SweepLocked(int64_t now_ns, std::vector<std::string>* expired) {
  last_sweep_ns_ = now_ns;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (ExpiredLocked(it->second, now_ns)) {
      if (expired != nullptr) expired->push_back(it->first);
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
}

void SessionCache::Put(std::string token_hash, const CachedSession& session) {
  const int64_t now_ns = clock_.NowNs();
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= max_entries_) SweepLocked(now_ns, nullptr);
  if (sessions_.size() >= max_entries_) {
    // Full of live sessions: the least recently used one goes. A linear scan, but this only
    // happens when a million sessions are live at once.
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.last_seen_ns < oldest->second.last_seen_ns) oldest = it;
    }
    sessions_.erase(oldest);
  }
  sessions_.insert_or_assign(std::move(token_hash), session);
}

std::optional<CachedSession> SessionCache::Touch(std::string_view token_hash,
                                                 std::vector<std::string>* expired) {
  const int64_t now_ns = clock_.NowNs();
  std::lock_guard lock(mutex_);
  if (now_ns - last_sweep_ns_ >= kSweepIntervalNs) SweepLocked(now_ns, expired);
  // absl's map here takes its own string_view type, not std::string_view.
  auto it = sessions_.find(std::string(token_hash));
  if (it == sessions_.end()) return std::nullopt;
  if (ExpiredLocked(it->second, now_ns)) {
    if (expired != nullptr) expired->push_back(it->first);
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen_ns = now_ns;
  return it->second;
}

bool SessionCache::Remove(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  // absl's map here takes its own string_view type, not std::string_view.
  auto it = sessions_.find(std::string(token_hash));
  if (it == sessions_.end()) return false;
  sessions_.erase(it);
  return true;
}

bool SessionCache::Rename(std::string_view old_hash, std::string new_hash) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(old_hash));
  if (it == sessions_.end()) return false;
  const CachedSession session = it->second;
  sessions_.erase(it);
  sessions_.insert_or_assign(std::move(new_hash), session);
  return true;
}

size_t SessionCache::RemoveAllOf(Principal::Kind kind, uint64_t id) {
  std::lock_guard lock(mutex_);
  return absl::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.kind == kind && entry.second.id == id;
  });
}

std::vector<std::pair<std::string, CachedSession>> SessionCache::ListOf(Principal::Kind kind,
                                                                        uint64_t id) const {
  const int64_t now_ns = clock_.NowNs();
  std::vector<std::pair<std::string, CachedSession>> found;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [hash, session] : sessions_) {
      if (session.kind == kind && session.id == id && !ExpiredLocked(session, now_ns)) {
        found.emplace_back(hash, session);
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.second.created_ns != b.second.created_ns)
      return a.second.created_ns > b.second.created_ns;
    return a.first < b.first;
  });
  return found;
}

std::vector<std::string> SessionCache::Sweep() {
  std::vector<std::string> expired;
  std::lock_guard lock(mutex_);
  SweepLocked(clock_.NowNs(), &expired);
  return expired;
}

size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace qb::wallet
