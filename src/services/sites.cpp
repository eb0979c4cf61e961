#include "services/sites.hpp"

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "domain/user_rules.hpp"
#include "services/areas.hpp"
#include "services/audit_entry.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

domain::Failure no_such_site(const std::string& uid) {
  return domain::Failure(domain::Error::not_found, "There is no site with id '" + uid + "'.");
}

// What the audit log keeps of a site: never its token.
nlohmann::json audit_view(const Site& s) {
  return nlohmann::json{{"name", s.name}, {"areas", s.areas}, {"token", s.token_active ? "active" : "revoked"}};
}

asio::awaitable<Site> site_or_throw(storage::Tx& tx, const std::string& uid) {
  auto site = co_await storage::sites::by_uid(tx, uid);
  if (!site) throw no_such_site(uid);
  co_return std::move(*site);
}

}  // namespace

asio::awaitable<Site> register_site(storage::Tx& tx, Actor actor, std::string raw_name, std::vector<std::string> areas,
                                    std::string token_hash) {
  const std::string name = domain::trim(raw_name);
  if (auto err = domain::validate_site_name(name)) throw domain::Failure(domain::Error::invalid_request, *err);
  if (areas.empty()) {
    throw domain::Failure(domain::Error::invalid_request, "A site needs at least one dispatch area to write in.");
  }
  std::vector<Area> found;
  found.reserve(areas.size());
  for (const std::string& a : areas) found.push_back(co_await require_area(tx, a));
  storage::NewSiteRow row;
  row.uid = util::uuid_v7();
  row.name = name;
  row.token_hash = std::move(token_hash);
  row.created_by = actor.user();
  row.at = util::now_us();
  const auto id = co_await storage::sites::insert(tx, row);
  if (!id) throw domain::Failure(domain::Error::conflict, "A site named '" + name + "' already exists.");
  for (const Area& a : found) co_await storage::sites::add_area(tx, *id, a.id);
  Site site = co_await site_or_throw(tx, row.uid);
  const AuditEntry entry = make_audit_entry(AuditAction::site_create, "site", site.name, std::nullopt, audit_view(site));
  co_await record_audit(tx, actor, entry);
  co_return site;
}

asio::awaitable<std::vector<Site>> list_sites(storage::Tx& tx) { co_return co_await storage::sites::list(tx); }

asio::awaitable<Site> get_site(storage::Tx& tx, std::string uid) { co_return co_await site_or_throw(tx, uid); }

asio::awaitable<CredentialChange<Site>> rotate_site_token(storage::Tx& tx, Actor actor, std::string uid,
                                                          std::string token_hash) {
  const Site before = co_await site_or_throw(tx, uid);
  co_await storage::sites::set_token(tx, before.id, std::move(token_hash), util::now_us());
  Site after = co_await site_or_throw(tx, uid);
  const AuditEntry entry =
      make_audit_entry(AuditAction::site_token_rotate, "site", after.name, audit_view(before), audit_view(after));
  co_await record_audit(tx, actor, entry);
  co_return credential_change(std::move(after));
}

asio::awaitable<CredentialChange<Site>> revoke_site_token(storage::Tx& tx, Actor actor, std::string uid) {
  const Site before = co_await site_or_throw(tx, uid);
  if (!before.token_active) co_return credential_change(before);
  co_await storage::sites::set_token(tx, before.id, std::nullopt, util::now_us());
  Site after = co_await site_or_throw(tx, uid);
  const AuditEntry entry =
      make_audit_entry(AuditAction::site_token_revoke, "site", after.name, audit_view(before), audit_view(after));
  co_await record_audit(tx, actor, entry);
  co_return credential_change(std::move(after));
}

}  // namespace tt::services
