#include "accounts/auth_settings.hpp"

#include "services/settings.hpp"
#include "storage/tables/auth_settings.hpp"

namespace tt::accounts {

asio::awaitable<AuthSettings> load_auth_settings(storage::Tx& tx) {
  const auto values = co_await storage::auth_settings::values(tx);
  co_return domain::auth_settings_from(values);
}

asio::awaitable<services::CredentialChange<nlohmann::json>> update_settings(storage::Tx& tx, services::Caller caller,
                                                                            nlohmann::json changes) {
  auto all = co_await services::update_settings(tx, std::move(caller), std::move(changes));
  co_return services::credential_change(std::move(all));
}

}  // namespace tt::accounts
