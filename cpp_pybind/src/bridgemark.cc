// bridgemark C++ API (include/bridgemark.hpp) over the cxx bridge (src/lib.rs).
//
// The one place a rust::Error becomes a bridgemark::Error: the Rust glue writes a
// failed call as "<code>:<message>" with '\' as "\\" and NUL as "\0" (CodedError in
// src/lib.rs); decode() reverses that, so code and message arrive unchanged.
#include "bridgemark.hpp"

#include <utility>

namespace bridgemark {

Error::Error(std::uint32_t code, std::string message)
    : std::runtime_error(message), code_(code), message_(std::move(message)) {}

namespace {

// "<code>:<escaped message>" -> Error. A text not in that shape (never produced by
// the glue) becomes an Internal error holding the whole text.
Error decode(const char *text) {
  const char *p = text;
  std::uint32_t code = 0;
  while (*p >= '0' && *p <= '9' && code < 1000) {
    code = code * 10 + static_cast<std::uint32_t>(*p++ - '0');
  }
  if (p == text || *p != ':') {
    return Error(static_cast<std::uint32_t>(ErrorCode::Internal), text);
  }
  std::string message;
  for (++p; *p != '\0'; ++p) {
    if (*p == '\\' && p[1] == '0') {
      message.push_back('\0');
      ++p;
    } else if (*p == '\\' && p[1] == '\\') {
      message.push_back('\\');
      ++p;
    } else {
      message.push_back(*p);
    }
  }
  return Error(code, std::move(message));
}

// Runs a fallible bridge call, rethrowing its rust::Error as a bridgemark::Error.
template <typename F>
auto translated(F &&call) -> decltype(call()) {
  try {
    return call();
  } catch (const rust::Error &e) {
    throw decode(e.what());
  }
}

rust::Slice<const std::uint8_t> as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t *>(s.data()), s.size()};
}

// `s` as a rust::Str, or an empty one when absent (then its presence flag is false).
// Throws std::invalid_argument when `s` is not UTF-8.
rust::Str as_str(const std::optional<std::string_view> &s) {
  return s ? rust::Str(s->data(), s->size()) : rust::Str();
}
rust::Str as_str(const std::optional<std::string> &s) { return s ? rust::Str(*s) : rust::Str(); }

ffi::Limits limits_of(const Config &config) noexcept {
  return {config.max_decompressed_bytes, config.max_zip_entries, config.max_xml_depth,
          config.max_pages};
}

}  // namespace

ffi::Limits ffi::default_limits() noexcept { return limits_of(Config()); }

ExtractionResult extract_file(std::string_view path, const Config &config) {
  const rust::Str password = as_str(config.password);
  const ffi::Limits limits = limits_of(config);
  return translated([&] {
    return ffi::extract_file(as_bytes(path), password, config.password.has_value(), limits);
  });
}

ExtractionResult extract_bytes(std::string_view data, std::optional<std::string_view> mime_type,
                               const Config &config) {
  const rust::Str mime = as_str(mime_type);
  const rust::Str password = as_str(config.password);
  const ffi::Limits limits = limits_of(config);
  return translated([&] {
    return ffi::extract_bytes(as_bytes(data), mime, mime_type.has_value(), password,
                              config.password.has_value(), limits);
  });
}

void noop() noexcept { ffi::noop(); }

std::int64_t add(std::int64_t a, std::int64_t b) noexcept { return ffi::add(a, b); }

rust::String echo(std::string_view s) { return ffi::echo(rust::Str(s.data(), s.size())); }

ExtractionResult make_result(std::size_t n_chars, std::size_t n_tables) {
  return translated([&] { return ffi::make_result(n_chars, n_tables); });
}

void spin(std::uint64_t ns) noexcept { ffi::spin(ns); }

std::uint64_t core_clock_ns(bool on) noexcept { return ffi::core_clock_ns(on); }

void leak(std::size_t n_bytes) {
  translated([&] { ffi::leak(n_bytes); });
}

void panic(std::string_view message) {
  const rust::Str text(message.data(), message.size());
  translated([&] { ffi::panic(text); });
  // ffi::panic never returns normally (the probe always fails).
  throw Error(static_cast<std::uint32_t>(ErrorCode::Internal), "panic probe returned");
}

}  // namespace bridgemark
