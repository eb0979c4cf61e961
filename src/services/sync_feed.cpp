#include "services/sync_feed.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "domain/conflict_resolutions.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "domain/sync_feed.hpp"
#include "domain/user_rules.hpp"
#include "storage/tables/areas.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/links.hpp"
#include "storage/tables/sessions.hpp"
#include "storage/tables/settings.hpp"
#include "storage/tables/sites.hpp"
#include "storage/tables/sync_rows.hpp"
#include "storage/tables/users.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

using nlohmann::json;

// The cursor of a depot sent the state while head office's feed had no row yet.
const std::string kEmptyFeed = "empty";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::set<std::string> lower_names(const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) out.insert(lower(n));
  return out;
}

json item(std::int64_t seq, domain::FeedKind kind, const std::string& key, json data) {
  return {{"seq", seq}, {"kind", domain::to_string(kind)}, {"key", key}, {"data", std::move(data)}};
}

json gone_user(const std::string& username, const std::string& uid) {
  return {{"username", username}, {"uid", uid}, {"gone", true}};
}

// The user as a site receives it, or gone when the site's areas do not hold them.
// The site a feed is read for: its id (its own conflicts) and its areas' names in lower case.
struct SiteView {
  std::int64_t id = 0;
  std::set<std::string> areas;
};

json user_data(const std::optional<storage::UserCredentialsRow>& found, const std::string& username,
               const std::set<std::string>& site_areas) {
  if (!found) return nullptr;  // never: users are not deleted
  const storage::UserRow& u = found->user;
  const bool in_site = u.area && site_areas.count(lower(*u.area)) > 0;
  if (!domain::site_receives_user(u.role, in_site)) return gone_user(username, u.uid);
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  return {{"username", u.username},
          {"uid", u.uid},
          {"email", opt(u.email)},
          {"role", domain::to_string(u.role)},
          {"area", opt(u.area)},
          {"active", u.active},
          {"password_hash", found->password_hash},
          {"totp_secret", opt(found->totp_secret)},
          {"totp_enabled_at", opt(u.second_factor_since)},
          {"password_changed_at", u.password_changed_at}};
}

json setting_data(const std::string& key, const storage::StoredSettings& stored) {
  auto it = stored.find(key);
  if (it == stored.end()) return nullptr;
  return {{"key", key}, {"value", json::parse(it->second, nullptr, false)}};
}

json conflict_json(const storage::ConflictRow& c) {
  auto opt_text = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  auto opt_number = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
  return {{"uid", c.uid},
          {"kind", c.kind},
          {"entity", c.entity},
          {"key", c.entity_key},
          {"op_uid", c.op_uid},
          {"detail", c.detail},
          {"status", c.status},
          {"created_at", c.created_at},
          {"resolution", opt_text(c.resolution)},
          {"resolved_at", opt_number(c.resolved_at)},
          {"resolved_by", opt_text(c.resolved_by)}};
}

json own_or_placement_only(const storage::ConflictRow& c, bool own) {
  if (!own) return json{{"uid", c.uid}, {"own", false}};
  json data = conflict_json(c);
  data["own"] = true;
  return data;
}

// The parent a resolution puts the child into: the kept one, or the site's.
std::optional<std::string> placed_parent(const storage::ConflictRow& c) {
  if (c.status != "resolved" || !c.resolution || !domain::resolution_places_bag(c.kind, *c.resolution)) {
    return std::nullopt;
  }
  const json d = json::parse(c.detail, nullptr, false);
  const char* side = *c.resolution == domain::kKeepSite ? "contested" : "kept";
  if (!d.is_object() || !d.contains(side) || !d[side].is_object() || !d[side].contains("parent") ||
      !d[side]["parent"].is_string()) {
    return std::nullopt;
  }
  return d[side]["parent"].get<std::string>();
}

json placement_json(const std::string& child, const std::string& parent, const storage::BagIdentity& p) {
  auto opt_text = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return {{"child", child},
          {"parent", {{"code", parent}, {"uid", p.uid}, {"kind", opt_text(p.kind)}, {"area", opt_text(p.area)}}}};
}

std::optional<std::string> opt_string(const json& j, const char* name) {
  if (!j.contains(name) || j[name].is_null()) return std::nullopt;
  return j[name].get<std::string>();
}

std::optional<std::int64_t> opt_int(const json& j, const char* name) {
  if (!j.contains(name) || j[name].is_null()) return std::nullopt;
  return j[name].get<std::int64_t>();
}

