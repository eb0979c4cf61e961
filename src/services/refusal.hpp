// An operation the rules refused, returned as a value rather than thrown when the transaction must
// still commit (a refused scan is recorded in the scan log). The route turns it into the JSON error
// of SPEC §4 after the commit.
#pragma once

#include <string>

#include "domain/errors.hpp"

namespace tt::services {

struct Refusal {
  domain::Error code = domain::Error::conflict;
  std::string message;  // for a person
};

}  // namespace tt::services
