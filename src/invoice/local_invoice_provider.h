// The shipped stand-in for the tax e-invoice platform, which cannot be reached from here. It
// behaves like the platform where callers can tell: it validates requests, numbers invoices,
// answers a repeated request_id with the same invoice, and can be told to fail or be slow.
// A red-letter (红字) request must name a blue invoice this provider issued, with the same
// seller tax id and tax rate, and the red invoices against one blue invoice never add up to
// more than its amount.
// Every invoice it issues has issued_locally = true: it is not a tax authority's invoice.
//
// Numbers are 20 digits in the 全面数字化电子发票 style:
//
//   positions 1-2    year of issue, last two digits (China Standard Time)
//   positions 3-4    region code, from the options (e.g. "31" for Shanghai)
//   positions 5-20   sequence, zero-padded; starts at 1, never reset, never reused
//
// (The platform's own numbers use position 5 for the issuing channel; ours fold it into the
// sequence.) Numbers strictly increase in the order Issue commits them, as integers and as
// strings: the sequence grows by one each time, and the year written is the larger of the
// request's year and the last year written, so a request dated a little earlier than one that
// got the lock first cannot make a number go backwards.
//
// Durability: all state (the next sequence, the last year and every issued invoice by
// request_id) lives in <directory>/invoices.state. Issue rewrites the whole file — write a
// temporary file, fsync it, rename it over the old one, fsync the directory — before it
// answers, so an invoice a caller has seen survives a crash and its number is never handed out
// again. Rewriting costs O(invoices) per Issue, which is why the number of remembered requests
// is bounded (max_requests); this provider is for development, tests and small deployments. A
// LOCK file (flock) keeps a second provider, in this process or another, off the same
// directory.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "invoice/invoice_provider.h"

namespace qb::invoice {

struct LocalInvoiceProviderOptions {
  std::string directory;           // created if missing; holds invoices.state and LOCK
  std::string region_code = "31";  // two digits
  // Remembered requests. Beyond, Issue of a new request_id answers IoError "invoice store
  // full"; repeats of remembered ones still answer. At most kMaxRemembered.
  size_t max_requests = 10'000;
  // Injected failures per million Issue calls, split evenly between "unavailable" (nothing
  // issued) and "timed out" (issued and stored, but the caller hears IoError; a retry with the
  // same request_id answers the invoice). Both are IoError. Same seed, same calls → same
  // failures.
  uint32_t failure_rate_ppm = 0;
  uint64_t seed = 1;
  std::chrono::microseconds latency{0};  // slept outside the lock on every Issue
};

class LocalInvoiceProvider final : public InvoiceProvider {
 public:
  static constexpr size_t kMaxRemembered = 1'000'000;
  static constexpr uint64_t kMaxSequence = 9'999'999'999'999'999;  // 16 digits

  // Opens the state in options.directory, creating an empty one when there is none.
  //   InvalidArgument  bad options, or the state holds more requests than max_requests
  //   IoError          the directory cannot be used, or another provider holds it
  //   Corruption       the state file fails its checksum or its contents are inconsistent
  static Status Open(const LocalInvoiceProviderOptions& options,
                     std::unique_ptr<LocalInvoiceProvider>* provider);

  ~LocalInvoiceProvider() override;
  LocalInvoiceProvider(const LocalInvoiceProvider&) = delete;
  LocalInvoiceProvider& operator=(const LocalInvoiceProvider&) = delete;

  // See InvoiceProvider::Issue. IoError messages: "invoice platform unavailable", "invoice
  // platform timed out", "invoice store full", "invoice sequence exhausted", or a file error.
  Status Issue(const InvoiceRequest& request, IssuedInvoice* invoice) override;

  size_t issued_count() const;

 private:
  enum class Failure : uint8_t { kNone, kUnavailable, kTimedOut };

  LocalInvoiceProvider(const LocalInvoiceProviderOptions& options, int lock_fd);

  // All below run with mutex_ held.
  Failure DrawFailure();
  Status Load();
  Status Persist() const;

  const LocalInvoiceProviderOptions options_;
  const int lock_fd_;  // holds the flock on LOCK for the provider's lifetime
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;                                 // guarded by mutex_
  std::vector<IssuedInvoice> invoices_;                 // in issue order; guarded by mutex_
  std::unordered_map<std::string, size_t> by_request_;  // request_id -> index; guarded
  std::unordered_map<std::string, size_t> by_number_;   // number -> index; guarded
  // Blue invoice number -> the sum of the red-letter invoices against it; guarded.
  std::unordered_map<std::string, int64_t> red_total_fen_;
  uint64_t next_sequence_ = 1;  // guarded by mutex_
  int32_t last_year_ = 0;       // 0 before the first invoice; guarded
};

}  // namespace qb::invoice
