#include "accounts/db_authenticator.hpp"

#include <algorithm>
#include <charconv>

#include "accounts/credentials.hpp"
#include "domain/auth_settings.hpp"
#include "storage/database.hpp"
#include "storage/tables/api_tokens.hpp"
#include "storage/tables/sessions.hpp"
#include "storage/tables/sites.hpp"
#include "util/time.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

namespace {
constexpr std::int64_t kMinuteUs = 60LL * 1000000;

Principal session_principal(const storage::SessionLookup& s) {
  Principal p;
  static_cast<domain::Identity&>(p) = s.who;
  p.via = Principal::Via::session_cookie;
  p.session_id = s.session_id;
  p.csrf_token = s.csrf_token;
  p.second_factor_setup_required = s.second_factor_setup_required;
  return p;
}

Principal token_principal(const storage::TokenLookup& t) {
  Principal p;
  static_cast<domain::Identity&>(p) = t.who;
  p.via = Principal::Via::api_token;
  return p;
}
constexpr std::int64_t kDefaultIdleUs = 30 * kMinuteUs;

// A depot: no user and no role of its own (http::Access::sites decides what it may call); its
// name is what the logs show.
Principal site_principal(const storage::SiteRow& s) {
  Principal p;
  p.username = "site " + s.name;
  p.via = Principal::Via::site_token;
  p.site_id = s.id;
  p.site_uid = s.uid;
  return p;
}
}  // namespace

DbAuthenticator::DbAuthenticator(storage::Database& db, CredentialCache& cache) : db_(db), cache_(cache) {}

asio::awaitable<std::optional<Principal>> DbAuthenticator::authenticate(Presented presented) {
  // A bearer token, when present, is the only credential considered: a script never falls back to
  // a browser cookie. Another Authorization scheme (a proxy's Basic) leaves the cookie in charge.
  if (presented.authorization) {
    if (auto token = bearer_token(*presented.authorization)) {
      if (is_site_token(*token)) co_return co_await from_site_token(std::string(*token));
      if (!is_api_token(*token)) co_return std::nullopt;
      co_return co_await from_api_token(std::string(*token));
    }
  }
  if (presented.session_cookie) {
    if (!is_session_token(*presented.session_cookie)) co_return std::nullopt;
    co_return co_await from_session(std::move(*presented.session_cookie));
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<Principal>> DbAuthenticator::from_session(std::string token) {
  const std::string key = token_hash(token);
  const auto generation = cache_.generation();
  auto now = util::now_us();
  auto entry = cache_.get(key, now);
  if (!entry) {
    auto lookup = storage::job(storage::sessions::find, key);
    auto found = co_await db_.read(std::move(lookup));
    if (!found || !found->user_active) co_return std::nullopt;
    now = util::now_us();
    entry = CachedCredential{session_principal(*found), found->session_id, found->expires_at,
                             domain::duration_setting(found->idle_minutes_setting, kMinuteUs, kDefaultIdleUs,
                                                        7 * 24 * 60),
                             found->last_seen_at};
    cache_.put(key, *entry, generation, now);
  }
  const std::int64_t id = entry->row_id;
  // The stored last-seen time lags real use by up to the touch interval (one minute), so a session
  // can end up to a minute before exactly `idle` after its last request: the price of not
  // writing on every request.
  const std::int64_t last_seen = session_touch_.latest(id, entry->last_seen_at);
  if (now >= entry->expires_at || now - last_seen > entry->idle_limit_us) co_return std::nullopt;
  if (session_touch_.claim(id, entry->last_seen_at, now)) {
    co_await db_.write(storage::job(storage::sessions::touch, id, now));
  }
  co_return entry->principal;
}

asio::awaitable<std::optional<Principal>> DbAuthenticator::from_api_token(std::string token) {
  const std::string key = token_hash(token);
  const auto generation = cache_.generation();
  auto now = util::now_us();
  auto entry = cache_.get(key, now);
  if (!entry) {
    auto lookup = storage::job(storage::api_tokens::find, key);
    auto found = co_await db_.read(std::move(lookup));
    if (!found || !found->usable) co_return std::nullopt;
    now = util::now_us();
    entry = CachedCredential{token_principal(*found), found->token_id, INT64_MAX, 0, found->last_used_at.value_or(0)};
    cache_.put(key, *entry, generation, now);
  }
  const std::int64_t token_id = entry->row_id;
  if (token_touch_.claim(token_id, entry->last_seen_at, now)) {
    co_await db_.write(storage::job(storage::api_tokens::touch, token_id, now));
  }
  co_return entry->principal;
}

asio::awaitable<std::optional<Principal>> DbAuthenticator::from_site_token(std::string token) {
  const std::string key = token_hash(token);
  const auto generation = cache_.generation();
  auto now = util::now_us();
  auto entry = cache_.get(key, now);
  if (!entry) {
    auto lookup = storage::job(storage::sites::by_token_hash, key);
    auto found = co_await db_.read(std::move(lookup));
    if (!found) co_return std::nullopt;
    now = util::now_us();
    entry = CachedCredential{site_principal(*found), found->id, INT64_MAX, 0, 0};
    cache_.put(key, *entry, generation, now);
  }
  co_return entry->principal;
}

}  // namespace tt::accounts
