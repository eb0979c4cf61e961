#include "services/sync_apply.hpp"

#include <map>
#include <set>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/sync_feed.hpp"
#include "storage/tables/areas.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/links.hpp"
#include "storage/tables/sites.hpp"
#include "storage/tables/sync_feed.hpp"
#include "storage/tables/sync_rows.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

using domain::Error;
using domain::Failure;
using domain::SyncOpKind;
using json = nlohmann::json;

std::optional<std::string> opt_string(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string string_or_throw(const json& j, const char* key, const PushOp& op) {
  auto s = opt_string(j, key);
  if (!s || s->empty()) {
    throw Failure(Error::invalid_request, "Operation " + std::to_string(op.seq) + " (" +
                                              std::string(domain::to_string(op.kind)) + ") has no '" + key + "'.");
  }
  return *s;
}

std::optional<std::string> opt_dump(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->dump();
}

const json& audit_of(const PushOp& op) {
  static const json none;
  auto it = op.data.find("audit");
  return it == op.data.end() ? none : *it;
}

// The batch's state while it applies: the site, the areas it may write in, the conflicts raised,
// and what the batch has read or written already, so that a batch of child scans costs a few
// round trips rather than several per operation. What is remembered stays true until the commit:
// bags the batch inserted are invisible to other transactions until then, and a parent it
// locked stays locked. Operations that take links apart or delete bags forget it (forget_links).
struct Apply {
  PushingSite site;
  std::set<std::int64_t> areas;
  std::shared_ptr<const domain::Settings> settings;
  json conflicts = json::array();
  std::int64_t now = 0;

  std::map<std::string, std::optional<std::int64_t>> area_ids;  // by name; none: no such area
  std::map<std::string, storage::BagRef> bags;                 // by code
  std::map<std::string, std::string> first_inserts;            // code → uid the batch's first statement tried
  std::set<std::string> inserted_first;                        // codes it inserted
  std::set<std::int64_t> unlinked;                             // bags the batch inserted, in no parent yet
  std::map<std::int64_t, std::int64_t> locked_parents;         // parent id → its children, under this lock

  void forget_links() {
    bags.clear();
    unlinked.clear();
    locked_parents.clear();
  }
};

// The area an operation names (data.area), which must be one of the site's: a site writes only in
// its own areas (403, and the batch changes nothing). None when the row has no area.
asio::awaitable<std::optional<std::int64_t>> area_of(storage::Tx& tx, Apply& a, const PushOp& op) {
  const std::optional<std::string> name = opt_string(op.data, "area");
  if (!name) co_return std::nullopt;
  auto known = a.area_ids.find(*name);
  if (known == a.area_ids.end()) {
    auto area = co_await storage::areas::find_area_by_name(tx, *name);
    std::optional<std::int64_t> id;
    if (area) id = area->id;
    known = a.area_ids.emplace(*name, id).first;
  }
  if (!known->second || !a.areas.contains(*known->second)) {
    throw Failure(Error::forbidden, "Site " + a.site.name + " may not write in area '" + *name + "' (operation " +
                                        std::to_string(op.seq) + ").");
  }
  co_return known->second;
}

// The bag of `code`, read once per batch.
asio::awaitable<std::optional<storage::BagRef>> find_bag(storage::Tx& tx, Apply& a, const std::string& code) {
  if (auto it = a.bags.find(code); it != a.bags.end()) co_return it->second;
  auto bag = co_await storage::bags::find(tx, code);
  if (bag) a.bags.emplace(code, *bag);
  co_return bag;
}

// A bag the batch has just inserted: known, and in no parent.
void remember_inserted(Apply& a, const storage::SiteBag& b, std::int64_t id) {
  a.bags.insert_or_assign(b.code, storage::BagRef{id, b.type, b.area_id});
  a.unlinked.insert(id);
}

// The children of a parent, which stays locked until the commit: read once per batch, then
// counted as the batch links.
asio::awaitable<std::int64_t> locked_children(storage::Tx& tx, Apply& a, std::int64_t parent_id) {
  if (auto it = a.locked_parents.find(parent_id); it != a.locked_parents.end()) co_return it->second;
  co_await storage::bags::lock(tx, parent_id, parent_id);
  const std::int64_t count = co_await storage::links::child_count(tx, parent_id);
  a.locked_parents.emplace(parent_id, count);
  co_return count;
}

storage::NewConflict conflict_row(const Apply& a, const PushOp& op, std::string kind, std::string entity,
                                  std::string key, json detail) {
  detail["site"] = a.site.name;
  detail["user"] = op.user ? json(*op.user) : json(nullptr);
  detail["at"] = util::format_iso8601(op.at);
  return storage::NewConflict{util::uuid_v7(), std::move(kind), std::move(entity), std::move(key), a.site.id,
                              op.uid, detail.dump(), a.now};
}

// Records a conflict (once per kind and entity while one is open) and names it in the answer.
json conflict_named(const storage::NewConflict& c) {
  return json{{"uid", c.uid}, {"kind", c.kind}, {"entity", c.entity}, {"key", c.entity_key}};
}

asio::awaitable<void> raise(storage::Tx& tx, Apply& a, const storage::NewConflict& c) {
  const bool open = co_await storage::sync_conflicts::open_exists(tx, c.kind, c.entity, c.entity_key);
  if (open) co_return;
  co_await storage::sync_conflicts::insert(tx, c);
  a.conflicts.push_back(conflict_named(c));
}

asio::awaitable<void> store_audit(storage::Tx& tx, const Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  if (!audit.is_object()) co_return;
  storage::NewAuditRow row;
  row.uid = op.uid;
  row.at = op.at;
  row.username = op.user;
  row.action = opt_string(audit, "action").value_or("");
  row.entity = opt_string(audit, "entity").value_or("");
  row.entity_key = opt_string(audit, "key");
  row.before_json = opt_dump(audit, "before");
  row.after_json = opt_dump(audit, "after");
  row.client = opt_string(audit, "client");
  if (row.action.empty() || row.entity.empty()) {
    throw Failure(Error::invalid_request, "Operation " + std::to_string(op.seq) + " carries an audit entry without action or entity.");
  }
  co_await storage::site_rows::append_audit(tx, std::move(row), a.site.id);
}

asio::awaitable<void> apply_scan(storage::Tx& tx, Apply& a, const PushOp& op) {
  storage::ScanEventRow s;
  s.uid = op.uid;
  s.at = op.at;
  s.area_id = co_await area_of(tx, a, op);
  s.client = opt_string(op.data, "client");
  s.action = string_or_throw(op.data, "action", op);
  s.code = string_or_throw(op.data, "code", op);
  s.parent_code = opt_string(op.data, "parent_code");
  s.bill_code = opt_string(op.data, "bill_code");
  s.result = string_or_throw(op.data, "result", op);
  s.reason = opt_string(op.data, "reason");
  s.client_scan_id = opt_string(op.data, "client_scan_id");
  co_await storage::site_rows::append_scan(tx, std::move(s), op.user, a.site.id);
}

// The bag an operation carries (data.bag), but for its area (area_of reads it).
storage::SiteBag site_bag_of(const Apply& a, const PushOp& op, const json& bag) {
  storage::SiteBag b;
  b.uid = string_or_throw(bag, "uid", op);
  b.code = string_or_throw(bag, "code", op);
  b.type = string_or_throw(bag, "type", op);
  b.kind = opt_string(bag, "kind");
  if (b.type != "parent" && b.type != "child") {
    throw Failure(Error::invalid_request, "Operation " + std::to_string(op.seq) + ": a bag is a parent or a child.");
  }
  if (b.type == "parent" && !b.kind) b.kind = "?";
  if (b.type == "child") b.kind.reset();
  b.site_id = a.site.id;
  b.at = op.at;
  return b;
}

// The bags the batch's operations create, inserted in one statement before the operations apply
// (a batch of child scans creates a bag every other operation). Left to their operations: a
// second bag of one code, and bags that an operation of the batch deletes (their order matters).
asio::awaitable<void> insert_bags_first(storage::Tx& tx, Apply& a, const std::vector<PushOp>& batch, std::size_t from) {
  // The operations in the order they apply: each, then its effects.
  std::vector<const PushOp*> ops;
  for (std::size_t i = from; i < batch.size(); ++i) {
    ops.push_back(&batch[i]);
    for (const PushOp& effect : batch[i].effects) ops.push_back(&effect);
  }
  std::set<std::string> deleted;
  for (const PushOp* op : ops) {
    if (op->kind == SyncOpKind::bag_delete) deleted.insert(opt_string(audit_of(*op), "key").value_or(""));
  }
  std::vector<storage::SiteBag> bags;
  for (const PushOp* op : ops) {
    if (op->kind != SyncOpKind::bag_create && op->kind != SyncOpKind::link_add) continue;
    auto bag = op->data.find("bag");
    if (bag == op->data.end()) continue;
    storage::SiteBag b = site_bag_of(a, *op, *bag);
    if (deleted.contains(b.code) || a.first_inserts.contains(b.code)) continue;
    b.area_id = co_await area_of(tx, a, *op);
    a.first_inserts.emplace(b.code, b.uid);
    bags.push_back(std::move(b));
  }
  if (bags.empty()) co_return;
  const std::map<std::string, std::int64_t> inserted = co_await storage::site_rows::insert_bags(tx, bags);
  for (const storage::SiteBag& b : bags) {
    if (auto it = inserted.find(b.code); it != inserted.end()) {
      remember_inserted(a, b, it->second);
      a.inserted_first.insert(b.code);
    }
  }
}

// A bag the site created: inserted with its uid, or, when head office holds that code, the same
// bag seen again (bags travel between sites), unless its type differs (rule C5).
// A bag the site created: inserted with its uid, or, when head office holds that code, the same
// bag seen again (bags travel between sites), unless its type differs (rule C5).
asio::awaitable<void> apply_bag(storage::Tx& tx, Apply& a, const PushOp& op, const json& bag) {
  storage::SiteBag b = site_bag_of(a, op, bag);
  b.area_id = co_await area_of(tx, a, op);
  if (auto first = a.first_inserts.find(b.code); first != a.first_inserts.end()) {
    // Tried already by insert_bags_first: inserted then if it was this bag and the code was free.
    if (first->second == b.uid && a.inserted_first.contains(b.code)) co_return;
  } else {
    // Read into a local first: never `if (co_await ...) co_return` (rule 4 of storage/job.hpp).
    const std::optional<std::int64_t> inserted = co_await storage::site_rows::insert_bag(tx, b);
    if (inserted) {
      remember_inserted(a, b, *inserted);
      co_return;
    }
  }
  auto held = co_await find_bag(tx, a, b.code);
  if (held && held->type != b.type) {
    json detail;
    detail["held"]["type"] = held->type;
    detail["site_bag"]["type"] = b.type;
    detail["site_bag"]["uid"] = b.uid;
    const storage::NewConflict conflict = conflict_row(a, op, "bag_type", "bag", b.code, detail);
    co_await raise(tx, a, conflict);
  }
}

// The bag of `code`, which a site's earlier operation created; none after a conflict kept it out.
asio::awaitable<std::optional<storage::BagRef>> bag_or_conflict(storage::Tx& tx, Apply& a, const PushOp& op,
                                                                const std::string& code) {
  auto bag = co_await find_bag(tx, a, code);
  if (!bag) {
    {
      const storage::NewConflict conflict = conflict_row(a, op, "unknown_bag", "bag", code,
                                       json{{"operation", domain::to_string(op.kind)}});
      co_await raise(tx, a, conflict);
    };
  }
  co_return bag;
}

// Rule C1: a child head office holds in another parent stays there; the site's link is recorded
// as contested with both sides. Rule C2: a parent filled past capacity across sites is accepted
// and flagged.
asio::awaitable<void> link_into(storage::Tx& tx, Apply& a, const PushOp& op, const std::string& child_code,
                                const std::string& parent_code, const std::string& link_uid) {
  auto parent = co_await bag_or_conflict(tx, a, op, parent_code);
  auto child = co_await bag_or_conflict(tx, a, op, child_code);
  if (!parent || !child) co_return;
  if (a.unlinked.contains(child->id)) {
    // A child this batch inserted is in no parent: the link needs no read and no round trip.
    const std::int64_t count = co_await locked_children(tx, a, parent->id) + 1;
    co_await storage::site_rows::insert_new_link(tx, link_uid, parent->id, child->id, a.site.id, op.at);
    a.unlinked.erase(child->id);
    a.locked_parents[parent->id] = count;
    if (count > a.settings->parent_capacity) {
      const json detail{{"parent", parent_code}, {"children", count}, {"capacity", a.settings->parent_capacity}};
      const storage::NewConflict conflict = conflict_row(a, op, "parent_over_capacity", "bag", parent_code, detail);
      co_await raise(tx, a, conflict);
    }
    co_return;
  }
  auto held = co_await storage::links::of_child(tx, child->id);
  co_await storage::bags::lock(tx, parent->id, held ? held->parent_id : parent->id);
  held = co_await storage::links::of_child(tx, child->id);
  if (held && held->parent_id == parent->id) co_return;
  if (held) {
    const json detail{{"child", child_code}, {"kept", {{"parent", held->parent_code}}}, {"contested", {{"parent", parent_code}}}};
    {
      const storage::NewConflict conflict = conflict_row(a, op, "child_in_two_parents", "bag", child_code, detail);
      co_await raise(tx, a, conflict);
    };
    co_return;
  }
  co_await storage::site_rows::insert_link(tx, link_uid, parent->id, child->id, a.site.id, op.at);
  const std::int64_t count = co_await storage::links::child_count(tx, parent->id);
  a.locked_parents.insert_or_assign(parent->id, count);
  if (count > a.settings->parent_capacity) {
    const json detail{{"parent", parent_code}, {"children", count}, {"capacity", a.settings->parent_capacity}};
    {
      const storage::NewConflict conflict = conflict_row(a, op, "parent_over_capacity", "bag", parent_code, detail);
      co_await raise(tx, a, conflict);
    };
  }
}

asio::awaitable<void> apply_link_add(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  std::string child, parent;
  if (audit.is_object()) {
    child = string_or_throw(audit, "key", op);
    parent = string_or_throw(audit.value("after", json::object()), "parent", op);
  } else {
    child = string_or_throw(op.data, "child", op);
    parent = string_or_throw(op.data, "parent", op);
  }
  if (auto bag = op.data.find("bag"); bag != op.data.end()) co_await apply_bag(tx, a, op, *bag);
  const std::string link_uid = opt_string(op.data, "link").value_or(op.uid);
  co_await link_into(tx, a, op, child, parent, link_uid);
}

asio::awaitable<void> apply_link_move(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  const std::string child_code = string_or_throw(audit, "key", op);
  const std::string from = string_or_throw(audit.value("before", json::object()), "parent", op);
  const std::string to = string_or_throw(audit.value("after", json::object()), "parent", op);
  auto child = co_await bag_or_conflict(tx, a, op, child_code);
  auto target = co_await bag_or_conflict(tx, a, op, to);
  if (!child || !target) co_return;
  auto held = co_await storage::links::of_child(tx, child->id);
  if (!held) {
    // Head office holds the child in no parent (its link was contested): the site's fact stands.
    co_await link_into(tx, a, op, child_code, to, op.uid);
    co_return;
  }
  co_await storage::bags::lock(tx, target->id, held->parent_id);
  held = co_await storage::links::of_child(tx, child->id);
  if (held && held->parent_id == target->id) co_return;
  if (!held || held->parent_code != from) {
    // Head office has the child elsewhere than where the site moved it from (rule C1).
    const json detail{{"child", child_code},
                      {"kept", {{"parent", held ? json(held->parent_code) : json(nullptr)}}},
                      {"contested", {{"parent", to}, {"from", from}}}};
    {
      const storage::NewConflict conflict = conflict_row(a, op, "child_in_two_parents", "bag", child_code, detail);
      co_await raise(tx, a, conflict);
    };
    co_return;
  }
  co_await storage::links::move(tx, held->link_id, target->id, std::nullopt, op.at);
}

asio::awaitable<void> apply_link_remove(storage::Tx& tx, Apply&, const PushOp& op) {
  const json& audit = audit_of(op);
  const std::string child_code = string_or_throw(audit, "key", op);
  const std::string from = string_or_throw(audit.value("before", json::object()), "parent", op);
  auto child = co_await storage::bags::find(tx, child_code);
  if (!child) co_return;
  auto held = co_await storage::links::of_child(tx, child->id);
  if (!held) co_return;
  co_await storage::bags::lock(tx, held->parent_id, held->parent_id);
  held = co_await storage::links::of_child(tx, child->id);
  // Only the link the site took apart: a placement head office kept (rule C1) stays.
  if (held && held->parent_code == from) co_await storage::links::remove(tx, held->link_id);
}

// Rule C6: a bag another site (or head office) uses is flagged, not deleted.
asio::awaitable<void> apply_bag_delete(storage::Tx& tx, Apply& a, const PushOp& op) {
  const std::string code = string_or_throw(audit_of(op), "key", op);
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (!bag) co_return;
  const std::int64_t used = co_await storage::site_rows::others_use(tx, bag->id, a.site.id);
  if (used > 0) {
    {
      const storage::NewConflict conflict = conflict_row(a, op, "deleted_while_used", "bag", code, json{{"used_by_others", used}});
      co_await raise(tx, a, conflict);
    };
    co_return;
  }
  if (bag->is_parent()) {
    co_await storage::links::remove_children_of(tx, bag->id);
    co_await storage::bill_parents::detach_from_any(tx, bag->id);
  } else {
    // The parent's count changes: locked first, as every change of a parent's children is.
    const std::optional<storage::LinkRef> held = co_await storage::links::of_child(tx, bag->id);
    if (held) co_await storage::bags::lock(tx, held->parent_id, held->parent_id);
    co_await storage::links::remove_of_child(tx, bag->id);
  }
  co_await storage::bags::remove(tx, bag->id);
}

// A parent moved to another area takes its children (the children's own entries only record).
asio::awaitable<void> apply_bag_area(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  const json after = audit.value("after", json::object());
  if (!after.contains("children")) co_return;
  const std::string code = string_or_throw(audit, "key", op);
  const std::string name = string_or_throw(after, "area", op);
  PushOp named = op;
  named.data["area"] = name;
  const std::optional<std::int64_t> area = co_await area_of(tx, a, named);
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (bag && area) co_await storage::bags::move_to_area(tx, bag->id, *area);
}

std::string renamed_code(const std::string& code, const PushingSite& site) { return code + "~" + site.name; }

asio::awaitable<std::optional<storage::BillRow>> site_bill(storage::Tx& tx, Apply& a, const PushOp& op,
                                                          const std::string& code) {
  auto held = co_await storage::site_rows::bill_code_for_site(tx, code, renamed_code(code, a.site), a.site.id);
  std::optional<storage::BillRow> bill;
  if (held) bill = co_await storage::bills::lock_bill(tx, *held);
  if (!bill) {
    {
      const storage::NewConflict conflict = conflict_row(a, op, "unknown_bill", "bill", code, json{{"operation", domain::to_string(op.kind)}});
      co_await raise(tx, a, conflict);
    };
  }
  co_return bill;
}

std::optional<std::string> text_field(const json& fields, const char* key) { return opt_string(fields, key); }

// Rule C5: a bill code head office holds already (another uid) stays its owner's; the site's bill
// is stored as CODE~SITE and flagged for renaming.
asio::awaitable<void> apply_bill_create(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  const json bill = op.data.value("bill", json::object());
  const json fields = audit.is_object() ? audit.value("after", json::object()) : bill;
  storage::SiteBill b;
  b.uid = string_or_throw(bill, "uid", op);
  b.code = audit.is_object() ? string_or_throw(audit, "key", op) : string_or_throw(bill, "code", op);
  b.description = text_field(fields, "description").value_or("");
  b.destination = text_field(fields, "destination");
  b.vehicle = text_field(fields, "vehicle");
  b.capacity = fields.value("capacity", std::int64_t{1});
  b.status = text_field(fields, "status").value_or("open");
  b.area_id = co_await area_of(tx, a, op);
  b.site_id = a.site.id;
  b.at = op.at;
  const bool inserted = co_await storage::site_rows::insert_bill(tx, b);
  if (inserted) co_return;
  auto same = co_await storage::bills::find(tx, b.code);
  if (same && same->uid == b.uid) co_return;  // sent before (a depot's snapshot after its live operation)
  const std::string code = b.code;
  b.code = renamed_code(code, a.site);
  co_await storage::site_rows::insert_bill(tx, b);
  {
    const storage::NewConflict conflict = conflict_row(a, op, "bill_code_taken", "bill", code, json{{"stored_as", b.code}});
    co_await raise(tx, a, conflict);
  };
}

// Rule C3, as far as one side knows: fields the site changed apply unless head office changed the
// same field since (its value is not the site's "before"): then the owner's value stays (the site
// owns the bills it created) and the other is kept in the conflict.
asio::awaitable<void> apply_bill_edit(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  auto bill = co_await site_bill(tx, a, op, string_or_throw(audit, "key", op));
  if (!bill) co_return;
  const json before = audit.value("before", json::object());
  const json after = audit.value("after", json::object());
  const bool site_owns = (co_await storage::site_rows::bill_site(tx, bill->id)) == a.site.id;
  const json held{{"description", bill->description},
                  {"destination", bill->destination ? json(*bill->destination) : json(nullptr)},
                  {"vehicle", bill->vehicle ? json(*bill->vehicle) : json(nullptr)},
                  {"capacity", bill->capacity}};
  json clashes = json::object();
  for (const char* field : {"description", "destination", "vehicle", "capacity"}) {
    if (!after.contains(field) || before.value(field, json()) == after[field]) continue;
    const bool changed_here = held[field] != before.value(field, json());
    if (changed_here && held[field] != after[field]) {
      clashes[field] = json{{"head_office", held[field]}, {"site", after[field]}};
      if (!site_owns) continue;
    }
    if (std::string_view(field) == "capacity") bill->capacity = after[field].get<std::int64_t>();
    else if (std::string_view(field) == "description") bill->description = after[field].is_string() ? after[field].get<std::string>() : "";
    else if (std::string_view(field) == "destination") bill->destination = opt_string(after, field);
    else bill->vehicle = opt_string(after, field);
  }
  bill->updated_at = op.at;
  co_await storage::bills::update_fields(tx, *bill);
  if (!clashes.empty()) {
    clashes["kept"] = site_owns ? "site" : "head_office";
    {
      const storage::NewConflict conflict = conflict_row(a, op, "bill_edited_twice", "bill", bill->code, clashes);
      co_await raise(tx, a, conflict);
    };
  }
}

// Rule C4: a parent added to a bill completed (or full) at head office, or on another bill there,
// is contested; a completed bill never changes silently.
asio::awaitable<void> apply_bill_parent_add(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  const std::string bill_code = audit.is_object() ? string_or_throw(audit, "key", op) : string_or_throw(op.data, "bill", op);
  const std::string parent_code = audit.is_object() ? string_or_throw(audit.value("after", json::object()), "parent", op)
                                                    : string_or_throw(op.data, "parent", op);
  auto bill = co_await site_bill(tx, a, op, bill_code);
  auto parent = co_await bag_or_conflict(tx, a, op, parent_code);
  if (!bill || !parent) co_return;
  auto on = co_await storage::bill_parents::bill_of(tx, parent->id);
  if (on && on->bill_id == bill->id) co_return;
  if (bill->status == domain::BillStatus::completed || on) {
    json detail{{"parent", parent_code}, {"bill", bill->code}};
    if (on) detail["held_on"] = on->code;
    if (bill->status == domain::BillStatus::completed) detail["bill_completed"] = true;
    {
      const storage::NewConflict conflict = conflict_row(a, op, "contested_bill_place", "bill", bill->code, detail);
      co_await raise(tx, a, conflict);
    };
    co_return;
  }
  const std::string uid = opt_string(op.data, "place").value_or(op.uid);
  co_await storage::site_rows::attach_parent(tx, uid, bill->id, parent->id, a.site.id, op.at);
  const std::int64_t count = co_await storage::bill_parents::count(tx, bill->id);
  if (count > bill->capacity) {
    const json detail{{"bill", bill->code}, {"parents", count}, {"capacity", bill->capacity}};
    {
      const storage::NewConflict conflict = conflict_row(a, op, "bill_over_capacity", "bill", bill->code, detail);
      co_await raise(tx, a, conflict);
    };
  }
}

asio::awaitable<void> apply_bill_parent_remove(storage::Tx& tx, Apply& a, const PushOp& op) {
  const json& audit = audit_of(op);
  // bill_remove_parent names the bill and the parent it lost; bill_return the parent and its bill.
  const bool by_bill = audit.value("entity", "") == "bill";
  const json before = audit.value("before", json::object());
  const std::string bill_code = by_bill ? string_or_throw(audit, "key", op) : string_or_throw(before, "bill", op);
  const std::string parent_code = by_bill ? string_or_throw(before, "parent", op) : string_or_throw(audit, "key", op);
  auto bill = co_await site_bill(tx, a, op, bill_code);
  if (!bill) co_return;
  if (co_await storage::bill_parents::detach_parent(tx, bill->id, parent_code)) {
    co_await storage::bills::touch(tx, bill->id, op.at);
  }
}

asio::awaitable<void> apply_bill_status(storage::Tx& tx, Apply& a, const PushOp& op, domain::BillStatus status) {
  auto bill = co_await site_bill(tx, a, op, string_or_throw(audit_of(op), "key", op));
  if (!bill || bill->status == status) co_return;
  bill->status = status;
  bill->updated_at = op.at;
  if (status == domain::BillStatus::completed) bill->completed_at = op.at;
  else bill->completed_at.reset();
  co_await storage::bills::update_status(tx, *bill);
}

asio::awaitable<void> apply_bill_delete(storage::Tx& tx, Apply& a, const PushOp& op) {
  auto bill = co_await site_bill(tx, a, op, string_or_throw(audit_of(op), "key", op));
  if (!bill) co_return;
  if ((co_await storage::site_rows::bill_site(tx, bill->id)) != a.site.id) {
    {
      const storage::NewConflict conflict = conflict_row(a, op, "deleted_while_used", "bill", bill->code, json{{"owner", "another site"}});
      co_await raise(tx, a, conflict);
    };
    co_return;
  }
  co_await storage::bills::remove(tx, bill->id);
}

asio::awaitable<void> apply_op(storage::Tx& tx, Apply& a, const PushOp& op) {
  switch (op.kind) {
    case SyncOpKind::scan:
      co_await apply_scan(tx, a, op);
      for (const PushOp& effect : op.effects) co_await apply_op(tx, a, effect);
      co_return;
    case SyncOpKind::audit: break;
    case SyncOpKind::bag_create: {
      const json bag = op.data.value("bag", json::object());
      co_await apply_bag(tx, a, op, bag);
      break;
    }
    case SyncOpKind::link_add: co_await apply_link_add(tx, a, op); break;
    case SyncOpKind::link_move:
      a.forget_links();
      co_await apply_link_move(tx, a, op);
      break;
    case SyncOpKind::link_remove:
      a.forget_links();
      co_await apply_link_remove(tx, a, op);
      break;
    case SyncOpKind::bag_delete:
      a.forget_links();
      co_await apply_bag_delete(tx, a, op);
      break;
    case SyncOpKind::bag_area:
      a.forget_links();
      co_await apply_bag_area(tx, a, op);
      break;
    case SyncOpKind::bill_create: co_await apply_bill_create(tx, a, op); break;
    case SyncOpKind::bill_edit: co_await apply_bill_edit(tx, a, op); break;
    case SyncOpKind::bill_parent_add: co_await apply_bill_parent_add(tx, a, op); break;
    case SyncOpKind::bill_parent_remove: co_await apply_bill_parent_remove(tx, a, op); break;
    case SyncOpKind::bill_complete: co_await apply_bill_status(tx, a, op, domain::BillStatus::completed); break;
    case SyncOpKind::bill_reopen: co_await apply_bill_status(tx, a, op, domain::BillStatus::open); break;
    case SyncOpKind::bill_delete: co_await apply_bill_delete(tx, a, op); break;
  }
  co_await store_audit(tx, a, op);
}

// A scan's data.effects, taken out of its data: each an operation {uid, kind, at, user, data} in
// the scan's area unless it names its own.
std::vector<PushOp> effects_of(PushOp& scan) {
  std::vector<PushOp> out;
  auto it = scan.data.find("effects");
  if (it == scan.data.end()) return out;
  const std::string where = "Operation " + std::to_string(scan.seq);
  if (!it->is_array()) throw Failure(Error::invalid_request, where + ": 'effects' is a list of operations.");
  for (const json& e : *it) {
    PushOp effect;
    effect.seq = scan.seq;
    effect.uid = opt_string(e, "uid").value_or("");
    if (effect.uid.empty() || effect.uid.size() > 64) throw Failure(Error::invalid_request, where + ": an effect has no 'uid'.");
    const std::string kind = opt_string(e, "kind").value_or("");
    auto k = domain::parse_sync_op_kind(kind);
    if (!k) {
      throw Failure(Error::sync_unsupported, where + " made a change of kind '" + kind +
                                                 "', which this head office does not know: upgrade head office first.");
    }
    if (*k == SyncOpKind::scan) throw Failure(Error::invalid_request, where + ": a scan's effects are not scans.");
    effect.kind = *k;
    effect.at = e.contains("at") && e["at"].is_number_integer() ? e["at"].get<std::int64_t>() : scan.at;
    effect.user = opt_string(e, "user");
    if (!effect.user) effect.user = scan.user;
    effect.data = e.value("data", json::object());
    if (!effect.data.is_object()) throw Failure(Error::invalid_request, where + ": an effect's 'data' is an object.");
    if (!effect.data.contains("area") && scan.data.contains("area")) effect.data["area"] = scan.data["area"];
    out.push_back(std::move(effect));
  }
  scan.data.erase("effects");
  return out;
}

json answer_json(std::int64_t applied_through, std::int64_t applied, std::int64_t duplicates, json conflicts) {
  return json{{"applied_through", applied_through},
              {"applied", applied},
              {"duplicates", duplicates},
              {"conflicts", std::move(conflicts)},
              {"server_time", util::format_iso8601(util::now_us())}};
}

}  // namespace

