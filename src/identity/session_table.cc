#include "identity/session_table.h"

#include <absl/strings/string_view.h>

#include <algorithm>
#include <vector>

namespace qb::identity {
namespace {

// Debian's abseil has its own string_view type; lookups by std::string_view convert here.
absl::string_view Key(std::string_view text) { return absl::string_view(text.data(), text.size()); }

}  // namespace

bool SessionTable::Create(std::string_view token_hash, uint64_t principal_id, int64_t now_ns,
                          int64_t lifetime_ns) {
  auto [it, inserted] = sessions_.try_emplace(std::string(token_hash));
  if (!inserted) return false;
  it->second = Session{principal_id, now_ns, now_ns + lifetime_ns};
  expiry_.Add(it->second.expires_ns, it->first);
  return true;
}

bool SessionTable::Revoke(std::string_view token_hash) {
  auto it = sessions_.find(Key(token_hash));
  if (it == sessions_.end()) return false;
  expiry_.Remove(it->second.expires_ns, it->first);
  sessions_.erase(it);
  return true;
}

bool SessionTable::Rotate(std::string_view old_hash, std::string_view new_hash) {
  auto it = sessions_.find(Key(old_hash));
  if (it == sessions_.end() || sessions_.contains(Key(new_hash))) return false;
  const Session session = it->second;
  expiry_.Remove(session.expires_ns, it->first);
  sessions_.erase(it);
  auto [moved, inserted] = sessions_.try_emplace(std::string(new_hash), session);
  expiry_.Add(session.expires_ns, moved->first);
  return inserted;
}

const Session* SessionTable::Find(std::string_view token_hash, int64_t now_ns) const {
  auto it = sessions_.find(Key(token_hash));
  if (it == sessions_.end() || it->second.expires_ns <= now_ns) return nullptr;
  return &it->second;
}

std::vector<std::string> SessionTable::HashesOf(uint64_t principal_id) const {
  std::vector<std::string> hashes;
  for (const auto& [hash, session] : sessions_) {
    if (session.customer_id == principal_id) hashes.push_back(hash);
  }
  std::sort(hashes.begin(), hashes.end());
  return hashes;
}

size_t SessionTable::Sweep(int64_t now_ns, size_t limit) {
  return expiry_.PopDue(now_ns, limit,
                        [&](const std::string& hash) { sessions_.erase(Key(hash)); });
}

void SessionTable::Clear() {
  sessions_.clear();
  expiry_.Clear();
}

void SessionTable::Serialize(ByteWriter* writer) const {
  std::vector<std::string_view> hashes;
  hashes.reserve(sessions_.size());
  for (const auto& [hash, session] : sessions_) hashes.push_back(hash);
  std::sort(hashes.begin(), hashes.end());
  writer->U64(hashes.size());
  for (std::string_view hash : hashes) {
    const Session& s = sessions_.find(Key(hash))->second;
    writer->LengthPrefixed(hash);
    writer->U64(s.customer_id);
    writer->I64(s.created_ns);
    writer->I64(s.expires_ns);
  }
}

bool SessionTable::Deserialize(ByteReader* reader) {
  Clear();
  const uint64_t count = reader->U64();
  // Every session takes at least 28 bytes, which bounds the count by what is left.
  if (!reader->ok() || count > reader->remaining() / 28) return false;
  for (uint64_t i = 0; i < count && reader->ok(); i++) {
    std::string hash(reader->LengthPrefixed());
    Session s;
    s.customer_id = reader->U64();
    s.created_ns = reader->I64();
    s.expires_ns = reader->I64();
    expiry_.Add(s.expires_ns, hash);
    if (!sessions_.emplace(std::move(hash), s).second) return false;
  }
  return reader->ok();
}

}  // namespace qb::identity
