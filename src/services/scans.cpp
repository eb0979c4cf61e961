#include "services/scans.hpp"

#include <nlohmann/json.hpp>

#include "domain/bag_code.hpp"
#include "domain/errors.hpp"
#include "domain/parent_kinds.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/scan_log.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

// SQL texts are constants so that each backend prepares them once per connection.
constexpr std::string_view kFindBag = "SELECT id, type, area_id FROM bags WHERE code = $1";
constexpr std::string_view kLockBag = "SELECT id, type, area_id FROM bags WHERE code = $1 FOR UPDATE";
// Read after the parent row is locked, in a statement of its own: on PostgreSQL a new statement
// sees every link committed before the lock was granted.
constexpr std::string_view kParentState =
    "SELECT (SELECT COUNT(*) FROM links WHERE parent_id = $1),"
    " (SELECT b.code FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id"
    " WHERE bp.parent_id = $1 AND b.status = 'completed')";
constexpr std::string_view kChildState =
    "SELECT c.id, c.type, l.parent_id, p.code, p.area_id FROM bags c"
    " LEFT JOIN links l ON l.child_id = c.id LEFT JOIN bags p ON p.id = l.parent_id WHERE c.code = $1";
constexpr std::string_view kInsertChild =
    "INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)"
    " VALUES ($1, $2, 'child', NULL, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING id";
constexpr std::string_view kInsertParent =
    "INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)"
    " VALUES ($1, $2, 'parent', $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING id";
constexpr std::string_view kInsertLink =
    "INSERT INTO links (uid, parent_id, child_id, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (child_id) DO NOTHING RETURNING id";
constexpr std::string_view kInsertAudit =
    "INSERT INTO audit_log (uid, at, user_id, username, action, entity, entity_key, before_json, after_json, client)"
    " VALUES ($1, $2, $3, $4, $5, 'bag', $6, $7, $8, $9)";

// Another transaction inserting the same row at the same moment makes an ON CONFLICT insert
// return nothing; the state is then read again. Twice is plenty: the row is committed by then.
constexpr int kAttempts = 3;

std::optional<std::string> opt_client(const Caller& c) {
  if (c.client.empty()) return std::nullopt;
  return c.client;
}

// The audit entry of a link, written without building a JSON document (scan hot path).
asio::awaitable<void> record_link(storage::Tx& tx, const Caller& caller, std::int64_t now, const std::string& child,
                                  const std::string& parent, bool created) {
  std::string after = "{\"parent\":";
  domain::append_json_string(after, parent);
  if (created) after += ",\"created\":true";
  after += '}';
  co_await tx.exec_deferred(kInsertAudit, storage::params(util::uuid_v7(), now, caller.user_id, caller.username, "link", child,
                                                 storage::null(), std::move(after), opt_client(caller)));
}

std::string rejection_message(domain::Rejection r, const std::string& parent, const std::string& child,
                              const std::optional<std::string>& other_parent, bool other_visible,
                              const std::optional<std::string>& bill, std::int64_t count, std::int64_t capacity,
                              const domain::Settings& settings) {
  using domain::Rejection;
  switch (r) {
    case Rejection::parent_not_found: return "There is no parent bag " + parent + ".";
    case Rejection::not_a_parent:
      return parent + " is a child bag, not a parent: parent codes are " +
             domain::describe_parent_kinds(settings.parent_kinds) + ".";
    case Rejection::not_a_child: return child + " is a parent bag; it cannot go into another parent.";
    case Rejection::linked_elsewhere:
      if (other_parent && other_visible) {
        return "Bag " + child + " is already in parent bag " + *other_parent + "; relink it to move it.";
      }
      return "Bag " + child + " is already in a parent bag of another area.";
    case Rejection::bill_completed:
      return "Parent bag " + parent + " is on bill " + bill.value_or("?") + ", which is completed: its bags cannot change.";
    case Rejection::parent_full:
      return "Parent bag " + parent + " is full: it holds " + std::to_string(count) + " of " +
             std::to_string(capacity) + " children.";
    case Rejection::invalid_code:
    case Rejection::none: break;
  }
  return {};
}