storage::ReceivedUserRow received_user(const json& d, std::optional<std::int64_t> area_id, std::int64_t at) {
  storage::ReceivedUserRow u;
  u.uid = d.at("uid").get<std::string>();
  u.username = domain::normalise_username(d.at("username").get<std::string>());
  u.email = opt_string(d, "email");
  u.password_hash = d.at("password_hash").get<std::string>();
  const auto role = domain::parse_role(d.at("role").get<std::string>());
  if (!role) throw domain::Failure(domain::Error::invalid_request, "head office sent a user with an unknown role");
  u.role = *role;
  u.area_id = area_id;
  u.active = d.at("active").get<bool>();
  u.totp_secret = opt_string(d, "totp_secret");
  u.totp_enabled_at = opt_int(d, "totp_enabled_at");
  u.password_changed_at = d.at("password_changed_at").get<std::int64_t>();
  u.at = at;
  return u;
}

// The depot's area of that name, created when head office's is new here.
asio::awaitable<std::int64_t> area_id_named(storage::Tx& tx, std::string name, std::int64_t at) {
  const auto found = co_await storage::areas::find_area_by_name(tx, name);
  if (found) co_return found->id;
  auto created = co_await storage::areas::insert(tx, name, at);
  if (!created) throw storage::DbError("the area " + name + " from head office was not stored");
  co_return created->id;
}

// A user of head office's: applied over the depot's user with its uid, or created. A user the
// depot created under the same name keeps it (SPEC §8: the first keeps a name); head office's is
// not applied here, and the log says so. False then.
asio::awaitable<bool> apply_user(storage::Tx& tx, const json& data, std::int64_t at) {
  const std::string username = domain::normalise_username(data.at("username").get<std::string>());
  const std::string uid = data.at("uid").get<std::string>();
  const auto local = co_await storage::users::find(tx, username);
  if (local && local->user.uid != uid) {
    util::log_warn("sync: head office's user " + username + " is not applied: a user of that name was created at this depot; "
                   "rename one of them");
    co_return false;
  }
  if (data.value("gone", false)) {
    // Outside this site now: the account stays (its history names it), signing in here stops.
    if (!local || !local->user.active) co_return true;
    storage::UserChangeRow change;
    change.role = local->user.role;
    change.area_id = local->user.area_id;
    change.email = local->user.email;
    change.active = false;
    change.at = at;
    co_await storage::users::update(tx, local->user.id, change);
    co_await storage::sessions::remove_of_user(tx, local->user.id, std::nullopt);
    co_return true;
  }
  std::optional<std::int64_t> area_id;
  if (auto area = opt_string(data, "area")) area_id = co_await area_id_named(tx, *area, at);
  const storage::ReceivedUserRow row = received_user(data, area_id, at);
  const std::int64_t id = co_await storage::users::put_received(tx, row);
  // Deactivated, or given another password, at head office: the user's sessions here end too.
  const bool ends_sessions = !row.active || (local && local->password_hash != row.password_hash);
  if (ends_sessions) co_await storage::sessions::remove_of_user(tx, id, std::nullopt);
  co_return true;
}

storage::ReceivedConflict received_conflict(const json& d) {
  storage::ReceivedConflict c;
  c.uid = d.at("uid").get<std::string>();
  c.kind = d.at("kind").get<std::string>();
  c.entity = d.at("entity").get<std::string>();
  c.entity_key = d.at("key").get<std::string>();
  c.op_uid = d.at("op_uid").get<std::string>();
  c.detail = d.at("detail").get<std::string>();
  c.status = d.at("status").get<std::string>();
  c.created_at = d.at("created_at").get<std::int64_t>();
  c.resolution = opt_string(d, "resolution");
  c.resolved_at = opt_int(d, "resolved_at");
  c.resolved_by = opt_string(d, "resolved_by");
  return c;
}

storage::NewAuditRow placement_audit(const std::string& child, const std::optional<std::string>& before,
                                       const std::string& parent, const std::string& conflict_uid, std::int64_t at) {
  storage::NewAuditRow row;
  row.at = at;
  row.username = "head office";
  row.action = std::string(domain::to_string(domain::AuditAction::relink));
  row.entity = "bag";
  row.entity_key = child;
  row.before_json = json{{"parent", before ? json(*before) : json(nullptr)}}.dump();
  row.after_json = json{{"parent", parent}, {"conflict", conflict_uid}}.dump();
  return row;
}

