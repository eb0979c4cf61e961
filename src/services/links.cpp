#include "services/links.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/bag_code.hpp"
#include "domain/scan_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/input_codes.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/links.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr int kAttempts = 3;

asio::awaitable<std::optional<storage::BagRef>> find_visible(storage::Tx& tx, const Caller& caller,
                                                             const std::string& code) {
  auto bag = co_await storage::bags::find(tx, code);
  if (!bag || !caller.may_see(bag->area_id)) co_return std::nullopt;
  co_return bag;
}

// The child, which must exist, be visible and be a child bag.
asio::awaitable<storage::BagRef> child_or_throw(storage::Tx& tx, const Caller& caller, const std::string& code) {
  auto child = co_await find_visible(tx, caller, code);
  if (!child) throw domain::Failure(domain::Error::not_found, "There is no bag " + code + ".");
  if (child->is_parent()) {
    throw domain::Failure(domain::Error::not_a_child, code + " is a parent bag; only child bags are linked into parents.");
  }
  co_return *child;
}

// Refuses when the parent is on a completed bill: its links are locked.
asio::awaitable<void> require_open_bill(storage::Tx& tx, std::int64_t parent_id, const std::string& parent_code) {
  auto bill = co_await storage::bill_parents::bill_of(tx, parent_id);
  if (bill && bill->status == domain::BillStatus::completed) {
    throw domain::Failure(domain::Error::bill_completed, "Parent bag " + parent_code + " is on bill " + bill->code +
                                                             ", which is completed: its bags cannot change.");
  }
}

nlohmann::json parent_json(const std::optional<std::string>& code) {
  return nlohmann::json{{"parent", code ? nlohmann::json(*code) : nlohmann::json(nullptr)}};
}

}  // namespace

std::string_view to_string(LinkResult r) noexcept {
  switch (r) {
    case LinkResult::linked: return "linked";
    case LinkResult::relinked: return "relinked";
    case LinkResult::already_linked: return "already_linked";
    case LinkResult::unlinked: return "unlinked";
    case LinkResult::undone: return "undone";
  }
  return "linked";
}

asio::awaitable<LinkChange> relink(storage::Tx& tx, Caller caller, std::string raw_child, std::string raw_parent,
                                   SettingsPtr settings) {
  const std::string child_code = bag_code_or_throw(raw_child, "bag code");
  const std::string parent_code = bag_code_or_throw(raw_parent, "parent code");
  const storage::BagRef child = co_await child_or_throw(tx, caller, child_code);
  auto target = co_await find_visible(tx, caller, parent_code);
  if (!target) throw domain::Failure(domain::Error::not_found, "There is no parent bag " + parent_code + ".");
  if (!target->is_parent()) {
    throw domain::Failure(domain::Error::not_a_parent, parent_code + " is a child bag, not a parent.");
  }
  LinkChange out;
  out.child = child_code;
  out.capacity = settings->parent_capacity;
  out.area_id = target->area_id;
  const std::int64_t now = util::now_us();
  const std::string link_uid = util::uuid_v7();
  for (int attempt = 1;; ++attempt) {
    auto link = co_await storage::links::of_child(tx, child.id);
    co_await storage::bags::lock(tx, target->id, link ? link->parent_id : target->id);
    // Read again under the locks: the link may have changed before they were granted.
    auto locked = co_await storage::links::of_child(tx, child.id);
    if ((link ? link->parent_id : 0) != (locked ? locked->parent_id : 0)) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being moved by someone else; try again.");
    }
    if (locked && locked->parent_id == target->id) {
      out.result = LinkResult::already_linked;
      out.parent = parent_code;
      out.child_count = co_await storage::links::child_count(tx, target->id);
      co_return out;
    }
    if (locked && !caller.may_see(locked->parent_area)) {
      throw domain::Failure(domain::Error::linked_elsewhere, "Bag " + child_code + " is in a parent bag of another area.");
    }
    if (locked) co_await require_open_bill(tx, locked->parent_id, locked->parent_code);
    co_await require_open_bill(tx, target->id, parent_code);
    const std::int64_t count = co_await storage::links::child_count(tx, target->id);
    if (count >= settings->parent_capacity) {
      throw domain::Failure(domain::Error::parent_full, "Parent bag " + parent_code + " is full: it holds " + std::to_string(count) + " of " +
                               std::to_string(settings->parent_capacity) + " children.");
    }
    if (locked) {
      co_await storage::links::move(tx, locked->link_id, target->id, caller.user_id, now);
      out.result = LinkResult::relinked;
      out.previous_parent = locked->parent_code;
    } else {
      if (!co_await storage::links::insert(tx, link_uid, target->id, child.id, caller.user_id, now)) {
        if (attempt < kAttempts) continue;
        throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being linked by someone else; try again.");
      }
      out.result = LinkResult::linked;
    }
    out.parent = parent_code;
    out.child_count = count + 1;
    const AuditAction action = locked ? AuditAction::relink : AuditAction::link;
    AuditEntry entry = make_audit_entry(action, "bag", child_code, parent_json(out.previous_parent), parent_json(parent_code));
    if (!locked) entry.sync_data = nlohmann::json{{"link", link_uid}};
    co_await record_audit(tx, caller, entry);
    co_return out;
  }
}

