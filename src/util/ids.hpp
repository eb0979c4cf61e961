// Random material from the operating system's CSPRNG (libsodium), and globally unique row ids.
#pragma once

#include <string>

namespace tt::util {

// UUID version 7 (time-ordered; strictly increasing within one process; 62 random bits plus a
// randomly seeded 12-bit counter): the global id of every row that depots will synchronise to
// head office, unique across sites without coordination.
std::string uuid_v7();

// n random bytes as lower-case hex (2n characters): session and API tokens, CSRF tokens.
std::string random_hex(std::size_t n_bytes);

// SHA-256 of s as lower-case hex: tokens are stored only as hashes.
std::string sha256_hex(std::string_view s);

// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace tt::util