// A resolution that places a child: the depot holding the child puts it into that parent (made
// here, with head office's uid, when the depot does not hold it), audited as head office's relink
// and captured for nobody: head office placed it already.
asio::awaitable<void> apply_placement(storage::Tx& tx, const json& placement, const std::string& conflict_uid,
                                      std::int64_t at) {
  const std::string child_code = placement.at("child").get<std::string>();
  const json& p = placement.at("parent");
  const std::string parent_code = p.at("code").get<std::string>();
  const auto child = co_await storage::links::child_state(tx, child_code);
  if (!child || child->type != "child") co_return;  // not here: nothing to place
  if (child->parent_code == parent_code) co_return;
  auto parent = co_await storage::bags::find(tx, parent_code);
  std::int64_t parent_id = 0;
  if (parent && !parent->is_parent()) co_return;  // a child of that code here: nothing to place into
  if (parent) {
    parent_id = parent->id;
  } else {
    storage::NewBag bag;
    bag.code = parent_code;
    bag.kind = opt_string(p, "kind");
    if (!bag.kind) bag.kind = "?";
    if (auto area = opt_string(p, "area")) bag.area_id = co_await area_id_named(tx, *area, at);
    bag.at = at;
    bag.uid = p.at("uid").get<std::string>();
    const auto made = co_await storage::bags::insert(tx, bag);
    if (!made) co_return;
    parent_id = *made;
  }
  const auto held = co_await storage::links::of_child(tx, child->id);
  if (held) {
    co_await storage::links::move(tx, held->link_id, parent_id, std::nullopt, at);
  } else {
    co_await storage::links::insert(tx, util::uuid_v7(), parent_id, child->id, std::nullopt, at);
  }
  const storage::NewAuditRow row = placement_audit(child_code, child->parent_code, parent_code, conflict_uid, at);
  co_await storage::audit_log::insert(tx, row);
}

asio::awaitable<void> apply_conflict(storage::Tx& tx, const json& data, std::int64_t at) {
  if (data.value("own", false)) {
    const storage::ReceivedConflict c = received_conflict(data);
    co_await storage::sync_conflicts::put_received(tx, c);
  }
  if (data.contains("placement") && data["placement"].is_object()) {
    const std::string uid = data.at("uid").get<std::string>();
    co_await apply_placement(tx, data["placement"], uid, at);
  }
}

// False when the item was not applied (a name the depot holds for its own user).
asio::awaitable<bool> apply_item(storage::Tx& tx, const json& it, std::int64_t at) {
  const auto kind = domain::parse_feed_kind(it.at("kind").get<std::string>());
  if (!kind) {
    throw domain::Failure(domain::Error::invalid_request,
                          "head office sent feed data of a kind this depot does not know: upgrade the depot");
  }
  const json& data = it.at("data");
  if (data.is_null()) co_return true;  // gone since the row was written
  switch (*kind) {
    case domain::FeedKind::area: {
      const std::string name = data.at("name").get<std::string>();
      co_await area_id_named(tx, name, at);
      break;
    }
    case domain::FeedKind::setting: {
      const std::string key = data.at("key").get<std::string>();
      const std::string value = data.at("value").dump();
      co_await storage::settings::store(tx, key, value, at, std::nullopt);
      break;
    }
    case domain::FeedKind::user: {
      const bool applied = co_await apply_user(tx, data, at);
      if (!applied) co_return false;
      break;
    }
    case domain::FeedKind::conflict: co_await apply_conflict(tx, data, at); break;
  }
  co_return true;
}

// The whole state a site receives, in the order a depot applies it: areas, settings, users.
// A conflict as the site receives it: its own (with the placement of its resolution), or, for
// another site's, only a resolution that places a bag (what that depot applies); null otherwise.
asio::awaitable<json> conflict_data(storage::Tx& tx, const storage::ConflictRow& c, std::int64_t site_id,
                                    bool with_placement) {
  const bool own = c.site_id == site_id;
  std::optional<std::string> parent;
  if (with_placement) parent = placed_parent(c);
  if (!own && !parent) co_return json(nullptr);
  // Another site's conflict: only what that depot applies, not who did what where.
  json data = own_or_placement_only(c, own);
  if (parent) {
    const auto bag = co_await storage::bags::identity(tx, *parent);
    if (bag) data["placement"] = placement_json(c.entity_key, *parent, *bag);
  }
  co_return data;
}

asio::awaitable<json> whole_state(storage::Tx& tx, const SiteView& site) {
  const std::set<std::string>& site_areas = site.areas;
  json items = json::array();
  for (const auto& a : co_await storage::areas::list(tx)) {
    items.push_back(item(0, domain::FeedKind::area, a.name, json{{"name", a.name}}));
  }
  const storage::StoredSettings stored = co_await storage::settings::read_all(tx);
  for (const auto& [key, value] : stored) items.push_back(item(0, domain::FeedKind::setting, key, setting_data(key, stored)));
  for (const auto& u : co_await storage::users::list_credentials(tx)) {
    json data = user_data(u, u.user.username, site_areas);
    // A user outside the site goes as gone too: a depot that had them (head office restored from
    // an older dump, then the user moved) stops letting them sign in; one that had not ignores it.
    if (data.is_null()) continue;
    items.push_back(item(0, domain::FeedKind::user, domain::normalise_username(u.user.username), std::move(data)));
  }
  // The site's own conflicts, without placements: what was placed then may have moved since.
  storage::ConflictFilter own;
  own.site_id = site.id;
  own.limit = 1000;
  for (const auto& c : co_await storage::sync_conflicts::list(tx, own)) {
    json data = co_await conflict_data(tx, c, site.id, false);
    items.push_back(item(0, domain::FeedKind::conflict, c.uid, std::move(data)));
  }
  co_return items;
}

