// Rewrites the shared SQL text ($1..$N placeholders, PostgreSQL style) into SQLite's numbered
// form (?1..?N), so that services write every statement once for both backends.
#pragma once

#include <string>
#include <string_view>

namespace tt::storage::sqlite {

// "$N" becomes "?N" outside string literals, quoted identifiers and comments; every other byte
// is copied unchanged. A '$' not followed by a digit is left alone.
std::string rewrite_placeholders(std::string_view sql);

}  // namespace tt::storage::sqlite
