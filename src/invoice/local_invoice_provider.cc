// The state file, <directory>/invoices.state, little-endian (base/bytes.h):
//
//   file    := magic next_sequence last_year count record{count} crc
//   magic   := "QBINVST2"                      8 bytes ("QBINVST1" files still load)
//   next_sequence := u64                       the sequence the next new invoice gets
//   last_year     := u32                       year in the last number written; 0 before any
//   count   := u32                             number of records, <= max_requests
//   record  := str(request_id) str(payment_id) str(seller_name) str(seller_tax_id)
//              str(buyer_title) str(buyer_tax_id) str(item_name) str(number)
//              i64(amount_fen) u32(tax_rate_bp) i64(issued_ns) i64(tax_fen)
//              i64(amount_excl_tax_fen) str(original_number)
//   str     := u32 length, then that many bytes
//
// original_number (empty for a blue invoice) came with red-letter invoices; version 1 files,
// written before, lack it and hold only blue invoices. Issue always writes version 2.
//   crc     := u32 CRC-32 of every byte before it
//
// Records are in issue order. Reading checks every record as carefully as Issue checked the
// request that made it, plus the cross-record invariants: request_ids unique, sequences
// strictly increasing and below next_sequence, years non-decreasing and at most last_year,
// and every red-letter invoice corrects an earlier blue one within its amount.
#include "invoice/local_invoice_provider.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "base/assert.h"
#include "base/bytes.h"
#include "base/digest.h"