asio::awaitable<json> item_now(storage::Tx& tx, const storage::FeedRow& row, const SiteView& site) {
  const std::set<std::string>& site_areas = site.areas;
  const auto kind = domain::parse_feed_kind(row.kind).value_or(domain::FeedKind::setting);
  json data;
  switch (kind) {
    case domain::FeedKind::area: {
      auto found = co_await storage::areas::find_area_by_name(tx, row.key);
      if (found) data = json{{"name", found->name}};
      break;
    }
    case domain::FeedKind::setting: {
      std::vector<std::string> keys{row.key};
      data = setting_data(row.key, co_await storage::settings::read_keys(tx, std::move(keys)));
      break;
    }
    case domain::FeedKind::user: {
      auto found = co_await storage::users::find(tx, domain::normalise_username(row.key));
      data = user_data(found, row.key, site_areas);
      break;
    }
    case domain::FeedKind::conflict: {
      const auto found = co_await storage::sync_conflicts::by_uid(tx, row.key);
      if (found) data = co_await conflict_data(tx, *found, site.id, true);
      break;
    }
  }
  co_return item(row.seq, kind, row.key, std::move(data));
}

}  // namespace

asio::awaitable<void> record_feed(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row) {
  const auto kind = domain::feed_kind_of(action);
  if (!kind || !row.entity_key) co_return;
  const std::string name(domain::to_string(*kind));
  co_await storage::sync_feed::append(tx, name, *row.entity_key, row.at);
}

asio::awaitable<json> feed_for_site(storage::Tx& tx, std::string site_uid, std::int64_t after,
                                    std::optional<std::string> after_uid) {
  auto site = co_await storage::sites::by_uid(tx, site_uid);
  if (!site) throw domain::Failure(domain::Error::not_found, "No site has the id " + site_uid + ".");
  SiteView view;
  view.id = site->id;
  view.areas = lower_names(site->areas);
  // The depot's cursor names a row this feed holds; or the empty feed it was sent the state of.
  bool known = after == 0 && after_uid == kEmptyFeed;
  if (after > 0 && after_uid) known = (co_await storage::sync_feed::uid_of(tx, after)) == after_uid;
  json out;
  if (!known) {
    // Read before the state: whatever the state holds newer than this row is sent again later.
    const auto newest = co_await storage::sync_feed::last(tx);
    out["reset"] = true;
    out["through"] = 0;
    out["through_uid"] = kEmptyFeed;
    if (newest) {
      out["through"] = newest->seq;
      out["through_uid"] = newest->uid;
    }
    out["more"] = false;
    out["items"] = co_await whole_state(tx, view);
    co_return out;
  }
  const auto rows = co_await storage::sync_feed::after(tx, after, static_cast<std::int64_t>(domain::kFeedPage));
  json items = json::array();
  for (const auto& row : rows) items.push_back(co_await item_now(tx, row, view));
  out["reset"] = false;
  out["through"] = after;
  out["through_uid"] = *after_uid;
  if (!rows.empty()) {
    out["through"] = rows.back().seq;
    out["through_uid"] = rows.back().uid;
  }
  out["more"] = rows.size() == domain::kFeedPage;
  out["items"] = std::move(items);
  co_return out;
}

asio::awaitable<FeedApplied> apply_feed(storage::Tx& tx, std::string answer_text) {
  const json answer = json::parse(answer_text, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("items") || !answer["items"].is_array() ||
      !answer.contains("through")) {
    throw domain::Failure(domain::Error::invalid_request, "head office's feed answer is not what this depot understands");
  }
  const std::int64_t at = util::now_us();
  FeedApplied out;
  try {
    for (const json& it : answer["items"]) {
      const bool applied = co_await apply_item(tx, it, at);
      if (applied) ++out.items;
      if (!applied) ++out.skipped;
    }
    out.through = answer.at("through").get<std::int64_t>();
    out.reset = answer.value("reset", false);
    out.more = answer.value("more", false);
    co_await storage::feed_cursor::store(tx, out.through, opt_string(answer, "through_uid"), at);
  } catch (const json::exception& e) {
    throw domain::Failure(domain::Error::invalid_request,
                          std::string("head office's feed answer is not what this depot understands: ") + e.what());
  }
  co_return out;
}

asio::awaitable<storage::FeedCursor> read_feed_cursor(storage::Tx& tx) { co_return co_await storage::feed_cursor::read(tx); }

}  // namespace tt::services
