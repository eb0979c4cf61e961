// Reads one field out of a JSON answer without building a document: the generator checks every
// answer (result, child count, error code) and must not spend the CPU the server needs on parsing.
// Finds the first occurrence of the key at any depth, which is what the flat answers of the scan
// routes and the {"error": {"code": ...}} envelope need.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tt::bench {

// The string value of "key" (without its quotes; escapes are left as they are), or nullopt when the
// key is absent or its value is not a string.
std::optional<std::string_view> json_string_field(std::string_view body, std::string_view key);

// The integer value of "key", or nullopt when absent or not an integer.
std::optional<std::int64_t> json_int_field(std::string_view body, std::string_view key);

}  // namespace tt::bench
