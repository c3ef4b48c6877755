#include "engine/reseal.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "base/assert.h"

namespace qb::engine {
namespace {

// The version of a CardVault blob (card_vault.h), 0 when it is too short to be one.
uint32_t VersionOf(std::string_view blob) {
  if (blob.size() < identity::CardVault::kHeaderSize + identity::CardVault::kTagSize) return 0;
  return ByteReader(blob).U32();
}

uint64_t Number(std::string_view text, bool* ok) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  *ok = *ok && error == std::errc() && end == text.data() + text.size();
  return value;
}

}  // namespace

uint64_t KeyUsage::old_blobs() const {
  uint64_t n = 0;
  for (const auto& [version, count] : blobs_by_version) {
    if (version != active_version) n += count;
  }
  return n;
}

std::string SealContextOf(SealedField field, uint64_t owner_id) {
  switch (field) {
    case SealedField::kResidentId:
      return "resident_id:" + std::to_string(owner_id);
    case SealedField::kCardPan:
      return "card:" + std::to_string(owner_id);
    case SealedField::kTotpSecret:
      return "totp:" + std::to_string(owner_id);
    case SealedField::kSettlementAccount:
      return "settlement-account";
    case SealedField::kApiKeySecret:
      return "merchant-api-key";
    case SealedField::kPaymentDeviceSecret:
      return "payment-device";
  }
  return "";
}

Resealer::Resealer(Engine* engine, const identity::CardVault* vault, ResealOptions options)
    : engine_(engine), vault_(vault), options_(options) {
  QB_ASSERT(options_.max_rows_per_scan > 0);
  QB_ASSERT(options_.max_reseals_per_command > 0 &&
            options_.max_reseals_per_command <= kMaxResealsPerCommand);
}

// Runs on the engine thread: copies the blobs of at most max_rows_per_scan rows and moves the
// cursor. Nothing is opened here, so the engine's share of a step is a few map look-ups.
Status Resealer::Scan(std::vector<Found>* out, bool* finished) {
  std::vector<Found>& found = *out;
  bool end = false;
  const size_t max_rows = options_.max_rows_per_scan;
  bool in_merchants = in_merchants_;
  uint64_t next_id = next_id_;
  auto add = [&found](SealedField field, uint64_t owner, uint64_t item, std::string key_id,
                      const std::string& blob) {
    if (blob.empty()) return;
    found.push_back(Found{SealedValue{field, owner, item, std::move(key_id), blob, ""}});
  };
  Reply reply = engine_->Execute(Query{[&](const StateMachine& state) {
    for (size_t rows = 0; rows < max_rows; rows++) {
      if (!in_merchants) {
        if (next_id > state.customers().customer_count()) {
          in_merchants = true;
          next_id = 1;
          continue;
        }
        const identity::Customer* c = state.customers().FindById(next_id);
        if (c != nullptr) {
          if (c->identity) add(SealedField::kResidentId, c->id, 0, "", c->identity->id_sealed);
          for (const identity::BoundCard& card : c->cards) {
            add(SealedField::kCardPan, c->id, card.id, "", card.pan_sealed);
          }
          add(SealedField::kTotpSecret, c->id, 0, "", c->totp_secret_sealed);
          if (const payments::PaymentDevice* d = state.payments().FindDeviceOf(c->id)) {
            add(SealedField::kPaymentDeviceSecret, c->id, d->slot, "", d->secret_sealed);
          }
        }
      } else {
        if (next_id > state.payments().merchant_count()) {
          end = true;
          break;
        }
        const payments::Merchant* m = state.payments().FindMerchant(next_id);
        if (m != nullptr) {
          add(SealedField::kSettlementAccount, m->id, 0, "", m->profile.settlement_account_sealed);
          for (const payments::ApiKey& key : m->api_keys) {
            add(SealedField::kApiKeySecret, m->id, 0, key.key_id, key.secret_sealed);
          }
        }
      }
      next_id++;
    }
  }});
  if (reply.status != ReplyStatus::kOk) {
    return Status::IoError("the engine refused a scan: " +
                           std::string(ReplyStatusName(reply.status)));
  }
  in_merchants_ = in_merchants;
  next_id_ = next_id;
  *finished = end;
  return Status::Ok();
}

