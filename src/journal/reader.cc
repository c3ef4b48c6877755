#include "journal/reader.h"

#include <string>

namespace qb::journal {

Status ReadJournal(Store* store, ChainPosition start, bool truncate_torn_tail,
                   const RecordVisitor& visit, ReadReport* report) {
  *report = ReadReport{};
  report->end = start;
  Status failure;
  // A record that fails to decode is remembered, not judged, until we know whether it is last.
  std::optional<uint64_t> bad_seq;
  DecodeResult bad_result = DecodeResult::kOk;
  Status read_status = store->ReadJournal(start.last_seq + 1, [&](uint64_t seq,
                                                                  std::string_view bytes) {
    if (bad_seq) {
      failure =
          Status::Corruption("journal record " + std::to_string(*bad_seq) + " is " +
                             std::string(DecodeResultName(bad_result)) + " but records follow it");
      return false;
    }
    if (seq != report->end.last_seq + 1) {
      failure = Status::Corruption("journal gap before record " + std::to_string(seq));
      return false;
    }
    BatchHeader header;
    std::string_view payload;
    DecodeResult result = DecodeRecord(bytes, &header, &payload);
    if (result != DecodeResult::kOk) {
      bad_seq = seq;
      bad_result = result;
      return true;
    }
    if (header.seq != seq || header.prev_hash != report->end.last_hash) {
      failure = Status::Corruption("journal hash chain broken at record " + std::to_string(seq));
      return false;
    }
    if (Status s = visit(header, payload); !s.ok()) {
      failure = s;
      return false;
    }
    report->records_read++;
    report->end.last_seq = seq;
    report->end.last_hash = RecordHash(bytes);
    return true;
  });
  if (!read_status.ok()) return read_status;
  if (!failure.ok()) return failure;
  if (bad_seq) {
    report->dropped_torn_tail = true;
    if (truncate_torn_tail) return store->TruncateJournal(*bad_seq);
  }
  return Status::Ok();
}

}  // namespace qb::journal
