#include "storage/tables/auth_settings.hpp"

#include "domain/auth_settings.hpp"

namespace tt::storage::auth_settings {

asio::awaitable<std::map<std::string, std::string>> values(Tx& tx) {
  auto rows = co_await tx.query(
      "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6, $7)",
      params(domain::kSessionIdleMinutes, domain::kSessionAbsoluteHours, domain::kLoginMaxFailuresPerUser,
             domain::kLoginMaxFailuresPerAddress, domain::kLoginWindowMinutes, domain::kLoginLockoutMinutes,
             domain::kAdminsNeedSecondFactor));
  std::map<std::string, std::string> out;
  for (const auto& r : rows) out.emplace(r.text(0), r.text(1));
  co_return out;
}

}  // namespace tt::storage::auth_settings
