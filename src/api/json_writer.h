// Building JSON response bodies without floats: numbers are int64 only, and amounts in
// particular are written as integer minor units, never as decimals.
//
//   JsonObjectWriter body;
//   body.String("id", id).Amount("amount", 1250).String("currency", "CNY");
//   respond(JsonResponse(200, body));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/http_server.h"

namespace qb::api {

class JsonArrayWriter;

// A JSON object under construction. Keys are written in the order added; adding a key twice
// replaces the earlier value. Move-only.
class JsonObjectWriter {
 public:
  JsonObjectWriter();
  ~JsonObjectWriter();
  JsonObjectWriter(JsonObjectWriter&&) noexcept;
  JsonObjectWriter& operator=(JsonObjectWriter&&) noexcept;

  JsonObjectWriter& String(std::string_view key, std::string_view value);
  JsonObjectWriter& Int(std::string_view key, int64_t value);
  // Minor units (fen); the same JSON as Int, named so call sites say what they write.
  JsonObjectWriter& Amount(std::string_view key, int64_t minor_units);
  JsonObjectWriter& Bool(std::string_view key, bool value);
  JsonObjectWriter& Null(std::string_view key);
  JsonObjectWriter& Object(std::string_view key, JsonObjectWriter value);
  JsonObjectWriter& Array(std::string_view key, JsonArrayWriter value);

  std::string Serialize() const;

 private:
  friend class JsonArrayWriter;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class JsonArrayWriter {
 public:
  JsonArrayWriter();
  ~JsonArrayWriter();
  JsonArrayWriter(JsonArrayWriter&&) noexcept;
  JsonArrayWriter& operator=(JsonArrayWriter&&) noexcept;

  JsonArrayWriter& String(std::string_view value);
  JsonArrayWriter& Int(int64_t value);
  JsonArrayWriter& Object(JsonObjectWriter value);
  size_t size() const;

  std::string Serialize() const;

 private:
  friend class JsonObjectWriter;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A response with the serialized body, Content-Type application/json and
// Cache-Control: no-store (API answers are per-user and must not be cached by proxies).
HttpResponse JsonResponse(int status, const JsonObjectWriter& body);

}  // namespace qb::api
