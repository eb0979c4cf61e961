#include "services/scans.hpp"

#include <nlohmann/json.hpp>

#include "domain/bag_code.hpp"
#include "domain/errors.hpp"
#include "domain/parent_kinds.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/scan_log.hpp"
#include "services/sync_capture.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/links.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

// Another transaction inserting the same row at the same moment makes an ON CONFLICT insert
// return nothing; the state is then read again. Twice is plenty: the row is committed by then.
constexpr int kAttempts = 3;

std::optional<std::string> opt_client(const Caller& c) {
  if (c.client.empty()) return std::nullopt;
  return c.client;
}

// The audit row of a link, built without a JSON document (scan hot path). A plain function (the
// coroutine rule: storage/job.hpp).
storage::NewAuditRow link_audit_row(const Caller& caller, std::int64_t now, const std::string& child,
                                    const std::string& parent, bool created) {
  std::string after = "{\"parent\":";
  domain::append_json_string(after, parent);
  if (created) after += ",\"created\":true";
  after += '}';
  storage::NewAuditRow row;
  row.at = now;
  row.user_id = caller.user_id;
  row.username = caller.username;
  row.action = domain::to_string(AuditAction::link);
  row.entity = "bag";
  row.entity_key = child;
  row.after_json = std::move(after);
  row.client = opt_client(caller);
  return row;
}

storage::NewBag new_bag(const std::string& code, std::optional<std::string> kind, std::optional<std::int64_t> area,
                        const Caller& caller, std::int64_t now) {
  return storage::NewBag{code, std::move(kind), area, caller.user_id, now};
}

// The outbox data of a link (services/sync_capture.hpp): the link's uid, and the child when the
// scan created it.
nlohmann::json link_sync_data(const std::string& link_uid, bool created, const storage::NewBag& child) {
  nlohmann::json out{{"link", link_uid}};
  if (created) out["bag"] = created_bag_json(child);
  return out;
}

