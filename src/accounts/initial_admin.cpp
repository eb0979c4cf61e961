#include "accounts/initial_admin.hpp"

#include "domain/errors.hpp"
#include "accounts/credentials.hpp"
#include "domain/audit_actions.hpp"
#include "domain/user_rules.hpp"
#include "services/audit.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"
#include "storage/tables/users.hpp"
#include "util/time.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

namespace {

constexpr const char* kAdminName = "admin";

// Inserts the account only into an empty users table; false when someone else got there first.
asio::awaitable<bool> insert_first_admin(storage::Tx& tx, std::string password_hash) {
  const std::string name = kAdminName;
  const bool inserted = co_await storage::users::insert_first_admin(tx, name, password_hash, util::now_us());
  if (!inserted) co_return false;
  // Built before the co_await (the coroutine rule: storage/job.hpp).
  const services::Actor actor = domain::system_identity("first start");
  services::AuditEntry entry{domain::AuditAction::user_create, "user", std::string(kAdminName), std::nullopt,
                             nlohmann::json{{"username", kAdminName}, {"role", "admin"}, {"active", true}}};
  co_await services::record_audit(tx, std::move(actor), std::move(entry));
  co_return true;
}

}  // namespace

asio::awaitable<InitialAdmin> ensure_initial_admin(storage::Database& db, PasswordHasher& hasher,
                                                   std::optional<std::string> supplied) {
  auto existing = co_await db.read(storage::job(services::count_users));
  if (existing > 0) co_return InitialAdmin{};
  // An empty variable counts as unset: a generated password is safer than a refusal to start.
  if (supplied && supplied->empty()) supplied.reset();
  if (supplied) {
    if (auto err = domain::validate_password(*supplied)) {
      throw domain::Failure(domain::Error::invalid_password, "TRACETRACK_ADMIN_PASSWORD: " + *err);
    }
  }
  InitialAdmin out;
  // Not `supplied ? *supplied : generate_password()` (the coroutine rule: storage/job.hpp).
  std::string password;
  if (supplied) {
    password = *supplied;
  } else {
    password = generate_password();
  }
  auto hash = co_await hasher.hash(password);
  auto insert = storage::job(insert_first_admin, hash);
  out.created = co_await db.write(std::move(insert));
  if (out.created && !supplied) out.generated_password = std::move(password);
  co_return out;
}

}  // namespace tt::accounts
