// Building the text of a statement whose filters vary (search, lists, exports): each value goes
// into the parameters and the text gets its placeholder, so no value is ever part of the SQL.
#pragma once

#include <string>

#include "storage/value.hpp"

namespace tt::storage {

// Appends `v` to the parameters and returns its placeholder: "$1", "$2", ...
inline std::string placeholder(Params& p, Value v) {
  p.push_back(std::move(v));
  // Appended, not `"$" + std::to_string(...)`: GCC 12 at -O3 reports a false -Wrestrict there.
  std::string ph = "$";
  ph += std::to_string(p.size());
  return ph;
}

}  // namespace tt::storage