Status Resealer::Reseal(std::vector<Found> found) {
  const uint32_t active = vault_->active_version();
  usage_.active_version = active;
  std::vector<SealedValue> batch;
  auto submit = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    ResealSecrets command;
    command.items = std::move(batch);
    batch.clear();
    Reply reply = engine_->Execute(command);
    if (reply.status != ReplyStatus::kOk || reply.results.size() != command.items.size()) {
      return Status::IoError("the engine refused a reseal: " +
                             std::string(ReplyStatusName(reply.status)));
    }
    for (size_t i = 0; i < command.items.size(); i++) {
      const auto result = static_cast<ResealResult>(reply.results[i]);
      if (result == ResealResult::kOk) {
        usage_.resealed++;
        Count(active);
      } else {
        usage_.changed++;  // Counted by the next pass, under whatever version it has then.
      }
    }
    return Status::Ok();
  };
  for (Found& f : found) {
    const uint32_t version = VersionOf(f.value.expected);
    if (version == active) {
      Count(version);
      continue;
    }
    const std::string context = SealContextOf(f.value.field, f.value.owner_id);
    std::optional<std::string> plain = vault_->Decrypt(f.value.expected, context);
    if (!plain) {
      usage_.unreadable++;
      Count(version);
      continue;
    }
    if (!options_.reseal) {
      Count(version);
      continue;
    }
    f.value.replacement = vault_->Encrypt(*plain, context);
    std::fill(plain->begin(), plain->end(), '\0');
    batch.push_back(std::move(f.value));
    if (batch.size() == options_.max_reseals_per_command) {
      if (Status s = submit(); !s.ok()) return s;
    }
  }
  return submit();
}

Status Resealer::Step(bool* pass_done) {
  *pass_done = false;
  if (!pass_started_) {
    usage_ = KeyUsage();
    in_merchants_ = false;
    next_id_ = 1;
    pass_started_ = true;
  }
  std::vector<Found> found;
  bool finished = false;
  Status status = Scan(&found, &finished);
  if (status.ok()) status = Reseal(std::move(found));
  if (!status.ok()) return status;
  usage_.active_version = vault_->active_version();
  if (finished) {
    usage_.complete = true;
    pass_started_ = false;
    *pass_done = true;
  }
  return Status::Ok();
}

Status Resealer::RunPass(KeyUsage* usage) {
  // Restart from the first customer so the counts cover one whole pass.
  pass_started_ = false;
  bool done = false;
  // Each step moves the cursor by max_rows_per_scan rows or ends the pass; the bound only
  // guards against a cursor that stops moving (a programming error).
  for (uint64_t steps = 0; !done; steps++) {
    QB_ASSERT(steps < (uint64_t{1} << 40));
    if (Status s = Step(&done); !s.ok()) return s;
  }
  *usage = usage_;
  return Status::Ok();
}

std::string FormatKeyUsage(const KeyUsage& usage, int64_t written_ns) {
  std::string text = "# qianbaod key usage (engine/reseal.h): blobs per data-key version\n";
  text += "active=" + std::to_string(usage.active_version) + "\n";
  text += "complete=" + std::string(usage.complete ? "1" : "0") + "\n";
  for (const auto& [version, count] : usage.blobs_by_version) {
    text += "version=" + std::to_string(version) + " blobs=" + std::to_string(count) + "\n";
  }
  text += "unreadable=" + std::to_string(usage.unreadable) + "\n";
  text += "written_ns=" + std::to_string(written_ns) + "\n";
  return text;
}

bool ParseKeyUsage(std::string_view text, KeyUsage* usage, int64_t* written_ns) {
  KeyUsage parsed;
  uint64_t written = 0;
  bool ok = true;
  bool saw_active = false;
  while (!text.empty() && ok) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("active=")) {
      parsed.active_version = static_cast<uint32_t>(Number(line.substr(7), &ok));
      saw_active = true;
    } else if (line.starts_with("complete=")) {
      parsed.complete = line.substr(9) == "1";
    } else if (line.starts_with("unreadable=")) {
      parsed.unreadable = Number(line.substr(11), &ok);
    } else if (line.starts_with("written_ns=")) {
      written = Number(line.substr(11), &ok);
    } else if (line.starts_with("version=")) {
      const size_t blobs_at = line.find(" blobs=");
      if (blobs_at == std::string_view::npos) return false;
      const auto version = static_cast<uint32_t>(Number(line.substr(8, blobs_at - 8), &ok));
      parsed.blobs_by_version[version] = Number(line.substr(blobs_at + 7), &ok);
    } else {
      return false;
    }
  }
  if (!ok || !saw_active) return false;
  *usage = std::move(parsed);
  *written_ns = static_cast<int64_t>(written);
  return true;
}

}  // namespace qb::engine
