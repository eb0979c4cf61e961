// An operation the rules refused, returned as a value rather than thrown when the transaction must
// still commit (a refused scan is recorded in the scan log). The route turns it into the JSON error
// of SPEC §4 after the commit.
#pragma once

#include <string>

namespace tt::services {

struct Refusal {
  int status = 409;
  std::string code;     // snake_case error code
  std::string message;  // for a person
};

}  // namespace tt::services
