// Bag codes (SPEC §1): what a scanner typed, trimmed and upper-cased, 1-64 printable ASCII
// characters with no whitespace or control characters. Pure functions on the scan hot path: no
// regular expressions, no allocation beyond the returned string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tt::domain {

inline constexpr std::size_t kCodeMaxLength = 64;

struct NormalisedCode {
  std::string code;   // trimmed and upper-cased; meaningful only when ok()
  std::string error;  // a message for a person when the input is not a valid code
  bool ok() const noexcept { return error.empty(); }
};

// Trims ASCII whitespace at both ends (scanners append CR/LF), upper-cases a-z, then checks the
// rules. `what` names the code in messages ("bag code", "parent code"); `max_length` is 64 for
// bag codes (bill codes reuse the rules with their own limit).
NormalisedCode normalise_code(std::string_view raw, std::string_view what = "bag code",
                              std::size_t max_length = kCodeMaxLength);

// A printable rendering of untrusted input for the scan log: bytes outside printable ASCII become
// \xNN escapes, and the result is cut to about `max_chars` (an ellipsis marks the cut). Keeps
// invalid input recordable as UTF-8 text in both backends.
std::string printable_for_log(std::string_view raw, std::size_t max_chars = 100);

// The smallest string greater than every string that starts with `prefix` (for prefix search as a
// range `code >= prefix AND code < upper`, which both backends answer from the unique index).
// Codes hold only printable ASCII, so incrementing the last byte suffices; empty when none exists.
std::string prefix_upper_bound(std::string_view prefix);

// Appends s as a JSON string literal (quotes included), escaping as JSON requires. For writing
// small responses directly without a JSON document.
void append_json_string(std::string& out, std::string_view s);

}  // namespace tt::domain
