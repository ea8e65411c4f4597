// bridgemark C++ API: the Rust extraction core (bridgemark-core) through the cxx bridge.
//
// Thin functions over the generated bridge (namespace bridgemark::ffi, see src/lib.rs):
// they take C++17 standard views and return the cxx shared structs, moved out of Rust
// without copying. Every failure is a bridgemark::Error carrying the core's stable
// error code and exactly the core's message; no rust::Error ever escapes this API.
//
// Thread safety: every function may be called from any thread concurrently.
// Strings crossing the API are UTF-8; byte inputs are raw bytes (no encoding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bridgemark-cxx/src/lib.rs.h"
#include "rust/cxx.h"

namespace bridgemark {

// The result structs shared with Rust (fields and absence conventions in src/lib.rs):
//   ExtractionResult { rust::String content, mime_type; Metadata metadata; rust::Vec<Table> tables; }
//   Metadata { title/created/modified: rust::String + has_* flag (absent when false);
//              authors, comments: rust::Vec<rust::String> (empty = absent);
//              page_count, word_count: int64, -1 = absent (otherwise 0..=UINT32_MAX) }
//   Table { rust::Vec<Row> rows; }   Row { rust::Vec<rust::String> cells; }  (rows may be ragged)
using ExtractionResult = ffi::ExtractionResult;
using Metadata = ffi::Metadata;
using Table = ffi::Table;
using Row = ffi::Row;

// Settings of one extraction: bridgemark_core::Config. The defaults are the core's
// (Config::DEFAULT; the crate's tests check they agree through ffi::default_limits).
struct Config {
  // Password for encrypted documents (PDF), UTF-8; nullopt = none given (an empty
  // string is a password). Copied into Rust only when present.
  std::optional<std::string> password;
  // Largest total number of bytes inflated from the ZIP parts read (128 MiB).
  std::uint64_t max_decompressed_bytes = 128ull * 1024 * 1024;
  // Largest number of entries a ZIP container may declare.
  std::uint64_t max_zip_entries = 10'000;
  // Deepest XML element nesting accepted.
  std::uint32_t max_xml_depth = 256;
  // Most pages read from a paged document.
  std::uint32_t max_pages = 100'000;
};

// Stable error codes, identical to bridgemark_core::ErrorKind, the C ABI's bm_status
// and bridgemark.errors.ERROR_CLASSES in Python. Never renumbered, never reused.
enum class ErrorCode : std::uint32_t {
  NotFound = 1,           // FileNotFoundError
  IsADirectory = 2,       // IsADirectoryError
  PermissionDenied = 3,   // PermissionError
  Io = 4,                 // OSError
  UnsupportedFormat = 5,  // bridgemark.UnsupportedFormatError
  Corrupt = 6,            // bridgemark.CorruptDocumentError
  PasswordRequired = 7,   // bridgemark.PasswordRequiredError
  LimitExceeded = 8,      // bridgemark.LimitExceededError
  InvalidArgument = 9,    // ValueError
  Internal = 10,          // bridgemark.InternalError (a caught Rust panic)
};

// A failed call: the core's error code (1..10, see ErrorCode) and its message.
// message() is the full message; what() is the same text as a C string, so it stops
// at the first NUL should the message hold one (a path may).
class Error : public std::runtime_error {
 public:
  Error(std::uint32_t code, std::string message);
  std::uint32_t code() const noexcept { return code_; }
  const std::string &message() const noexcept { return message_; }

 private:
  std::uint32_t code_;
  std::string message_;
};

// Reads and extracts the file at `path`: raw OS path bytes (Unix: any bytes but NUL,
// not necessarily UTF-8; a NUL makes an InvalidArgument error). Format detected from
// the file's bytes, never its name. Password and limits from `config`.
// Throws Error: NotFound, IsADirectory, PermissionDenied, Io, then as extract_bytes.
ExtractionResult extract_file(std::string_view path, const Config &config = Config());

// Extracts the document in `data` (raw bytes, only read during the call). Without
// `mime_type` the format is detected from the bytes; with one (UTF-8, may be empty)
// it names the format, and one the core does not read is UnsupportedFormat.
// Throws Error: UnsupportedFormat, Corrupt, PasswordRequired (encrypted and no or a
// wrong password), LimitExceeded (a limit of `config`), Internal;
// std::invalid_argument when `mime_type` or the password is not UTF-8.
ExtractionResult extract_bytes(std::string_view data,
                               std::optional<std::string_view> mime_type = std::nullopt,
                               const Config &config = Config());

// ---- Probes: known work (or none) to isolate the bridge's own cost. ----

// Does nothing: the cost of calling it is the bridge's fixed cost. Never throws.
void noop() noexcept;

// a + b as int64, wrapping on overflow. Never throws.
std::int64_t add(std::int64_t a, std::int64_t b) noexcept;

// An owned copy of `s`, made in Rust (one copy). `s` must be UTF-8 (else std::invalid_argument).
rust::String echo(std::string_view s);

// A result with `n_chars` ASCII characters of content and `n_tables` tables of 3 x 3
// cells, every metadata field set; no extraction. Throws Error (Internal) on a size overflow.
ExtractionResult make_result(std::size_t n_chars, std::size_t n_tables);

// Busy-waits `ns` nanoseconds (monotonic clock) on the calling thread. Never throws.
void spin(std::uint64_t ns) noexcept;

// The core clock of this library's copy of the core: returns the nanoseconds (monotonic
// clock) summed over extract_file calls started while it was on, since the previous call;
// resets that sum to 0 and turns the clock on (`on`) or off (off at load). While on, each
// extraction also pays two clock reads (about 32 ns each). Never throws.
std::uint64_t core_clock_ns(bool on) noexcept;

// Allocates `n_bytes` bytes, writes each, and never frees them: the leak detector's
// positive control. Throws Error (Internal) on a size overflow.
void leak(std::size_t n_bytes);

// Test-only: Rust panics with `message` (UTF-8, else std::invalid_argument) and the
// panic is caught. Always throws Error (Internal, "internal error (Rust panic): <message>").
[[noreturn]] void panic(std::string_view message);

namespace ffi {
// The limits of a default-constructed Config, for the crate's tests (see src/lib.rs).
Limits default_limits() noexcept;
}  // namespace ffi

}  // namespace bridgemark
