#include "services/links.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/bag_code.hpp"
#include "domain/scan_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr int kAttempts = 3;

struct BagRow {
  std::int64_t id = 0;
  std::string type;
  std::optional<std::int64_t> area_id;
};

struct CurrentLink {
  std::int64_t link_id = 0;
  std::int64_t parent_id = 0;
  std::string parent_code;
  std::optional<std::int64_t> parent_area;
};

std::string normalised_or_throw(const std::string& raw, std::string_view what) {
  auto n = domain::normalise_code(raw, what);
  if (!n.ok()) throw domain::Failure(domain::Error::invalid_code, n.error);
  return std::move(n.code);
}

asio::awaitable<std::optional<BagRow>> find_visible(storage::Tx& tx, const Caller& caller, const std::string& code,
                                                    bool lock) {
  std::string sql = "SELECT id, type, area_id FROM bags WHERE code = $1";
  if (lock) sql += tx.for_update();
  auto row = co_await tx.query_one(sql, storage::params(code));
  if (!row || !caller.may_see(row->opt_i64(2))) co_return std::nullopt;
  co_return BagRow{row->i64(0), row->text(1), row->opt_i64(2)};
}

// The child, which must exist, be visible and be a child bag.
asio::awaitable<BagRow> child_or_throw(storage::Tx& tx, const Caller& caller, const std::string& code) {
  auto child = co_await find_visible(tx, caller, code, false);
  if (!child) throw domain::Failure(domain::Error::not_found, "There is no bag " + code + ".");
  if (child->type != "child") {
    throw domain::Failure(domain::Error::not_a_child, code + " is a parent bag; only child bags are linked into parents.");
  }
  co_return *child;
}

asio::awaitable<std::optional<CurrentLink>> current_link(storage::Tx& tx, std::int64_t child_id) {
  auto row = co_await tx.query_one(
      "SELECT l.id, l.parent_id, p.code, p.area_id FROM links l JOIN bags p ON p.id = l.parent_id WHERE l.child_id = $1",
      storage::params(child_id));
  if (!row) co_return std::nullopt;
  co_return CurrentLink{row->i64(0), row->i64(1), row->text(2), row->opt_i64(3)};
}

// Locks parent rows in id order (PostgreSQL), so two changes over the same parents never deadlock.
asio::awaitable<void> lock_parents(storage::Tx& tx, std::int64_t a, std::int64_t b) {
  if (tx.dialect() != storage::Dialect::postgres) co_return;
  co_await tx.query("SELECT id FROM bags WHERE id IN ($1, $2) ORDER BY id FOR UPDATE",
                    storage::params(std::min(a, b), std::max(a, b)));
}

asio::awaitable<std::int64_t> count_children(storage::Tx& tx, std::int64_t parent_id) {
  auto row = co_await tx.query_one("SELECT COUNT(*) FROM links WHERE parent_id = $1", storage::params(parent_id));
  co_return row->i64(0);
}

// Refuses when the parent is on a completed bill: its links are locked.
asio::awaitable<void> require_open_bill(storage::Tx& tx, std::int64_t parent_id, const std::string& parent_code) {
  auto row = co_await tx.query_one(
      "SELECT b.code FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id"
      " WHERE bp.parent_id = $1 AND b.status = 'completed'",
      storage::params(parent_id));
  if (row) {
    throw domain::Failure(domain::Error::bill_completed, "Parent bag " + parent_code + " is on bill " + row->text(0) +
                             ", which is completed: its bags cannot change.");
  }
}

nlohmann::json parent_json(const std::optional<std::string>& code) {
  return nlohmann::json{{"parent", code ? nlohmann::json(*code) : nlohmann::json(nullptr)}};
}

}  // namespace

