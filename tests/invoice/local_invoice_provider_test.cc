#include "invoice/local_invoice_provider.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "base/bytes.h"
#include "base/digest.h"
#include "invoice/invoice_test_util.h"
#include "support/temp_dir.h"

namespace qb::invoice {
namespace {

using testing::kIssuedNs;
using testing::SampleRequest;

constexpr int64_t kNsPerDay = 86'400'000'000'000;

class LocalInvoiceProviderTest : public ::testing::Test {
 protected:
  LocalInvoiceProviderOptions Options() const {
    LocalInvoiceProviderOptions options;
    options.directory = dir_.path() + "/invoices";
    return options;
  }
  std::unique_ptr<LocalInvoiceProvider> OpenOrDie(const LocalInvoiceProviderOptions& options) {
    std::unique_ptr<LocalInvoiceProvider> provider;
    const Status status = LocalInvoiceProvider::Open(options, &provider);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return provider;
  }
  std::string StatePath() const { return Options().directory + "/invoices.state"; }

  qb::testing::TempDir dir_{"qb-invoice"};
};

TEST_F(LocalInvoiceProviderTest, IssuesNumberedInvoiceWithTaxSplit) {
  auto provider = OpenOrDie(Options());
  IssuedInvoice invoice;
  ASSERT_TRUE(provider->Issue(SampleRequest(), &invoice).ok());
  EXPECT_EQ(invoice.number, "26310000000000000001");
  EXPECT_EQ(invoice.tax_fen, 6'988);
  EXPECT_EQ(invoice.amount_excl_tax_fen, 123'456 - 6'988);
  EXPECT_TRUE(invoice.issued_locally);
  EXPECT_TRUE(SameRequest(invoice.request, SampleRequest()));
  EXPECT_EQ(provider->issued_count(), 1u);
}

TEST_F(LocalInvoiceProviderTest, SameRequestIdAnswersTheSameInvoice) {
  auto provider = OpenOrDie(Options());
  IssuedInvoice first;
  IssuedInvoice again;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-a"), &first).ok());
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-a"), &again).ok());
  EXPECT_EQ(first.number, again.number);
  EXPECT_EQ(provider->issued_count(), 1u);

  InvoiceRequest changed = SampleRequest("inv-a");
  changed.amount_fen += 1;
  IssuedInvoice untouched;
  const Status status = provider->Issue(changed, &untouched);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "request_id: already used for a different invoice");
  EXPECT_TRUE(untouched.number.empty());
}

TEST_F(LocalInvoiceProviderTest, NumbersStrictlyIncreaseAcrossRestartsAndYears) {
  std::vector<std::string> numbers;
  for (int round = 0; round < 3; ++round) {
    auto provider = OpenOrDie(Options());
    for (int i = 0; i < 4; ++i) {
      InvoiceRequest request =
          SampleRequest("inv-" + std::to_string(round) + "-" + std::to_string(i));
      request.issued_ns = kIssuedNs + round * 40 * kNsPerDay;  // round 2 is in 2027
      IssuedInvoice invoice;
      ASSERT_TRUE(provider->Issue(request, &invoice).ok());
      numbers.push_back(invoice.number);
    }
  }
  for (size_t i = 1; i < numbers.size(); ++i) {
    EXPECT_LT(numbers[i - 1], numbers[i]);
    // As integers too: the sequence, the last 16 digits, grows while the prefix never falls.
    EXPECT_LE(numbers[i - 1].substr(0, 4), numbers[i].substr(0, 4));
    EXPECT_LT(std::stoull(numbers[i - 1].substr(4)), std::stoull(numbers[i].substr(4)));
  }
  EXPECT_EQ(numbers.back(), "27310000000000000012");

  // A request dated in 2026 after one in 2027 keeps the 2027 prefix, so numbers still grow.
  auto provider = OpenOrDie(Options());
  IssuedInvoice late;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-late"), &late).ok());
  EXPECT_EQ(late.number, "27310000000000000013");
  // Requests remembered before the restart still answer their invoices.
  IssuedInvoice remembered;
  InvoiceRequest first = SampleRequest("inv-0-0");
  ASSERT_TRUE(provider->Issue(first, &remembered).ok());
  EXPECT_EQ(remembered.number, numbers.front());
}

TEST_F(LocalInvoiceProviderTest, RegionCodeAndOptionChecks) {
  LocalInvoiceProviderOptions options = Options();
  options.region_code = "44";
  auto provider = OpenOrDie(options);
  IssuedInvoice invoice;
  ASSERT_TRUE(provider->Issue(SampleRequest(), &invoice).ok());
  EXPECT_EQ(invoice.number.substr(0, 4), "2644");
  provider.reset();

  std::unique_ptr<LocalInvoiceProvider> refused;
  options.region_code = "4";
  EXPECT_EQ(LocalInvoiceProvider::Open(options, &refused).message(), "region_code: not two digits");
  options = Options();
  options.max_requests = 0;
  EXPECT_EQ(LocalInvoiceProvider::Open(options, &refused).message(), "max_requests: out of range");
  options = Options();
  options.failure_rate_ppm = 1'000'001;
  EXPECT_EQ(LocalInvoiceProvider::Open(options, &refused).code(), Status::Code::kInvalidArgument);
  options.directory = "";
  EXPECT_EQ(LocalInvoiceProvider::Open(options, &refused).message(), "directory: required");
  EXPECT_EQ(refused, nullptr);
}

TEST_F(LocalInvoiceProviderTest, InvalidRequestIsRejectedAndNothingIssued) {
  auto provider = OpenOrDie(Options());
  InvoiceRequest request = SampleRequest();
  request.amount_fen = -1;
  IssuedInvoice invoice;
  EXPECT_EQ(provider->Issue(request, &invoice).message(), "amount_fen: not positive");
  EXPECT_EQ(provider->issued_count(), 0u);
}

TEST_F(LocalInvoiceProviderTest, RefusesNewRequestsWhenFull) {
  LocalInvoiceProviderOptions options = Options();
  options.max_requests = 2;
  auto provider = OpenOrDie(options);
  IssuedInvoice invoice;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &invoice).ok());
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-2"), &invoice).ok());
  const Status full = provider->Issue(SampleRequest("inv-3"), &invoice);
  EXPECT_EQ(full.code(), Status::Code::kIoError);
  EXPECT_EQ(full.message(), "invoice store full");
  EXPECT_TRUE(provider->Issue(SampleRequest("inv-2"), &invoice).ok());  // repeats still answer
  provider.reset();

