// An operation the rules refused, returned as a value rather than thrown when the transaction must
// still commit (a refused scan is recorded in the scan log). The route turns it into the JSON error
// of SPEC §4 after the commit.
#pragma once

#include <optional>
#include <string>

#include "domain/errors.hpp"

namespace tt::services {

struct Refusal {
  domain::Error code = domain::Error::conflict;
  std::string message;  // for a person
};

// What every scan (a parent, a child into a parent, a parent onto a bill, a bag onto a return
// ticket) has in common (SPEC §4): refused with a code and a message, or accepted. Each scan's
// outcome derives from it, so that its answer, the scan metric and the live views read it alike.
struct ScanOutcome {
  std::optional<Refusal> refusal;  // set when the rules refused the scan
  bool refused() const noexcept { return refusal.has_value(); }
};

}  // namespace tt::services