PushBatch parse_push(const json& body, const std::string& site_uid) {
  auto bad = [](const std::string& what) { return Failure(Error::invalid_request, what); };
  if (!body.is_object()) throw bad("A push is a JSON object.");
  if (auto site = opt_string(body, "site"); site && *site != site_uid) {
    throw Failure(Error::forbidden, "This token belongs to site " + site_uid + ", not to " + *site + ".");
  }
  PushBatch out;
  auto batch = opt_string(body, "batch");
  if (!batch || batch->empty() || batch->size() > 64) throw bad("A push names its batch: 'batch', a uid.");
  out.batch = *batch;
  auto ops = body.find("ops");
  if (ops == body.end() || !ops->is_array()) throw bad("A push carries 'ops', a list of operations.");
  if (ops->size() > domain::kSyncBatchOps) {
    throw Failure(Error::payload_too_large, "A push carries at most " + std::to_string(domain::kSyncBatchOps) + " operations.");
  }
  out.ops.reserve(ops->size());
  if (auto after = body.find("after"); after != body.end()) {
    if (!after->is_number_integer() || after->get<std::int64_t>() < 0) throw bad("'after' is the sequence before the batch.");
    out.after = after->get<std::int64_t>();
  }
  if (auto last = body.find("last_seq"); last != body.end() && last->is_number_integer()) {
    out.last_seq = last->get<std::int64_t>();
  }
  for (const json& o : *ops) {
    if (!o.is_object() || !o.contains("seq") || !o["seq"].is_number_integer() || !o.contains("at") ||
        !o["at"].is_number_integer()) {
      throw bad("Each operation has an integer 'seq' and 'at'.");
    }
    PushOp op;
    op.seq = o["seq"].get<std::int64_t>();
    if (!out.ops.empty() && op.seq <= out.ops.back().seq) throw bad("The operations of a push come in increasing seq.");
    op.uid = opt_string(o, "uid").value_or("");
    if (op.uid.empty() || op.uid.size() > 64) throw bad("Operation " + std::to_string(op.seq) + " has no 'uid'.");
    const std::string kind = opt_string(o, "kind").value_or("");
    auto k = domain::parse_sync_op_kind(kind);
    if (!k) {
      throw Failure(Error::sync_unsupported, "Operation " + std::to_string(op.seq) + " is of kind '" + kind +
                                                 "', which this head office does not know: upgrade head office first.");
    }
    op.kind = *k;
    op.at = o["at"].get<std::int64_t>();
    op.user = opt_string(o, "user");
    op.data = o.value("data", json::object());
    if (!op.data.is_object()) throw bad("Operation " + std::to_string(op.seq) + ": 'data' is an object.");
    // The operation's area, sent beside it (a depot's outbox keeps it as a number until it sends).
    if (auto area = opt_string(o, "area")) op.data["area"] = *area;
    if (op.kind == SyncOpKind::scan) op.effects = effects_of(op);
    out.ops.push_back(std::move(op));
  }
  return out;
}