  // A state with more requests than a later, smaller limit is refused rather than truncated.
  options.max_requests = 1;
  std::unique_ptr<LocalInvoiceProvider> reopened;
  EXPECT_EQ(LocalInvoiceProvider::Open(options, &reopened).code(), Status::Code::kInvalidArgument);
}

TEST_F(LocalInvoiceProviderTest, SecondProviderOnTheSameDirectoryIsRefused) {
  auto provider = OpenOrDie(Options());
  std::unique_ptr<LocalInvoiceProvider> second;
  const Status status = LocalInvoiceProvider::Open(Options(), &second);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(second, nullptr);
  provider.reset();
  EXPECT_TRUE(LocalInvoiceProvider::Open(Options(), &second).ok());
}

TEST_F(LocalInvoiceProviderTest, StateFileIsWrittenBeforeIssueReturns) {
  auto provider = OpenOrDie(Options());
  IssuedInvoice invoice;
  ASSERT_TRUE(provider->Issue(SampleRequest(), &invoice).ok());
  EXPECT_TRUE(std::filesystem::exists(StatePath()));
  EXPECT_FALSE(std::filesystem::exists(StatePath() + ".tmp"));
  std::ifstream in(StatePath(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.substr(0, 8), "QBINVST2");
  EXPECT_NE(bytes.find(invoice.number), std::string::npos);
}

// Every single-byte change and every truncation of the state file is detected on open.
TEST_F(LocalInvoiceProviderTest, CorruptedStateIsRefused) {
  {
    auto provider = OpenOrDie(Options());
    IssuedInvoice invoice;
    ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &invoice).ok());
    ASSERT_TRUE(provider->Issue(SampleRequest("inv-2"), &invoice).ok());
  }
  std::ifstream in(StatePath(), std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const auto write_state = [&](const std::string& bytes) {
    std::ofstream out(StatePath(), std::ios::binary | std::ios::trunc);
    out << bytes;
  };
  std::unique_ptr<LocalInvoiceProvider> provider;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    write_state(bad);
    ASSERT_EQ(LocalInvoiceProvider::Open(Options(), &provider).code(), Status::Code::kCorruption)
        << i;
  }
  for (size_t size = 0; size < good.size(); size += 7) {
    write_state(good.substr(0, size));
    ASSERT_FALSE(LocalInvoiceProvider::Open(Options(), &provider).ok()) << size;
  }
  EXPECT_EQ(provider, nullptr);
  write_state(good);
  EXPECT_TRUE(LocalInvoiceProvider::Open(Options(), &provider).ok());
}