asio::awaitable<LinkChange> relink(storage::Tx& tx, Caller caller, std::string raw_child, std::string raw_parent,
                                   SettingsPtr settings) {
  const std::string child_code = normalised_or_throw(raw_child, "bag code");
  const std::string parent_code = normalised_or_throw(raw_parent, "parent code");
  const BagRow child = co_await child_or_throw(tx, caller, child_code);
  auto target = co_await find_visible(tx, caller, parent_code, false);
  if (!target) throw domain::Failure(domain::Error::not_found, "There is no parent bag " + parent_code + ".");
  if (target->type != "parent") {
    throw domain::Failure(domain::Error::not_a_parent, parent_code + " is a child bag, not a parent.");
  }
  LinkChange out;
  out.child = child_code;
  out.capacity = settings->parent_capacity;
  out.area_id = target->area_id;
  const std::int64_t now = util::now_us();
  for (int attempt = 1;; ++attempt) {
    auto link = co_await current_link(tx, child.id);
    co_await lock_parents(tx, target->id, link ? link->parent_id : target->id);
    // Read again under the locks: the link may have changed before they were granted.
    auto locked = co_await current_link(tx, child.id);
    if ((link ? link->parent_id : 0) != (locked ? locked->parent_id : 0)) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being moved by someone else; try again.");
    }
    if (locked && locked->parent_id == target->id) {
      out.result = "already_linked";
      out.parent = parent_code;
      out.child_count = co_await count_children(tx, target->id);
      co_return out;
    }
    if (locked && !caller.may_see(locked->parent_area)) {
      throw domain::Failure(domain::Error::linked_elsewhere, "Bag " + child_code + " is in a parent bag of another area.");
    }
    if (locked) co_await require_open_bill(tx, locked->parent_id, locked->parent_code);
    co_await require_open_bill(tx, target->id, parent_code);
    const std::int64_t count = co_await count_children(tx, target->id);
    if (count >= settings->parent_capacity) {
      throw domain::Failure(domain::Error::parent_full, "Parent bag " + parent_code + " is full: it holds " + std::to_string(count) + " of " +
                               std::to_string(settings->parent_capacity) + " children.");
    }
    if (locked) {
      co_await tx.exec("UPDATE links SET parent_id = $1, created_by = $2, created_at = $3 WHERE id = $4",
                       storage::params(target->id, caller.user_id, now, locked->link_id));
      out.result = "relinked";
      out.previous_parent = locked->parent_code;
    } else {
      auto inserted = co_await tx.query_one(
          "INSERT INTO links (uid, parent_id, child_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)"
          " ON CONFLICT (child_id) DO NOTHING RETURNING id",
          storage::params(util::uuid_v7(), target->id, child.id, caller.user_id, now));
      if (!inserted) {
        if (attempt < kAttempts) continue;
        throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being linked by someone else; try again.");
      }
      out.result = "linked";
    }
    out.parent = parent_code;
    out.child_count = count + 1;
    co_await record_audit(tx, caller,
                          make_audit_entry(locked ? "relink" : "link", "bag", child_code, parent_json(out.previous_parent),
                                     parent_json(parent_code)));
    co_return out;
  }
}

asio::awaitable<LinkChange> unlink(storage::Tx& tx, Caller caller, std::string raw_child, SettingsPtr settings) {
  const std::string child_code = normalised_or_throw(raw_child, "bag code");
  const BagRow child = co_await child_or_throw(tx, caller, child_code);
  LinkChange out;
  out.child = child_code;
  out.capacity = settings->parent_capacity;
  for (int attempt = 1;; ++attempt) {
    auto link = co_await current_link(tx, child.id);
    if (!link) throw domain::Failure(domain::Error::not_linked, "Bag " + child_code + " is not in a parent bag.");
    co_await lock_parents(tx, link->parent_id, link->parent_id);
    auto locked = co_await current_link(tx, child.id);
    if (!locked || locked->link_id != link->link_id || locked->parent_id != link->parent_id) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being moved by someone else; try again.");
    }
    co_await require_open_bill(tx, locked->parent_id, locked->parent_code);
    co_await tx.exec("DELETE FROM links WHERE id = $1", storage::params(locked->link_id));
    out.result = "unlinked";
    out.previous_parent = locked->parent_code;
    out.area_id = locked->parent_area;
    out.child_count = co_await count_children(tx, locked->parent_id);
    co_await record_audit(tx, caller,
                          make_audit_entry("unlink", "bag", child_code, parent_json(locked->parent_code), parent_json({})));
    co_return out;
  }
}

asio::awaitable<LinkChange> undo_last_link(storage::Tx& tx, Caller caller, SettingsPtr settings) {
  const std::int64_t now = util::now_us();
  LinkChange out;
  out.capacity = settings->parent_capacity;
  for (int attempt = 1;; ++attempt) {
    auto last = co_await tx.query_one(
        "SELECT l.id, l.parent_id, c.code, p.code, p.area_id FROM links l"
        " JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
        " WHERE l.created_by = $1 AND l.created_at >= $2 ORDER BY l.created_at DESC, l.id DESC LIMIT 1",
        storage::params(caller.user_id, now - kUndoWindowUs));
    if (!last) throw domain::Failure(domain::Error::nothing_to_undo, "You have linked no bag in the last hour.");
    const std::int64_t link_id = last->i64(0);
    const std::int64_t parent_id = last->i64(1);
    co_await lock_parents(tx, parent_id, parent_id);
    auto still = co_await tx.query_one("SELECT parent_id FROM links WHERE id = $1", storage::params(link_id));
    if (!still || still->i64(0) != parent_id) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "That link is being changed by someone else; try again.");
    }
    out.child = last->text(2);
    out.previous_parent = last->text(3);
    out.area_id = last->opt_i64(4);
    co_await require_open_bill(tx, parent_id, *out.previous_parent);
    co_await tx.exec("DELETE FROM links WHERE id = $1", storage::params(link_id));
    out.result = "undone";
    out.child_count = co_await count_children(tx, parent_id);
    co_await record_audit(tx, caller,
                          make_audit_entry("undo", "bag", out.child, parent_json(out.previous_parent), parent_json({})));
    co_return out;
  }
}

}  // namespace tt::services