// The log entry of a scan with an invalid code: codes as normalised when valid, else as received
// (made printable). A plain function (storage/job.hpp).
ScanRecord invalid_scan(std::int64_t now, const domain::NormalisedCode& child, const std::string& raw_child,
                        const domain::NormalisedCode& parent, const std::string& raw_parent) {
  return ScanRecord{now,
                    "scan_child",
                    child.ok() ? child.code : domain::printable_for_log(raw_child),
                    parent.ok() ? parent.code : domain::printable_for_log(raw_parent),
                    std::nullopt,
                    "rejected",
                    "invalid_code",
                    std::nullopt};
}

}  // namespace

Refusal refusal_of(const ChildScan& scan) {
  return Refusal{domain::error_of(scan.reason), scan.message};
}

asio::awaitable<ChildScan> scan_child(storage::Tx& tx, Caller caller, std::string raw_parent, std::string raw_child,
                                      SettingsPtr settings, std::optional<std::string> client_scan_id) {
  const bool pg = tx.dialect() == storage::Dialect::postgres;
  const std::int64_t now = util::now_us();
  ChildScan out;
  out.capacity = settings->parent_capacity;

  domain::NormalisedCode child = domain::normalise_code(raw_child, "bag code");
  domain::NormalisedCode parent = domain::normalise_code(raw_parent, "parent code");
  if (!child.ok() || !parent.ok()) {
    out.reason = domain::Rejection::invalid_code;
    out.message = child.ok() ? parent.error : child.error;
    co_await record_scan(tx, caller, invalid_scan(now, child, raw_child, parent, raw_parent), client_scan_id);
    co_return out;
  }
  out.parent_code = parent.code;
  out.child_code = child.code;

  domain::ChildScanState st;
  st.capacity = settings->parent_capacity;
  std::optional<std::string> completed_bill;
  std::optional<std::string> other_parent;
  bool other_visible = false;
  domain::ChildScanDecision decision;

  auto prow = co_await tx.query_one(pg ? kLockBag : kFindBag, storage::params(parent.code));
  st.parent_found = prow && caller.may_see(prow->opt_i64(2));
  if (st.parent_found) {
    st.parent_id = prow->i64(0);
    st.parent_is_parent = prow->text(1) == "parent";
    out.area_id = prow->opt_i64(2);
    st.child_code_is_parent = domain::match_parent_kind(settings->parent_kinds, child.code) != nullptr;
  }
  decision = domain::decide_child_scan(st);
  if (decision.result != domain::ScanResult::rejected) {
    auto state = co_await tx.query_one(kParentState, storage::params(st.parent_id));
    st.child_count = state->i64(0);
    completed_bill = state->opt_text(1);
    st.parent_bill_completed = completed_bill.has_value();
    for (int attempt = 1;; ++attempt) {
      std::optional<std::int64_t> child_id;
      st.child_linked_to.reset();
      if (auto crow = co_await tx.query_one(kChildState, storage::params(child.code))) {
        child_id = crow->i64(0);
        if (crow->text(1) == "parent") st.child_code_is_parent = true;
        st.child_linked_to = crow->opt_i64(2);
        other_parent = crow->opt_text(3);
        other_visible = caller.may_see(crow->opt_i64(4));
      }
      decision = domain::decide_child_scan(st);
      if (decision.result != domain::ScanResult::linked) break;
      if (!child_id) {
        const std::optional<std::int64_t> area = caller.area_id ? caller.area_id : out.area_id;
        auto inserted = co_await tx.query_one(
            kInsertChild, storage::params(util::uuid_v7(), child.code, area, caller.user_id, now));
        if (!inserted) {
          if (attempt < kAttempts) continue;
          throw storage::DbError("bag " + child.code + " was inserted concurrently and then not found");
        }
        child_id = inserted->i64(0);
        out.child_created = true;
      }
      auto link = co_await tx.query_one(
          kInsertLink, storage::params(util::uuid_v7(), st.parent_id, *child_id, caller.user_id, now));
      if (!link) {
        if (attempt < kAttempts) continue;
        throw storage::DbError("bag " + child.code + " was linked concurrently and then not found");
      }
      ++st.child_count;
      co_await record_link(tx, caller, now, child.code, parent.code, out.child_created);
      break;
    }
  }

  out.result = decision.result;
  out.reason = decision.reason;
  out.child_count = st.child_count;
  if (decision.result == domain::ScanResult::rejected) {
    out.message = rejection_message(decision.reason, parent.code, child.code, other_parent, other_visible,
                                    completed_bill, st.child_count, st.capacity, *settings);
  }
  std::optional<std::string> reason;
  if (decision.result == domain::ScanResult::rejected) reason = std::string(domain::to_string(domain::error_of(decision.reason)));
  co_await record_scan(tx, caller,
                       make_scan_record(now, "scan_child", child.code, parent.code, std::nullopt,
                                  std::string(domain::to_string(decision.result)), std::move(reason), out.area_id),
                       std::move(client_scan_id));
  co_return out;
}