asio::awaitable<LinkChange> unlink(storage::Tx& tx, Caller caller, std::string raw_child, SettingsPtr settings) {
  const std::string child_code = bag_code_or_throw(raw_child, "bag code");
  const storage::BagRef child = co_await child_or_throw(tx, caller, child_code);
  LinkChange out;
  out.child = child_code;
  out.capacity = settings->parent_capacity;
  for (int attempt = 1;; ++attempt) {
    auto link = co_await storage::links::of_child(tx, child.id);
    if (!link) throw domain::Failure(domain::Error::not_linked, "Bag " + child_code + " is not in a parent bag.");
    co_await storage::bags::lock(tx, link->parent_id, link->parent_id);
    auto locked = co_await storage::links::of_child(tx, child.id);
    if (!locked || locked->link_id != link->link_id || locked->parent_id != link->parent_id) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "Bag " + child_code + " is being moved by someone else; try again.");
    }
    co_await require_open_bill(tx, locked->parent_id, locked->parent_code);
    co_await storage::links::remove(tx, locked->link_id);
    out.result = LinkResult::unlinked;
    out.previous_parent = locked->parent_code;
    out.area_id = locked->parent_area;
    out.child_count = co_await storage::links::child_count(tx, locked->parent_id);
    // Built before the co_await: no braced temporary inside it (the coroutine rule, storage/job.hpp).
    const AuditEntry entry =
        make_audit_entry(AuditAction::unlink, "bag", child_code, parent_json(locked->parent_code),
                         parent_json(std::nullopt));
    co_await record_audit(tx, caller, entry);
    co_return out;
  }
}

asio::awaitable<LinkChange> undo_last_link(storage::Tx& tx, Caller caller, SettingsPtr settings) {
  const std::int64_t now = util::now_us();
  LinkChange out;
  out.capacity = settings->parent_capacity;
  for (int attempt = 1;; ++attempt) {
    auto last = co_await storage::links::last_made_by(tx, caller.user_id, now - kUndoWindowUs);
    if (!last) throw domain::Failure(domain::Error::nothing_to_undo, "You have linked no bag in the last hour.");
    const std::int64_t parent_id = last->parent_id;
    co_await storage::bags::lock(tx, parent_id, parent_id);
    if (co_await storage::links::parent_of_link(tx, last->link_id) != parent_id) {
      if (attempt < kAttempts) continue;
      throw domain::Failure(domain::Error::conflict, "That link is being changed by someone else; try again.");
    }
    out.child = last->child_code;
    out.previous_parent = last->parent_code;
    out.area_id = last->parent_area;
    co_await require_open_bill(tx, parent_id, *out.previous_parent);
    co_await storage::links::remove(tx, last->link_id);
    out.result = LinkResult::undone;
    out.child_count = co_await storage::links::child_count(tx, parent_id);
    const AuditEntry entry =
        make_audit_entry(AuditAction::undo, "bag", out.child, parent_json(out.previous_parent),
                         parent_json(std::nullopt));
    co_await record_audit(tx, caller, entry);
    co_return out;
  }
}

}  // namespace tt::services
