#include "api/json_writer.h"

#include <boost/json.hpp>

namespace qb::api {

struct JsonObjectWriter::Impl {
  boost::json::object object;
};

struct JsonArrayWriter::Impl {
  boost::json::array array;
};

JsonObjectWriter::JsonObjectWriter() : impl_(std::make_unique<Impl>()) {}
JsonObjectWriter::~JsonObjectWriter() = default;
JsonObjectWriter::JsonObjectWriter(JsonObjectWriter&&) noexcept = default;
JsonObjectWriter& JsonObjectWriter::operator=(JsonObjectWriter&&) noexcept = default;

JsonObjectWriter& JsonObjectWriter::String(std::string_view key, std::string_view value) {
  impl_->object[key] = value;
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Int(std::string_view key, int64_t value) {
  impl_->object[key] = value;
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Amount(std::string_view key, int64_t minor_units) {
  return Int(key, minor_units);
}

JsonObjectWriter& JsonObjectWriter::Bool(std::string_view key, bool value) {
  impl_->object[key] = value;
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Null(std::string_view key) {
  impl_->object[key] = nullptr;
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Object(std::string_view key, JsonObjectWriter value) {
  impl_->object[key] = std::move(value.impl_->object);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Array(std::string_view key, JsonArrayWriter value) {
  impl_->object[key] = std::move(value.impl_->array);
  return *this;
}

std::string JsonObjectWriter::Serialize() const { return boost::json::serialize(impl_->object); }

JsonArrayWriter::JsonArrayWriter() : impl_(std::make_unique<Impl>()) {}
JsonArrayWriter::~JsonArrayWriter() = default;
JsonArrayWriter::JsonArrayWriter(JsonArrayWriter&&) noexcept = default;
JsonArrayWriter& JsonArrayWriter::operator=(JsonArrayWriter&&) noexcept = default;

JsonArrayWriter& JsonArrayWriter::String(std::string_view value) {
  impl_->array.emplace_back(value);
  return *this;
}

JsonArrayWriter& JsonArrayWriter::Int(int64_t value) {
  impl_->array.emplace_back(value);
  return *this;
}

JsonArrayWriter& JsonArrayWriter::Object(JsonObjectWriter value) {
  impl_->array.emplace_back(std::move(value.impl_->object));
  return *this;
}

size_t JsonArrayWriter::size() const { return impl_->array.size(); }

std::string JsonArrayWriter::Serialize() const { return boost::json::serialize(impl_->array); }

HttpResponse JsonResponse(int status, const JsonObjectWriter& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.Serialize();
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace qb::api