asio::awaitable<PushOutcome> apply_push(storage::Tx& tx, PushingSite site, PushBatch batch,
                                        std::shared_ptr<const domain::Settings> settings) {
  PushOutcome out;
  const std::int64_t acked = co_await storage::sync_cursor::lock(tx, site.id);
  if (auto answered = co_await storage::sync_batches::answer(tx, site.id, batch.batch)) {
    out.answer = json::parse(*answered);
    co_return out;
  }
  std::int64_t duplicates = 0;
  std::size_t first_new = 0;
  if (!batch.ops.empty() && batch.ops.front().seq <= acked) {
    const std::int64_t last_old = std::min(acked, batch.ops.back().seq);
    const auto seen = co_await storage::sync_ops::uids(tx, site.id, batch.ops.front().seq, last_old);
    for (; first_new < batch.ops.size() && batch.ops[first_new].seq <= acked; ++first_new) {
      const PushOp& op = batch.ops[first_new];
      auto it = seen.find(op.seq);
      if (it != seen.end() && it->second != op.uid) {
        out.divergent_seq = op.seq;
        co_return out;
      }
      ++duplicates;
    }
  }
  if (!batch.ops.empty() && batch.ops.front().seq <= batch.after) {
    throw Failure(Error::invalid_request, "The operations of a push come after its 'after'.");
  }
  if (batch.after > acked && first_new < batch.ops.size()) {
    out.expected_seq = acked + 1;
    co_return out;
  }
  Apply a;
  a.site = site;
  a.settings = std::move(settings);
  a.now = util::now_us();
  if (auto row = co_await storage::sites::by_uid(tx, site.uid)) {
    for (const auto& name : row->areas) {
      if (auto area = co_await storage::areas::find_area_by_name(tx, name)) a.areas.insert(area->id);
    }
  }
  co_await insert_bags_first(tx, a, batch.ops, first_new);
  std::int64_t through = acked;
  for (std::size_t i = first_new; i < batch.ops.size(); ++i) {
    const PushOp& op = batch.ops[i];
    co_await apply_op(tx, a, op);
    co_await storage::sync_ops::insert(tx, site.id, op.seq, op.uid);
    through = op.seq;
  }
  // The site sees its conflicts on its own conflicts page (SPEC §8 "Down"): a feed row each, in
  // this transaction, written last so that the feed's lock is taken after the bags' (as a
  // resolution takes them) and held for the commit alone.
  const std::string feed_kind(domain::to_string(domain::FeedKind::conflict));
  for (const auto& conflict : a.conflicts) {
    const std::string uid = conflict.at("uid").get<std::string>();
    co_await storage::sync_feed::append(tx, feed_kind, uid, a.now);
  }
  const std::int64_t applied = static_cast<std::int64_t>(batch.ops.size() - first_new);
  out.answer = answer_json(through, applied, duplicates, std::move(a.conflicts));
  const std::int64_t reported = std::max(batch.last_seq, through);
  co_await storage::sync_cursor::advance(tx, site.id, through, reported, a.now);
  co_await storage::sync_batches::store(tx, site.id, batch.batch, out.answer.dump(), a.now);
  co_return out;
}

asio::awaitable<std::vector<storage::ConflictRow>> list_sync_conflicts(storage::Tx& tx, ConflictQuery q) {
  storage::ConflictFilter f;
  f.status = std::move(q.status);
  f.kind = std::move(q.kind);
  f.entity = std::move(q.entity);
  f.entity_key = std::move(q.key);
  f.limit = q.limit;
  if (q.older_than_days) f.created_before = util::now_us() - *q.older_than_days * 86400LL * 1000000LL;
  if (q.site) {
    auto site = co_await storage::sites::by_uid(tx, *q.site);
    if (!site) throw Failure(Error::not_found, "There is no site " + *q.site + ".");
    f.site_id = site->id;
  }
  co_return co_await storage::sync_conflicts::list(tx, f);
}

}  // namespace tt::services
