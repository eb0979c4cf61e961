// Who calls a bag, scan or bill operation: the identity of domain/identity.hpp (user, role, area,
// client), which carries the area rule (SPEC §2: a dispatcher sees only their own area's bags and
// bills; anything else behaves as if it did not exist).
#pragma once

#include "domain/identity.hpp"

namespace tt::services {

using Caller = domain::Identity;

}  // namespace tt::services