namespace qb::invoice {
namespace {

constexpr std::string_view kMagic = "QBINVST2";
constexpr std::string_view kMagicVersion1 = "QBINVST1";
constexpr char kStateName[] = "invoices.state";
constexpr char kTempName[] = "invoices.state.tmp";
constexpr char kLockName[] = "LOCK";
constexpr size_t kHeaderBytes = 8 + 8 + 4 + 4;
// The largest record Issue can write: nine length prefixes, two ids, three names of up to
// four bytes per code point, the tax ids, the number and the original number, and the fixed
// fields.
constexpr size_t kMaxRecordBytes = 9 * 4 + 2 * kMaxIdLength + 3 * 4 * kMaxNameCodePoints + 18 +
                                   kMaxBuyerTaxIdLength + 2 * kInvoiceNumberLength + 8 + 4 + 8 + 8 +
                                   8;
static_assert(kMaxRecordBytes < 2'048);
constexpr uint32_t kMillion = 1'000'000;

std::string ErrnoMessage(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Status::IoError(ErrnoMessage("write", path));
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

Status FsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::IoError(ErrnoMessage("open", path));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IoError(ErrnoMessage("fsync", path));
  return Status::Ok();
}

// Replaces directory/name with `bytes` so that a crash leaves either the old or the new file.
Status WriteFileAtomically(const std::string& directory, const std::string& name,
                           std::string_view bytes) {
  const std::string temp_path = directory + "/" + kTempName;
  const std::string final_path = directory + "/" + name;
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError(ErrnoMessage("open", temp_path));
  Status status = WriteAll(fd, bytes, temp_path);
  if (status.ok() && ::fsync(fd) != 0) status = Status::IoError(ErrnoMessage("fsync", temp_path));
  if (::close(fd) != 0 && status.ok()) status = Status::IoError(ErrnoMessage("close", temp_path));
  if (!status.ok()) return status;
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    return Status::IoError(ErrnoMessage("rename", temp_path));
  }
  return FsyncPath(directory, O_RDONLY | O_DIRECTORY);
}

void EncodeRecord(const IssuedInvoice& invoice, ByteWriter* writer) {
  const InvoiceRequest& r = invoice.request;
  for (const std::string* text : {&r.request_id, &r.payment_id, &r.seller_name, &r.seller_tax_id,
                                  &r.buyer_title, &r.buyer_tax_id, &r.item_name, &invoice.number}) {
    writer->LengthPrefixed(*text);
  }
  writer->I64(r.amount_fen);
  writer->U32(r.tax_rate_bp);
  writer->I64(r.issued_ns);
  writer->I64(invoice.tax_fen);
  writer->I64(invoice.amount_excl_tax_fen);
  writer->LengthPrefixed(r.original_number);
}

// Reads a record, or answers false when the bytes run out. Version 1 records have no
// original_number.
bool DecodeRecord(ByteReader* reader, bool version1, IssuedInvoice* invoice) {
  InvoiceRequest& r = invoice->request;
  for (std::string* text : {&r.request_id, &r.payment_id, &r.seller_name, &r.seller_tax_id,
                            &r.buyer_title, &r.buyer_tax_id, &r.item_name, &invoice->number}) {
    const uint32_t length = reader->U32();
    if (length > kMaxRecordBytes) return false;
    *text = std::string(reader->Bytes(length));
  }
  r.amount_fen = reader->I64();
  r.tax_rate_bp = reader->U32();
  r.issued_ns = reader->I64();
  invoice->tax_fen = reader->I64();
  invoice->amount_excl_tax_fen = reader->I64();
  if (!version1) {
    const uint32_t length = reader->U32();
    if (length > kMaxRecordBytes) return false;
    r.original_number = std::string(reader->Bytes(length));
  }
  invoice->issued_locally = true;
  return reader->ok();
}

std::string TwoDigits(int64_t value) {
  return std::string{static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

std::string FormatNumber(int32_t year, const std::string& region_code, uint64_t sequence) {
  std::string digits = std::to_string(sequence);
  QB_ASSERT(digits.size() <= 16);
  return TwoDigits(year % 100) + region_code + std::string(16 - digits.size(), '0') + digits;
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Precondition: `digits` is at most 19 digits, so the value fits.
uint64_t ParseDigits(std::string_view digits) {
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

// Checks one stored record on its own; the caller checks it against its neighbours.
Status CheckRecord(const IssuedInvoice& invoice) {
  if (!ValidateInvoiceRequest(invoice.request).ok()) {
    return Status::Corruption("invoice state: bad request in " + invoice.request.request_id);
  }
  const std::optional<TaxSplit> split =
      SplitTax(invoice.request.amount_fen, invoice.request.tax_rate_bp);
  if (!split || split->tax_fen != invoice.tax_fen ||
      split->amount_excl_tax_fen != invoice.amount_excl_tax_fen) {
    return Status::Corruption("invoice state: bad tax in " + invoice.request.request_id);
  }
  if (invoice.number.size() != kInvoiceNumberLength || !AllDigits(invoice.number)) {
    return Status::Corruption("invoice state: bad number in " + invoice.request.request_id);
  }
  return Status::Ok();
}

// Whether a red-letter request fits the blue invoice it names, given the red totals already
// issued against that blue invoice.
Status CheckRedLetter(const InvoiceRequest& red, const IssuedInvoice* blue, int64_t red_total_fen) {
  if (blue == nullptr || blue->request.red_letter()) {
    return Status::InvalidArgument("original_number: no such blue invoice");
  }
  if (blue->request.seller_tax_id != red.seller_tax_id) {
    return Status::InvalidArgument("seller_tax_id: not the blue invoice's seller");
  }
  if (blue->request.tax_rate_bp != red.tax_rate_bp) {
    return Status::InvalidArgument("tax_rate_bp: not the blue invoice's rate");
  }
  // Both terms are at most kMaxAmountFen, so the sum cannot overflow.
  if (red_total_fen + red.amount_fen > blue->request.amount_fen) {
    return Status::InvalidArgument("amount_fen: red totals would exceed the blue invoice");
  }
  return Status::Ok();
}

}  // namespace

Status LocalInvoiceProvider::Open(const LocalInvoiceProviderOptions& options,
                                  std::unique_ptr<LocalInvoiceProvider>* provider) {
  if (options.directory.empty()) return Status::InvalidArgument("directory: required");
  if (options.region_code.size() != 2 || !AllDigits(options.region_code)) {
    return Status::InvalidArgument("region_code: not two digits");
  }
  if (options.max_requests == 0 || options.max_requests > kMaxRemembered) {
    return Status::InvalidArgument("max_requests: out of range");
  }
  if (options.failure_rate_ppm > kMillion) {
    return Status::InvalidArgument("failure_rate_ppm: above one million");
  }
  std::error_code error;
  std::filesystem::create_directories(options.directory, error);
  if (error) return Status::IoError("create " + options.directory + ": " + error.message());
  const std::string lock_path = options.directory + "/" + kLockName;
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return Status::IoError(ErrnoMessage("open", lock_path));
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return Status::IoError("invoice directory in use: " + options.directory);
  }
  std::unique_ptr<LocalInvoiceProvider> opened(new LocalInvoiceProvider(options, lock_fd));
  {
    std::lock_guard<std::mutex> lock(opened->mutex_);
    if (Status status = opened->Load(); !status.ok()) return status;
  }
  *provider = std::move(opened);
  return Status::Ok();
}

LocalInvoiceProvider::LocalInvoiceProvider(const LocalInvoiceProviderOptions& options, int lock_fd)
    : options_(options), lock_fd_(lock_fd), rng_(options.seed) {}

// Closing the descriptor releases the flock.
LocalInvoiceProvider::~LocalInvoiceProvider() { ::close(lock_fd_); }

size_t LocalInvoiceProvider::issued_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return invoices_.size();
}

LocalInvoiceProvider::Failure LocalInvoiceProvider::DrawFailure() {
  if (options_.failure_rate_ppm == 0) return Failure::kNone;
  const uint64_t draw = rng_() % kMillion;
  if (draw >= options_.failure_rate_ppm) return Failure::kNone;
  return draw % 2 == 0 ? Failure::kUnavailable : Failure::kTimedOut;
}

Status LocalInvoiceProvider::Issue(const InvoiceRequest& request, IssuedInvoice* invoice) {
  if (Status status = ValidateInvoiceRequest(request); !status.ok()) return status;
  if (options_.latency.count() > 0) std::this_thread::sleep_for(options_.latency);
  std::lock_guard<std::mutex> lock(mutex_);
  const Failure failure = DrawFailure();
  if (failure == Failure::kUnavailable) return Status::IoError("invoice platform unavailable");
  const Status timed_out = Status::IoError("invoice platform timed out");
  if (auto found = by_request_.find(request.request_id); found != by_request_.end()) {
    const IssuedInvoice& existing = invoices_[found->second];
    if (!SameRequest(existing.request, request)) {
      return Status::InvalidArgument("request_id: already used for a different invoice");
    }
    if (failure == Failure::kTimedOut) return timed_out;
    *invoice = existing;
    return Status::Ok();
  }
  if (request.red_letter()) {
    const auto blue = by_number_.find(request.original_number);
    const auto red_total = red_total_fen_.find(request.original_number);
    if (Status status =
            CheckRedLetter(request, blue == by_number_.end() ? nullptr : &invoices_[blue->second],
                           red_total == red_total_fen_.end() ? 0 : red_total->second);
        !status.ok()) {
      return status;
    }
  }
  if (invoices_.size() >= options_.max_requests) return Status::IoError("invoice store full");
  if (next_sequence_ > kMaxSequence) return Status::IoError("invoice sequence exhausted");

  IssuedInvoice issued;
  issued.request = request;
  const int32_t year = std::max(ChinaDate(request.issued_ns).year, last_year_);
  issued.number = FormatNumber(year, options_.region_code, next_sequence_);
  const std::optional<TaxSplit> split = SplitTax(request.amount_fen, request.tax_rate_bp);
  QB_ASSERT(split.has_value());  // validated amounts and rates never overflow
  issued.tax_fen = split->tax_fen;
  issued.amount_excl_tax_fen = split->amount_excl_tax_fen;
  issued.issued_locally = true;

  invoices_.push_back(issued);
  by_request_.emplace(request.request_id, invoices_.size() - 1);
  by_number_.emplace(issued.number, invoices_.size() - 1);
  if (request.red_letter()) red_total_fen_[request.original_number] += request.amount_fen;
  ++next_sequence_;
  last_year_ = year;
  if (Status status = Persist(); !status.ok()) {
    // Not known to be durable, so not issued: forget the invoice. The number stays used: the
    // rename may have reached the disk before the directory fsync failed, and a number on disk
    // must never go to a different request.
    by_request_.erase(request.request_id);
    by_number_.erase(issued.number);
    if (request.red_letter()) red_total_fen_[request.original_number] -= request.amount_fen;
    invoices_.pop_back();
    return status;
  }
  if (failure == Failure::kTimedOut) return timed_out;
  *invoice = std::move(issued);
  return Status::Ok();
}

Status LocalInvoiceProvider::Persist() const {
  std::string bytes;
  bytes.reserve(kHeaderBytes + invoices_.size() * 256);
  ByteWriter writer(&bytes);
  writer.Bytes(kMagic);
  writer.U64(next_sequence_);
  writer.U32(static_cast<uint32_t>(last_year_));
  writer.U32(static_cast<uint32_t>(invoices_.size()));
  for (const IssuedInvoice& invoice : invoices_) EncodeRecord(invoice, &writer);
  writer.U32(Crc32(bytes));
  return WriteFileAtomically(options_.directory, kStateName, bytes);
}

Status LocalInvoiceProvider::Load() {
  const std::string path = options_.directory + "/" + kStateName;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) return Status::IoError("stat " + path + ": " + error.message());
    return Status::Ok();  // a new directory: nothing issued yet
  }
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Status::IoError("stat " + path + ": " + error.message());
  if (size > kHeaderBytes + options_.max_requests * kMaxRecordBytes + 4) {
    return Status::InvalidArgument("invoice state larger than max_requests allows");
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(ErrnoMessage("open", path));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  if (done != bytes.size()) return Status::IoError("short read " + path);
  if (bytes.size() < kHeaderBytes + 4) return Status::Corruption("invoice state: truncated");
  ByteReader crc_reader(std::string_view(bytes).substr(bytes.size() - 4));
  const std::string_view body = std::string_view(bytes).substr(0, bytes.size() - 4);
  if (crc_reader.U32() != Crc32(body)) return Status::Corruption("invoice state: bad checksum");

  ByteReader reader(body);
  const std::string_view magic = reader.Bytes(kMagic.size());
  const bool version1 = magic == kMagicVersion1;
  if (magic != kMagic && !version1) return Status::Corruption("invoice state: bad magic");
  const uint64_t next_sequence = reader.U64();
  const int32_t last_year = static_cast<int32_t>(reader.U32());
  const uint32_t count = reader.U32();
  if (count > options_.max_requests) {
    return Status::InvalidArgument("invoice state holds more requests than max_requests");
  }
  if (next_sequence == 0 || next_sequence > kMaxSequence + 1) {
    return Status::Corruption("invoice state: bad next sequence");
  }
  std::vector<IssuedInvoice> invoices;
  std::unordered_map<std::string, size_t> by_request;
  std::unordered_map<std::string, size_t> by_number;
  std::unordered_map<std::string, int64_t> red_total_fen;
  uint64_t previous_sequence = 0;
  int32_t previous_year = 0;
  for (uint32_t i = 0; i < count; ++i) {
    IssuedInvoice invoice;
    if (!DecodeRecord(&reader, version1, &invoice)) {
      return Status::Corruption("invoice state: truncated");
    }
    if (Status status = CheckRecord(invoice); !status.ok()) return status;
    // CheckRecord made the number 20 digits.
    const std::string_view number = invoice.number;
    const int32_t year = 2000 + static_cast<int32_t>(ParseDigits(number.substr(0, 2)));
    const uint64_t sequence = ParseDigits(number.substr(4));
    if (sequence <= previous_sequence || sequence >= next_sequence || year < previous_year ||
        year > last_year) {
      return Status::Corruption("invoice state: numbers out of order");
    }
    if (!by_request.emplace(invoice.request.request_id, invoices.size()).second) {
      return Status::Corruption("invoice state: duplicate request_id");
    }
    if (const InvoiceRequest& r = invoice.request; r.red_letter()) {
      const auto blue = by_number.find(r.original_number);
      if (!CheckRedLetter(r, blue == by_number.end() ? nullptr : &invoices[blue->second],
                          red_total_fen[r.original_number])
               .ok()) {
        return Status::Corruption("invoice state: bad red-letter invoice " + r.request_id);
      }
      red_total_fen[r.original_number] += r.amount_fen;
    }
    by_number.emplace(invoice.number, invoices.size());
    previous_sequence = sequence;
    previous_year = year;
    invoices.push_back(std::move(invoice));
  }
  if (reader.remaining() != 0) return Status::Corruption("invoice state: trailing bytes");
  if (count > 0 ? last_year < previous_year : last_year != 0) {
    return Status::Corruption("invoice state: bad last year");
  }
  invoices_ = std::move(invoices);
  by_request_ = std::move(by_request);
  by_number_ = std::move(by_number);
  red_total_fen_ = std::move(red_total_fen);
  next_sequence_ = next_sequence;
  last_year_ = last_year;
  return Status::Ok();
}

}  // namespace qb::invoice