TEST_F(LocalInvoiceProviderTest, InjectedFailuresAreUnavailableOrTimedOut) {
  LocalInvoiceProviderOptions options = Options();
  options.failure_rate_ppm = 500'000;
  options.seed = 7;
  auto provider = OpenOrDie(options);
  int unavailable = 0;
  int timed_out = 0;
  std::set<std::string> numbers;
  for (int i = 0; i < 200; ++i) {
    const InvoiceRequest request = SampleRequest("inv-" + std::to_string(i));
    IssuedInvoice invoice;
    Status status = provider->Issue(request, &invoice);
    // Callers retry IoError with the same request_id until it answers.
    for (int attempt = 0; !status.ok() && attempt < 100; ++attempt) {
      ASSERT_EQ(status.code(), Status::Code::kIoError);
      if (status.message() == "invoice platform unavailable") ++unavailable;
      if (status.message() == "invoice platform timed out") ++timed_out;
      status = provider->Issue(request, &invoice);
    }
    ASSERT_TRUE(status.ok());
    EXPECT_TRUE(numbers.insert(invoice.number).second);
  }
  EXPECT_GT(unavailable, 20);
  EXPECT_GT(timed_out, 20);
  // A retry after a timeout that had issued the invoice answered that invoice instead of
  // taking another number, so the 200 invoices used exactly the first 200 numbers.
  EXPECT_EQ(provider->issued_count(), 200u);
  EXPECT_EQ(*numbers.rbegin(), "26310000000000000200");
}

