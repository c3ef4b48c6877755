#include "engine/checkpoint.h"

#include <cstring>

#include "base/bytes.h"

namespace qb::engine {
namespace {

constexpr uint32_t kMagic = 0x32434251;  // "QBC2"
// Written before the payment book existed: its state has no payments part (see
// StateMachine::Deserialize). Still read, so an upgraded server starts from its old checkpoint.
constexpr uint32_t kMagicV1 = 0x31434251;  // "QBC1"

std::string_view AsBytes(const Digest& digest) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

void EncodeCheckpoint(const StateMachine& state, const journal::ChainPosition& position,
                      std::string* out) {
  std::string state_bytes;
  state.Serialize(&state_bytes);
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U64(position.last_seq);
  writer.Bytes(AsBytes(position.last_hash));
  writer.Bytes(AsBytes(state.StateHash()));
  writer.U64(state_bytes.size());
  writer.Bytes(state_bytes);
}

Status DecodeCheckpoint(std::string_view bytes, StateMachine* state,
                        journal::ChainPosition* position, Digest* state_hash) {
  ByteReader reader(bytes);
  const uint32_t magic = reader.U32();
  if (magic != kMagic && magic != kMagicV1) return Status::Corruption("checkpoint magic");
  journal::ChainPosition decoded;
  decoded.last_seq = reader.U64();
  std::string_view last_hash = reader.Bytes(32);
  std::string_view expected_hash = reader.Bytes(32);
  const uint64_t state_bytes = reader.U64();
  if (!reader.ok() || reader.remaining() != state_bytes) {
    return Status::Corruption("checkpoint length");
  }
  std::memcpy(decoded.last_hash.data(), last_hash.data(), 32);
  if (!state->Deserialize(reader.Bytes(state_bytes), magic == kMagic)) {
    return Status::Corruption("checkpoint state does not decode");
  }
  const Digest actual = state->StateHash();
  if (AsBytes(actual) != expected_hash) {
    return Status::Corruption("checkpoint state hash mismatch");
  }
  *position = decoded;
  *state_hash = actual;
  return Status::Ok();
}

}  // namespace qb::engine
