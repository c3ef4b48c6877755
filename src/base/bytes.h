// Little-endian encoding of fixed-width integers into byte strings, and a bounds-checked
// reader. Every persisted format in qianbao is built from these two.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace qb {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Fixed(v); }
  void U32(uint32_t v) { Fixed(v); }
  void U64(uint64_t v) { Fixed(v); }
  void I64(int64_t v) { Fixed(static_cast<uint64_t>(v)); }
  void Bytes(std::string_view bytes) { out_->append(bytes.data(), bytes.size()); }
  // A u32 length followed by the bytes.
  void LengthPrefixed(std::string_view bytes) {
    U32(static_cast<uint32_t>(bytes.size()));
    Bytes(bytes);
  }
  size_t size() const { return out_->size(); }

 private:
  template <typename T>
  void Fixed(T v) {
    static_assert(std::endian::native == std::endian::little, "qianbao assumes little-endian");
    char buffer[sizeof(T)];
    std::memcpy(buffer, &v, sizeof(T));
    out_->append(buffer, sizeof(T));
  }

  std::string* out_;
};

// Reads what ByteWriter wrote. Running past the end sets a sticky failure flag and yields
// zeroes, so decoders check ok() once at the end instead of after every field.
class ByteReader {
 public:
  explicit ByteReader(std::string_view input) : input_(input) {}

  uint8_t U8() { return Fixed<uint8_t>(); }
  uint16_t U16() { return Fixed<uint16_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  int64_t I64() { return static_cast<int64_t>(Fixed<uint64_t>()); }
  std::string_view Bytes(size_t n) {
    if (!Need(n)) return {};
    std::string_view result = input_.substr(position_, n);
    position_ += n;
    return result;
  }
  std::string_view LengthPrefixed() { return Bytes(U32()); }

  bool ok() const { return ok_; }
  size_t remaining() const { return ok_ ? input_.size() - position_ : 0; }
  size_t position() const { return position_; }

 private:
  bool Need(size_t n) {
    if (!ok_ || input_.size() - position_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  template <typename T>
  T Fixed() {
    T v{};
    if (!Need(sizeof(T))) return v;
    std::memcpy(&v, input_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return v;
  }

  std::string_view input_;
  size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace qb