// The facts a rejection message names. A plain function (the coroutine rule: storage/job.hpp).
domain::ChildRejectionFacts rejection_facts(const std::string& parent, const std::string& child,
                                            const std::optional<std::string>& other_parent, bool other_visible,
                                            const std::optional<std::string>& bill, std::int64_t count,
                                            std::int64_t capacity, const domain::Settings& settings) {
  domain::ChildRejectionFacts f;
  f.parent = parent;
  f.child = child;
  f.other_parent = other_parent;
  f.other_visible = other_visible;
  f.completed_bill = bill;
  f.child_count = count;
  f.capacity = capacity;
  f.parent_kinds = domain::describe_parent_kinds(settings.parent_kinds);
  return f;
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

asio::awaitable<ChildScan> scan_child(storage::Tx& tx, Caller caller, std::string raw_parent, std::string raw_child,
                                      SettingsPtr settings, std::optional<std::string> client_scan_id) {
  const std::int64_t now = util::now_us();
  ChildScan out;
  out.capacity = settings->parent_capacity;

  domain::NormalisedCode child = domain::normalise_code(raw_child, "bag code");
  domain::NormalisedCode parent = domain::normalise_code(raw_parent, "parent code");
  if (!child.ok() || !parent.ok()) {
    out.reason = domain::Rejection::invalid_code;
    out.refusal = Refusal{domain::Error::invalid_code, child.ok() ? parent.error : child.error};
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
  std::optional<ScanEffect> sync_effect;  // the link, sent to head office inside the scan's operation

  // One round trip: the parent, locked (scans, moves and completions into it are ordered by its
  // row), its state and the child's.
  storage::ChildScanFacts facts = co_await storage::links::child_scan_facts(tx, parent.code, child.code);
  const std::optional<storage::BagRef>& prow = facts.parent;
  st.parent_found = prow && caller.may_see(prow->area_id);
  if (st.parent_found) {
    st.parent_id = prow->id;
    st.parent_is_parent = prow->is_parent();
    out.area_id = prow->area_id;
    st.child_code_is_parent = domain::match_parent_kind(settings->parent_kinds, child.code) != nullptr;
  }
  decision = domain::decide_child_scan(st);
  if (decision.result != domain::ScanResult::rejected) {
    st.child_count = facts.parent_state.child_count;
    completed_bill = facts.parent_state.completed_bill;
    st.parent_bill_completed = completed_bill.has_value();
    std::optional<storage::ChildState> crow = std::move(facts.child);
    storage::NewBag child_bag;  // the child, when this scan creates it
    const std::string link_uid = util::uuid_v7();
    for (int attempt = 1;; ++attempt) {
      // Read again after another transaction took the code or linked the child meanwhile.
      if (attempt > 1) crow = co_await storage::links::child_state(tx, child.code);
      std::optional<std::int64_t> child_id;
      st.child_linked_to.reset();
      if (crow) {
        child_id = crow->id;
        if (crow->type == "parent") st.child_code_is_parent = true;
        st.child_linked_to = crow->parent_id;
        other_parent = crow->parent_code;
        other_visible = caller.may_see(crow->parent_area);
      }
      decision = domain::decide_child_scan(st);
      if (decision.result != domain::ScanResult::linked) break;
      if (!child_id) {
        const std::optional<std::int64_t> area = caller.area_id ? caller.area_id : out.area_id;
        child_bag = new_bag(child.code, std::nullopt, area, caller, now);
        const std::optional<std::int64_t> inserted = co_await storage::links::insert_linked_child(tx, child_bag, st.parent_id, link_uid);
        if (!inserted) {
          if (attempt < kAttempts) continue;
          throw storage::DbError("bag " + child.code + " was inserted concurrently and then not found");
        }
        out.child_created = true;
      } else {
        const std::optional<std::int64_t> link =
            co_await storage::links::insert(tx, link_uid, st.parent_id, *child_id, caller.user_id, now);
        if (!link) {
          if (attempt < kAttempts) continue;
          throw storage::DbError("bag " + child.code + " was linked concurrently and then not found");
        }
      }
      ++st.child_count;
      const storage::NewAuditRow audit = link_audit_row(caller, now, child.code, parent.code, out.child_created);
      co_await storage::audit_log::insert(tx, audit);
      if (tx.captures_changes()) {
        const nlohmann::json created = link_sync_data(link_uid, out.child_created, child_bag);
        sync_effect = scan_effect(audit, created);
      }
      break;
    }
  }

  out.result = decision.result;
  out.reason = decision.reason;
  out.child_count = st.child_count;
  if (decision.result == domain::ScanResult::rejected) {
    out.refusal = Refusal{domain::error_of(decision.reason),
                          domain::describe_rejection(decision.reason,
                                                     rejection_facts(parent.code, child.code, other_parent,
                                                                     other_visible, completed_bill, st.child_count,
                                                                     st.capacity, *settings))};
  }
  std::optional<std::string> reason;
  if (decision.result == domain::ScanResult::rejected) reason = std::string(domain::to_string(domain::error_of(decision.reason)));
  ScanRecord record = make_scan_record(now, "scan_child", child.code, parent.code, std::nullopt,
                                       std::string(domain::to_string(decision.result)), std::move(reason), out.area_id);
  co_await record_scan(tx, caller, std::move(record), std::move(client_scan_id), std::move(sync_effect));
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
    // One round trip: the bag and what its page shows.
    std::optional<BagDetail> found = co_await read_bag(tx, n.code, settings);
    if (found) {
      out.area_id = found->area_id;
      if (!caller.may_see(out.area_id)) {
        out.refusal = Refusal{domain::Error::not_found, "There is no parent bag " + n.code + "."};
      } else if (found->type != "parent") {
        out.refusal = Refusal{domain::Error::not_a_parent,
                              n.code + " is a child bag, not a parent: parent codes are " +
                                  domain::describe_parent_kinds(settings->parent_kinds) + "."};
      } else {
        out.parent = std::move(found);
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
    // A second round trip: the insert, and the new bag read back.
    const storage::NewBag bag = new_bag(n.code, kind->name, caller.area_id, caller, now);
    bool created = false;
    std::optional<BagDetail> made = co_await create_and_read_bag(tx, bag, settings, created);
    if (!created) {
      // Created by another scanner at this moment: read it as found.
      if (attempt < kAttempts) continue;
      throw storage::DbError("parent bag " + n.code + " was inserted concurrently and then not found");
    }
    out.created = true;
    out.area_id = caller.area_id;
    out.parent = std::move(made);
    // Built outside co_await (the coroutine rule: storage/job.hpp).
    nlohmann::json audited;
    audited["type"] = "parent";
    audited["kind"] = kind->name;
    AuditEntry entry = make_audit_entry(AuditAction::bag_create, "bag", n.code, std::nullopt, std::move(audited));
    entry.sync_data = nlohmann::json{{"bag", created_bag_json(bag)}};
    entry.sync_area_id = bag.area_id;
    co_await record_audit(tx, caller, entry);
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
