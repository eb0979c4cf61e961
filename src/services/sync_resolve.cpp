#include "services/sync_resolve.hpp"

#include <nlohmann/json.hpp>

#include "domain/conflict_resolutions.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/links.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

using domain::Error;
using domain::Failure;
using nlohmann::json;

std::string allowed_words(const std::string& kind) {
  std::string out;
  for (const auto r : domain::conflict_resolutions(kind)) {
    if (!out.empty()) out += ", ";
    out += std::string(r);
  }
  return out;
}

// The parent the site linked the child into (keep_site moves it there).
std::string contested_parent(const storage::ConflictRow& c) {
  const json d = json::parse(c.detail, nullptr, false);
  if (!d.is_object() || !d.contains("contested") || !d["contested"].contains("parent") ||
      !d["contested"]["parent"].is_string()) {
    throw Failure(Error::conflict, "This conflict does not name the site's parent bag: it cannot be resolved that way.");
  }
  return d["contested"]["parent"].get<std::string>();
}

AuditEntry resolution_entry(const storage::ConflictRow& c, const std::string& resolution) {
  return make_audit_entry(AuditAction::conflict_resolve, "conflict", c.uid, json{{"status", c.status}},
                          json{{"status", "resolved"},
                               {"resolution", resolution},
                               {"kind", c.kind},
                               {"entity", c.entity},
                               {"key", c.entity_key}});
}

}  // namespace

asio::awaitable<storage::ConflictRow> resolve_conflict(storage::Tx& tx, Caller caller, std::string uid,
                                                       std::string resolution, SettingsPtr settings) {
  const auto found = co_await storage::sync_conflicts::lock(tx, uid);
  if (!found) throw Failure(Error::not_found, "No conflict has the id " + uid + ".");
  const storage::ConflictRow& c = *found;
  if (c.status != "open") {
    if (c.resolution == resolution) co_return c;
    throw Failure(Error::conflict, "This conflict was resolved already (" + c.resolution.value_or(c.status) + ", by " +
                                       c.resolved_by.value_or("?") + ").");
  }
  if (!domain::resolution_allowed(c.kind, resolution)) {
    throw Failure(Error::invalid_request,
                  "A conflict of kind " + c.kind + " is resolved by one of: " + allowed_words(c.kind) + ".");
  }
  if (c.kind == "child_in_two_parents" && resolution == domain::kKeepSite) {
    // Through the relink rules: a full parent or a completed bill refuses it, and it is audited.
    const std::string parent = contested_parent(c);
    std::string child = c.entity_key;
    co_await relink(tx, caller, child, parent, settings);
  }
  co_await storage::sync_conflicts::resolve(tx, uid, resolution, caller.username, util::now_us());
  const AuditEntry entry = resolution_entry(c, resolution);
  co_await record_audit(tx, caller, entry);
  auto now = co_await storage::sync_conflicts::by_uid(tx, uid);
  co_return *now;
}

}  // namespace tt::services
