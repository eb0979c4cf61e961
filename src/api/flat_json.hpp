// A parser for the one request body shape of the scan hot path: a flat JSON object whose members
// are plain strings, e.g. {"parent":"SB12345","code":"CH-0001"}. It allocates nothing and returns
// views into the body. Anything it does not handle (escapes, non-ASCII bytes, numbers, nesting)
// makes it decline, and the caller falls back to the full JSON parser, which gives the exact
// answer and error message: the fast path only ever agrees with the full parser.
#pragma once

#include <cstddef>
#include <string_view>

namespace tt::api {

struct FlatField {
  std::string_view name;
  std::string_view value;
};

// True when `body` is such an object with at most `max_fields` members; fills out[0..count).
bool parse_flat_string_object(std::string_view body, FlatField* out, std::size_t max_fields, std::size_t& count);

}  // namespace tt::api
