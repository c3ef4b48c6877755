#include "cli/risk_backtest.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "store/sqlite/sqlite_store.h"
#include "wallet/marketing_json.h"
#include "wallet/risk_rules_json.h"
#include "wallet/wallet_internal.h"

namespace qb::cli {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr std::string_view kVerdicts[] = {"allow", "challenge", "review", "deny"};

// Unix seconds at the start of a YYYY-MM-DD day (UTC).
std::optional<int64_t> DayStart(const std::string& day) {
  if (day.size() != 10) return std::nullopt;
  return wallet::ParseRfc3339Seconds(day + "T00:00:00Z");
}

std::string Time(int64_t unix_s) { return wallet::Rfc3339(unix_s * kNsPerSecond); }

// Fen as yuan with two decimals, exactly.
std::string Yuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  char text[32];
  std::snprintf(text, sizeof text, "%s%llu.%02llu", negative ? "-" : "",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return text;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string VerdictsJson(const engine::VerdictCounts& counts) {
  std::string out = "{";
  for (size_t i = 0; i < counts.size(); i++) {
    if (i > 0) out += ",";
    out += JsonString(kVerdicts[i]) + ":" + std::to_string(counts[i]);
  }
  return out + "}";
}

void Row(std::ostream& out, std::string_view label, const engine::VerdictCounts& counts) {
  char line[160];
  std::snprintf(
      line, sizeof line, "  %-10s %10llu %10llu %10llu %10llu\n", std::string(label).c_str(),
      static_cast<unsigned long long>(counts[0]), static_cast<unsigned long long>(counts[1]),
      static_cast<unsigned long long>(counts[2]), static_cast<unsigned long long>(counts[3]));
  out << line;
}

}  // namespace

void WriteBacktestText(const engine::RiskBacktestReport& r, std::ostream& out) {
  out << "replayed " << r.batches << " batches (" << r.commands << " commands)\n";
  out << "events in the window: " << r.events;
  if (r.events > 0) {
    out << " from " << Time(r.first_event_s) << " to " << Time(r.last_event_s) << " (";
    bool first = true;
    for (size_t kind = 0; kind < r.events_by_kind.size(); kind++) {
      if (r.events_by_kind[kind] == 0) continue;
      out << (first ? "" : ", ") << risk::kEventNames[kind] << " " << r.events_by_kind[kind];
      first = false;
    }
    out << ")";
  }
  out << "\n\npayments        allow  challenge     review       deny\n";
  Row(out, "candidate", r.candidate_payments);
  Row(out, "live", r.live_payments);
  out << "\nlabelled payments: fraud " << r.labelled_fraud << " (flagged by candidate "
      << r.fraud_flagged_candidate << ", live " << r.fraud_flagged_live << "); legit "
      << r.labelled_legit << " (flagged by candidate " << r.legit_flagged_candidate << ", live "
      << r.legit_flagged_live << ")\n\n";
  char line[320];
  std::snprintf(line, sizeof line, "%-8s %-28s %-11s %6s %10s %8s %16s %9s %8s %8s %6s %6s %8s\n",
                "rule", "name", "action", "score", "evaluated", "hits", "hit_amount", "challenge",
                "review", "deny", "fraud", "legit", "failures");
  out << line;
  for (const engine::RiskBacktestRule& rule : r.rules) {
    std::snprintf(line, sizeof line,
                  "%-8u %-28s %-11s %6d %10llu %8llu %16s %9llu %8llu %8llu %6llu %6llu %8llu\n",
                  rule.id, (rule.name + (rule.shadow ? " (shadow)" : "")).c_str(),
                  std::string(risk::ActionName(rule.action)).c_str(), rule.score,
                  static_cast<unsigned long long>(rule.evaluated),
                  static_cast<unsigned long long>(rule.hits), Yuan(rule.hit_amount_fen).c_str(),
                  static_cast<unsigned long long>(rule.verdicts[1]),
                  static_cast<unsigned long long>(rule.verdicts[2]),
                  static_cast<unsigned long long>(rule.verdicts[3]),
                  static_cast<unsigned long long>(rule.fraud_hits),
                  static_cast<unsigned long long>(rule.legit_hits),
                  static_cast<unsigned long long>(rule.failures));
    out << line;
  }
  out << "(challenge/review/deny: the candidate's verdicts on the events the rule fired on)\n";
}

void WriteBacktestJson(const engine::RiskBacktestReport& r, std::ostream& out) {
  out << "{\"batches\":" << r.batches << ",\"commands\":" << r.commands
      << ",\"events\":" << r.events
      << ",\"first_event_at\":" << (r.events > 0 ? JsonString(Time(r.first_event_s)) : "null")
      << ",\"last_event_at\":" << (r.events > 0 ? JsonString(Time(r.last_event_s)) : "null")
      << ",\"by_event\":{";
  for (size_t kind = 0; kind < r.events_by_kind.size(); kind++) {
    out << (kind > 0 ? "," : "") << JsonString(risk::kEventNames[kind])
        << ":{\"events\":" << r.events_by_kind[kind]
        << ",\"candidate\":" << VerdictsJson(r.candidate_by_kind[kind])
        << ",\"live\":" << VerdictsJson(r.live_by_kind[kind]) << "}";
  }
  out << "},\"payments\":{\"candidate\":" << VerdictsJson(r.candidate_payments)
      << ",\"live\":" << VerdictsJson(r.live_payments) << "}"
      << ",\"labels\":{\"fraud\":" << r.labelled_fraud << ",\"legit\":" << r.labelled_legit
      << ",\"fraud_flagged_candidate\":" << r.fraud_flagged_candidate
      << ",\"fraud_flagged_live\":" << r.fraud_flagged_live
      << ",\"legit_flagged_candidate\":" << r.legit_flagged_candidate
      << ",\"legit_flagged_live\":" << r.legit_flagged_live << "},\"rules\":[";
  for (size_t i = 0; i < r.rules.size(); i++) {
    const engine::RiskBacktestRule& rule = r.rules[i];
    out << (i > 0 ? "," : "") << "{\"id\":" << rule.id << ",\"name\":" << JsonString(rule.name)
        << ",\"action\":" << JsonString(risk::ActionName(rule.action))
        << ",\"score\":" << rule.score << ",\"shadow\":" << (rule.shadow ? "true" : "false")
        << ",\"evaluated\":" << rule.evaluated << ",\"hits\":" << rule.hits
        << ",\"hit_amount_fen\":" << rule.hit_amount_fen
        << ",\"verdicts\":" << VerdictsJson(rule.verdicts) << ",\"fraud_hits\":" << rule.fraud_hits
        << ",\"legit_hits\":" << rule.legit_hits << ",\"failures\":" << rule.failures << "}";
  }
  out << "]}\n";
}

void WriteBacktestCsv(const engine::RiskBacktestReport& r, std::ostream& out) {
  out << "rule_id,name,action,score,shadow,evaluated,hits,hit_amount_fen,allow,challenge,review,"
         "deny,fraud_hits,legit_hits,failures\n";
  for (const engine::RiskBacktestRule& rule : r.rules) {
    out << rule.id << "," << CsvField(rule.name) << "," << risk::ActionName(rule.action) << ","
        << rule.score << "," << (rule.shadow ? "true" : "false") << "," << rule.evaluated << ","
        << rule.hits << "," << rule.hit_amount_fen << "," << rule.verdicts[0] << ","
        << rule.verdicts[1] << "," << rule.verdicts[2] << "," << rule.verdicts[3] << ","
        << rule.fraud_hits << "," << rule.legit_hits << "," << rule.failures << "\n";
  }
}

int RunRiskBacktestCli(const RiskBacktestCliOptions& options, std::ostream& out,
                       std::ostream& err) {
  if (options.format != "text" && options.format != "json" && options.format != "csv") {
    err << "risk backtest: --format is text, json or csv\n";
    return 2;
  }
  engine::RiskBacktestOptions backtest;
  if (!options.from.empty()) {
    const std::optional<int64_t> from = DayStart(options.from);
    if (!from) {
      err << "risk backtest: --from is a day, YYYY-MM-DD\n";
      return 2;
    }
    backtest.from_s = *from;
  }
  if (!options.to.empty()) {
    const std::optional<int64_t> to = DayStart(options.to);
    if (!to) {
      err << "risk backtest: --to is a day, YYYY-MM-DD\n";
      return 2;
    }
    backtest.until_s = *to + kSecondsPerDay;
  }
  if (backtest.until_s != 0 && backtest.until_s <= backtest.from_s) {
    err << "risk backtest: --to is before --from\n";
    return 2;
  }
  std::ifstream file(options.rules_file, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  if (!file) {
    err << "risk backtest: cannot read " << options.rules_file << "\n";
    return 2;
  }
  api::ApiResult<std::pair<risk::RuleSetSpec, bool>> parsed = wallet::ParseRuleSet(text.str());
  if (!parsed.ok()) {
    err << "risk backtest: " << options.rules_file << ": " << parsed.error().message << "\n";
    return 2;
  }
  backtest.rules = std::move(parsed).value().first;
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(options.data_dir, &store); !s.ok()) {
    err << "risk backtest: cannot open " << options.data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  engine::RiskBacktestReport report;
  if (Status s = engine::RunRiskBacktest(store.get(), backtest, &report); !s.ok()) {
    err << "risk backtest: " << s.ToString() << "\n";
    return 2;
  }
  if (options.format == "json") {
    WriteBacktestJson(report, out);
  } else if (options.format == "csv") {
    WriteBacktestCsv(report, out);
  } else {
    WriteBacktestText(report, out);
  }
  return 0;
}

}  // namespace qb::cli
