#include "accounts/sessions.hpp"

#include <nlohmann/json.hpp>

#include "accounts/auth_settings.hpp"
#include "services/audit_entry.hpp"

namespace tt::accounts {

asio::awaitable<services::CredentialChange<bool>> end_session(storage::Tx& tx, std::int64_t session_id) {
  const bool ended = co_await storage::sessions::remove(tx, session_id);
  co_return services::credential_change(ended);
}

asio::awaitable<std::vector<SessionInfo>> list_user_sessions(storage::Tx& tx, std::int64_t user_id, std::int64_t now) {
  const AuthSettings settings = co_await load_auth_settings(tx);
  const std::int64_t seen_since = now - settings.session_idle_us;
  co_return co_await storage::sessions::of_user(tx, user_id, now, seen_since);
}

asio::awaitable<services::CredentialChange<std::int64_t>> end_other_sessions(storage::Tx& tx, services::Actor actor,
                                                                             std::int64_t keep) {
  const std::optional<std::int64_t> kept = keep;
  const std::int64_t ended = co_await storage::sessions::remove_of_user(tx, actor.user_id, kept);
  nlohmann::json after;
  after["ended"] = ended;
  co_await services::record_audit(tx, actor,
                                  services::make_audit_entry(services::AuditAction::sessions_end, "session",
                                                             actor.username, std::nullopt, std::move(after)));
  co_return services::credential_change(ended);
}

}  // namespace tt::accounts