asio::awaitable<ParentScan> scan_parent(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings,
                                        std::optional<std::string> client_scan_id) {
  const std::int64_t now = util::now_us();
  ParentScan out;
  domain::NormalisedCode n = domain::normalise_code(raw_code, "parent code");
  if (!n.ok()) {
    out.refusal = Refusal{domain::Error::invalid_code, n.error};
    co_await record_scan(tx, caller,
                         make_scan_record(now, "scan_parent", domain::printable_for_log(raw_code), std::nullopt, std::nullopt,
                                    "rejected", "invalid_code", std::nullopt),
                         std::move(client_scan_id));
    co_return out;
  }
  out.code = n.code;
  for (int attempt = 1; !out.refusal && !out.parent; ++attempt) {
    if (attempt > kAttempts) throw storage::DbError("parent bag " + n.code + " vanished while being scanned");
    auto row = co_await tx.query_one(kFindBag, storage::params(n.code));
    if (row) {
      out.area_id = row->opt_i64(2);
      if (!caller.may_see(out.area_id)) {
        out.refusal = Refusal{domain::Error::not_found, "There is no parent bag " + n.code + "."};
      } else if (row->text(1) != "parent") {
        out.refusal = Refusal{domain::Error::not_a_parent,
                              n.code + " is a child bag, not a parent: parent codes are " +
                                  domain::describe_parent_kinds(settings->parent_kinds) + "."};
      } else {
        out.parent = co_await find_bag(tx, caller, n.code, settings, false);
      }
      continue;
    }
    const domain::ParentKind* kind = domain::match_parent_kind(settings->parent_kinds, n.code);
    if (!kind) {
      out.refusal = Refusal{domain::Error::not_a_parent,
                            n.code + " is not a parent bag code: parent codes are " +
                                domain::describe_parent_kinds(settings->parent_kinds) + "."};
      continue;
    }
    auto inserted = co_await tx.query_one(
        kInsertParent, storage::params(util::uuid_v7(), n.code, kind->name, caller.area_id, caller.user_id, now));
    if (!inserted) {
      // Created by another scanner at this moment: read it as found.
      if (attempt < kAttempts) continue;
      throw storage::DbError("parent bag " + n.code + " was inserted concurrently and then not found");
    }
    out.created = true;
    out.area_id = caller.area_id;
    // Built outside co_await (the coroutine rule: storage/job.hpp).
    nlohmann::json created;
    created["type"] = "parent";
    created["kind"] = kind->name;
    co_await record_audit(tx, caller, make_audit_entry("bag_create", "bag", n.code, std::nullopt, std::move(created)));
    out.parent = co_await find_bag(tx, caller, n.code, settings, false);
  }
  std::optional<std::string> reason;
  if (out.refusal) reason = std::string(domain::to_string(out.refusal->code));
  co_await record_scan(tx, caller,
                       make_scan_record(now, "scan_parent", n.code, std::nullopt, std::nullopt,
                                  out.refusal ? "rejected" : (out.created ? "created" : "found"), std::move(reason),
                                  out.area_id),
                       std::move(client_scan_id));
  co_return out;
}

}  // namespace tt::services
