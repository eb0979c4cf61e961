// Everything a handler may reach, wired once at start-up by the serve command.
#pragma once

#include "app/config.hpp"

namespace tt::storage {
class Database;
}
namespace tt::auth {
class Authenticator;
class PasswordHasher;
}
namespace tt::events {
class Hub;
}

namespace tt::app {

struct App {
  const Config& config;
  storage::Database& db;
  events::Hub& hub;
  auth::Authenticator* authenticator = nullptr;  // null only in tests of public routes
  // Argon2id hashing off the io_context threads (logins, password changes, user creation).
  auth::PasswordHasher* passwords = nullptr;
};

}  // namespace tt::app
