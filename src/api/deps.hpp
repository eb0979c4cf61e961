// What the endpoints reach: the database, live events, password hashing, the settings and figures
// caches, and how cookies are marked. Owned by `tracetrack serve` (or a test) and bound to the
// routes when they are registered (api/routes.hpp): no globals, no registry keyed by database.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "http/router.hpp"
#include "services/bag_settings.hpp"
#include "services/caller.hpp"
#include "services/stats.hpp"

namespace tt::storage {
class Database;
}
namespace tt::events {
class Hub;
}
namespace tt::auth {
class PasswordHasher;
}

namespace tt::api {

namespace asio = boost::asio;

struct Deps {
  Deps(storage::Database& db, events::Hub& hub, auth::PasswordHasher& passwords, bool cookie_secure)
      : db(db), hub(hub), passwords(passwords), cookie_secure(cookie_secure) {}

  storage::Database& db;
  events::Hub& hub;
  auth::PasswordHasher& passwords;  // Argon2id off the request threads (sign-in, password changes)
  bool cookie_secure;               // mark session cookies Secure (behind TLS)
  services::SettingsCache settings;  // the bag settings, reread at most once a second
  services::StatsCache stats;        // the dashboard figures (see services/stats.hpp)
};

// Who calls, as the services and the logs see it: the request's principal (nobody on a public
// route) with the request's client address.
services::Caller caller_of(const http::RequestContext& ctx);

asio::awaitable<services::SettingsPtr> current_settings(Deps& d);

// Publishes a live event after its change committed; builds nothing when nobody listens (another
// instance's clients may be listening whenever the hub forwards, on PostgreSQL).
bool has_listeners(const Deps& d);
void publish(Deps& d, std::string type, const nlohmann::json& data, std::optional<std::int64_t> area_id);

}  // namespace tt::api
