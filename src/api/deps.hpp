// What the endpoints reach: the database, live events, password hashing, the settings, figures and
// credential caches, and how cookies are marked. Owned by `tracetrack serve` (or a test) and bound to the
// routes when they are registered (api/routes.hpp): no globals, no registry keyed by database.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "accounts/credential_cache.hpp"
#include "http/router.hpp"
#include "services/settings.hpp"
#include "util/time_zone.hpp"
#include "services/caller.hpp"
#include "services/credential_change.hpp"
#include "services/stats.hpp"
#include "storage/database.hpp"

namespace tt::storage {
class Database;
}
namespace tt::events {
class Hub;
}
namespace tt::accounts {
class PasswordHasher;
}
namespace tt::sync {
class Pusher;
}

namespace tt::api {

namespace asio = boost::asio;

struct Deps {
  Deps(storage::Database& db, events::Hub& hub, accounts::PasswordHasher& passwords,
       std::chrono::milliseconds credential_ttl, bool cookie_secure)
      : db(db), hub(hub), passwords(passwords), cookie_secure(cookie_secure), credentials(credential_ttl) {}

  storage::Database& db;
  events::Hub& hub;
  accounts::PasswordHasher& passwords;  // Argon2id off the request threads (sign-in, password changes)
  bool cookie_secure;               // mark session cookies Secure (behind TLS)
  services::SettingsCache settings;  // the bag settings, reread at most once a second
  services::StatsCache stats;        // the dashboard figures (see services/stats.hpp)
  // Resolved sessions and API tokens (accounts/credential_cache.hpp), shared with the server's
  // authenticator; invalidated by the call helper below, and nowhere else.
  accounts::CredentialCache credentials;
  // CSV exports streaming now: each holds a database reader or connection while it streams, so
  // they are few (api/exports.cpp).
  std::atomic<unsigned> exports_streaming{0};
  // A depot with an upstream (SPEC §8): its pusher and head office's URL, for the status; none on
  // a stand-alone server or head office.
  sync::Pusher* pusher = nullptr;
  std::string upstream;
};

// Who calls, as the services and the logs see it: the request's principal (nobody on a public
// route) with the request's client address.
services::Caller caller_of(const http::RequestContext& ctx);

asio::awaitable<services::SettingsPtr> current_settings(Deps& d);
// The depot's time zone (setting time_zone), for dates in filters.
asio::awaitable<util::TimeZone> depot_time_zone(Deps& d);

// Runs a service for the caller of `ctx`, in a write transaction (call_write) or a read one
// (call_read), and returns what it returns. Whatever the service takes first is given here, once:
//   service(tx, caller, args..., settings)   when it takes the bag settings last,
//   service(tx, caller, args...)             when it takes the caller,
//   service(tx, args...)                     otherwise.
// The job is built by storage::job (storage/job.hpp explains why no lambda is written here), so
// an endpoint is: read the request, call, publish, answer.
//
// A service that changes credentials returns services::CredentialChange<T>: the call returns the
// T inside, after invalidating d.credentials once the transaction has committed.
template <class Service, class... Args>
auto call_write(const http::RequestContext& ctx, Deps& d, Service service, Args... args);
template <class Service, class... Args>
auto call_read(const http::RequestContext& ctx, Deps& d, Service service, Args... args);

// Publishes a live event after its change committed; builds nothing when nobody listens (another
// instance's clients may be listening whenever the hub forwards, on PostgreSQL).
bool has_listeners(const Deps& d);
// `other_area_id`: the second area of an event about two (events::Event).
void publish(Deps& d, std::string type, const nlohmann::json& data, std::optional<std::int64_t> area_id,
             std::optional<std::int64_t> other_area_id = std::nullopt);

// --- template implementation -----------------------------------------------------------------

namespace detail {

template <class Service, class... Args>
inline constexpr bool takes_settings =
    std::is_invocable_v<Service&, storage::Tx&, services::Caller, Args..., services::SettingsPtr>;
template <class Service, class... Args>
inline constexpr bool takes_caller = std::is_invocable_v<Service&, storage::Tx&, services::Caller, Args...>;

// What the service's coroutine returns, and what the call returns (a credential change unwrapped).
template <class Service, class... Args>
struct service_result {
  using type = typename std::invoke_result_t<Service&, storage::Tx&, Args...>::value_type;
};
template <class Service, class... Args>
  requires takes_caller<Service, Args...>
struct service_result<Service, Args...> {
  using type = typename std::invoke_result_t<Service&, storage::Tx&, services::Caller, Args...>::value_type;
};
template <class Service, class... Args>
  requires takes_settings<Service, Args...>
struct service_result<Service, Args...> {
  using type =
      typename std::invoke_result_t<Service&, storage::Tx&, services::Caller, Args..., services::SettingsPtr>::value_type;
};

template <class R>
struct call_result {
  using type = R;
};
template <class T>
struct call_result<services::CredentialChange<T>> {
  using type = T;
};

// Runs the job; when the service reports a credential change, invalidates the credential cache
// once the transaction has committed and returns the result it wraps. The one place where the
// cache is invalidated.
template <class R, class Job>
asio::awaitable<typename call_result<R>::type> run_job(std::optional<storage::WriteOptions> write, Deps& d, Job job) {
  if constexpr (services::is_credential_change<R>) {
    std::optional<R> changed;
    if (write) {
      changed.emplace(co_await d.db.write(std::move(job), std::move(*write)));
    } else {
      changed.emplace(co_await d.db.read(std::move(job)));
    }
    d.credentials.invalidate();
    if constexpr (!std::is_void_v<typename call_result<R>::type>) co_return std::move(changed->value);
  } else {
    if (write) co_return co_await d.db.write(std::move(job), std::move(*write));
    co_return co_await d.db.read(std::move(job));
  }
}

template <class Service, class... Args>
using result_of_call = typename call_result<typename service_result<Service, Args...>::type>::type;

template <class Service, class... Args>
asio::awaitable<result_of_call<Service, Args...>> call(std::optional<storage::WriteOptions> write,
                                                       const http::RequestContext& ctx, Deps& d, Service service,
                                                       Args... args) {
  using R = typename service_result<Service, Args...>::type;
  if constexpr (takes_settings<Service, Args...>) {
    services::SettingsPtr settings = co_await current_settings(d);
    auto job = storage::job(service, caller_of(ctx), std::move(args)..., std::move(settings));
    co_return co_await run_job<R>(std::move(write), d, std::move(job));
  } else if constexpr (takes_caller<Service, Args...>) {
    auto job = storage::job(service, caller_of(ctx), std::move(args)...);
    co_return co_await run_job<R>(std::move(write), d, std::move(job));
  } else {
    auto job = storage::job(service, std::move(args)...);
    co_return co_await run_job<R>(std::move(write), d, std::move(job));
  }
}

}  // namespace detail

template <class Service, class... Args>
auto call_write(const http::RequestContext& ctx, Deps& d, Service service, Args... args) {
  return detail::call(std::optional<storage::WriteOptions>(std::in_place), ctx, d, std::move(service),
                      std::move(args)...);
}

// call_write for a long transaction (an import): one of its own, not in a group of scans
// (storage::write_alone).
template <class Service, class... Args>
auto call_write_alone(const http::RequestContext& ctx, Deps& d, Service service, Args... args) {
  return detail::call(std::optional<storage::WriteOptions>(storage::write_alone()), ctx, d, std::move(service),
                      std::move(args)...);
}

template <class Service, class... Args>
auto call_read(const http::RequestContext& ctx, Deps& d, Service service, Args... args) {
  return detail::call(std::nullopt, ctx, d, std::move(service), std::move(args)...);
}

}  // namespace tt::api
