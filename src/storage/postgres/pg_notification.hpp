// A NOTIFY received on a listening connection.
#pragma once

#include <string>

namespace tt::storage::pg {

struct Notification {
  std::string channel;
  std::string payload;
};

}  // namespace tt::storage::pg