TEST_F(LocalInvoiceProviderTest, ConcurrentIssuesGetDistinctNumbers) {
  auto provider = OpenOrDie(Options());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        IssuedInvoice invoice;
        // Thread t and thread t+1 share half their request ids.
        const int key = (t / 2) * 1000 + i;
        if (provider->Issue(SampleRequest("inv-" + std::to_string(key)), &invoice).ok()) {
          numbers[static_cast<size_t>(t)].push_back(invoice.number);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(provider->issued_count(), static_cast<size_t>(kThreads / 2 * kPerThread));
  for (int t = 0; t < kThreads; t += 2) {
    EXPECT_EQ(numbers[static_cast<size_t>(t)], numbers[static_cast<size_t>(t + 1)]);
  }
}

InvoiceRequest RedRequest(const std::string& request_id, const std::string& original_number,
                          int64_t amount_fen) {
  InvoiceRequest request = SampleRequest(request_id);
  request.original_number = original_number;
  request.amount_fen = amount_fen;
  return request;
}

TEST_F(LocalInvoiceProviderTest, RedLetterInvoicesReverseUpToTheBlueAmount) {
  auto provider = OpenOrDie(Options());
  IssuedInvoice blue;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &blue).ok());
  IssuedInvoice red;
  ASSERT_TRUE(provider->Issue(RedRequest("red-1", blue.number, 100'000), &red).ok());
  EXPECT_EQ(red.request.original_number, blue.number);
  EXPECT_NE(red.number, blue.number);
  EXPECT_EQ(red.tax_fen, SplitTax(100'000, 600)->tax_fen);  // split on its own amount
  EXPECT_EQ(red.amount_excl_tax_fen, 100'000 - red.tax_fen);
  // Idempotent per request_id.
  IssuedInvoice again;
  ASSERT_TRUE(provider->Issue(RedRequest("red-1", blue.number, 100'000), &again).ok());
  EXPECT_EQ(again.number, red.number);
  // 100 000 + 23 457 > 123 456: refused; the rest fits exactly.
  EXPECT_EQ(provider->Issue(RedRequest("red-2", blue.number, 23'457), &again).code(),
            Status::Code::kInvalidArgument);
  IssuedInvoice rest;
  ASSERT_TRUE(provider->Issue(RedRequest("red-2", blue.number, 23'456), &rest).ok());
  EXPECT_EQ(provider->Issue(RedRequest("red-3", blue.number, 1), &again).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(provider->issued_count(), 3u);

  // The totals survive a restart.
  provider.reset();
  provider = OpenOrDie(Options());
  EXPECT_EQ(provider->Issue(RedRequest("red-3", blue.number, 1), &again).code(),
            Status::Code::kInvalidArgument);
  ASSERT_TRUE(provider->Issue(RedRequest("red-1", blue.number, 100'000), &again).ok());
  EXPECT_EQ(again.number, red.number);
}

TEST_F(LocalInvoiceProviderTest, RedLetterMustMatchItsBlueInvoice) {
  auto provider = OpenOrDie(Options());
  IssuedInvoice blue;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &blue).ok());
  IssuedInvoice out;
  // Not a number this provider issued.
  EXPECT_EQ(provider->Issue(RedRequest("red-a", "26310000000000009999", 1), &out).code(),
            Status::Code::kInvalidArgument);
  // Not 20 digits.
  EXPECT_EQ(provider->Issue(RedRequest("red-a", "2631", 1), &out).code(),
            Status::Code::kInvalidArgument);
  InvoiceRequest other_rate = RedRequest("red-a", blue.number, 1);
  other_rate.tax_rate_bp = 1300;
  EXPECT_EQ(provider->Issue(other_rate, &out).code(), Status::Code::kInvalidArgument);
  InvoiceRequest other_seller = RedRequest("red-a", blue.number, 1);
  other_seller.seller_tax_id = "91110000802100433B";
  EXPECT_EQ(provider->Issue(other_seller, &out).code(), Status::Code::kInvalidArgument);
  // A red invoice cannot itself be corrected.
  IssuedInvoice red;
  ASSERT_TRUE(provider->Issue(RedRequest("red-a", blue.number, 1), &red).ok());
  EXPECT_EQ(provider->Issue(RedRequest("red-b", red.number, 1), &out).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(provider->issued_count(), 2u);
}

// A state file from before red-letter invoices (version 1: no original_number) still opens.
TEST_F(LocalInvoiceProviderTest, OpensVersionOneState) {
  IssuedInvoice blue;
  {
    auto provider = OpenOrDie(Options());
    ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &blue).ok());
  }
  std::ifstream in(StatePath(), std::ios::binary);
  const std::string v2((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  // One record: drop its empty original_number (a zero length) and the checksum, re-sign.
  std::string v1 = "QBINVST1" + v2.substr(8, v2.size() - 8 - 4 - 4);
  ByteWriter writer(&v1);
  writer.U32(Crc32(v1));
  {
    std::ofstream out(StatePath(), std::ios::binary | std::ios::trunc);
    out << v1;
  }
  auto provider = OpenOrDie(Options());
  ASSERT_NE(provider, nullptr);
  IssuedInvoice again;
  ASSERT_TRUE(provider->Issue(SampleRequest("inv-1"), &again).ok());
  EXPECT_EQ(again.number, blue.number);
  IssuedInvoice red;
  EXPECT_TRUE(provider->Issue(RedRequest("red-1", blue.number, 5), &red).ok());
}

}  // namespace
}  // namespace qb::invoice
