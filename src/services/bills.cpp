#include "services/bills.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "domain/bag_code.hpp"
#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/scan_log.hpp"
#include "services/input_codes.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/return_tickets.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

Bill bill_of(storage::BillRow row) {
  Bill b;
  static_cast<storage::BillRow&>(b) = std::move(row);
  return b;
}

domain::Failure no_such_bill(const std::string& code) {
  return domain::Failure(domain::Error::not_found, "There is no bill " + code + ".");
}

domain::Failure refused(domain::BillRejection r, std::string message) {
  return domain::Failure(domain::error_of(r), message);
}

void check_text(std::string_view field, const std::string& value, std::size_t max) {
  if (auto err = domain::validate_bill_text(field, value, max)) throw domain::Failure(domain::Error::invalid_field, *err);
}

void check_capacity(std::int64_t capacity) {
  if (auto err = domain::validate_bill_capacity(capacity)) throw domain::Failure(domain::Error::invalid_capacity, *err);
}

// Trimmed; empty text means "none" for the optional fields.
std::optional<std::string> none_if_empty(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::string t = domain::trim(*s);
  if (t.empty()) return std::nullopt;
  return t;
}

asio::awaitable<std::optional<Bill>> find_bill(storage::Tx& tx, const Caller& caller, const std::string& code) {
  auto row = co_await storage::bills::find(tx, code);
  if (!row || !caller.may_see(row->area_id)) co_return std::nullopt;
  co_return bill_of(std::move(*row));
}

// The bill, its row locked for a change, or not_found (also for a bill of an area the caller
// cannot see).
asio::awaitable<Bill> lock_bill(storage::Tx& tx, const Caller& caller, const std::string& code) {
  auto row = co_await storage::bills::lock_bill(tx, code);
  if (!row || !caller.may_see(row->area_id)) throw no_such_bill(code);
  co_return bill_of(std::move(*row));
}

asio::awaitable<std::vector<BillParent>> parents_of(storage::Tx& tx, std::int64_t bill_id,
                                                    const domain::Settings& settings) {
  auto rows = co_await storage::bill_parents::of_bill(tx, bill_id);
  std::vector<BillParent> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    BillParent p;
    p.code = std::move(r.code);
    p.kind = std::move(r.kind);
    p.added_at = r.added_at;
    p.added_by = std::move(r.added_by);
    p.child_count = r.child_count;
    p.weight_kg = static_cast<double>(p.child_count) * settings.child_weight_kg;
    p.expected_weight_kg = settings.kind_weight(p.kind);
    out.push_back(std::move(p));
  }
  co_return out;
}

domain::BillFigures figures_of(const std::vector<BillParent>& parents, const domain::Settings& settings) {
  std::vector<domain::BillParentCount> counts;
  counts.reserve(parents.size());
  for (const auto& p : parents) counts.push_back({p.kind, p.child_count});
  return domain::bill_figures(counts, settings);
}

asio::awaitable<Bill> with_figures(storage::Tx& tx, Bill bill, const domain::Settings& settings) {
  bill.figures = figures_of(co_await parents_of(tx, bill.id, settings), settings);
  co_return bill;
}

nlohmann::json snapshot(const Bill& b) {
  auto opt = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
  return nlohmann::json{{"description", b.description}, {"destination", opt(b.destination)},
                        {"vehicle", opt(b.vehicle)},       {"capacity", b.capacity},
                        {"status", domain::to_string(b.status)}};
}

nlohmann::json parent_entry(const std::string& parent) { return nlohmann::json{{"parent", parent}}; }

std::string edit_refusal_message(domain::BillRejection r, const std::string& code, std::int64_t parents) {
  if (r == domain::BillRejection::bill_completed) {
    return "Bill " + code + " is completed and cannot be edited; an administrator may reopen it.";
  }
  return "Bill " + code + " already carries " + std::to_string(parents) + " parent bags: its capacity cannot be lower.";
}

// The scan log entry of an attempt to put a parent on a bill, before its outcome is known.
// A plain function (the coroutine rule: storage/job.hpp).
ScanRecord bill_add_record(std::int64_t now, const domain::NormalisedCode& bill, const std::string& raw_bill,
                           const domain::NormalisedCode& parent, const std::string& raw_parent) {
  return ScanRecord{now,
                    "bill_add",
                    parent.ok() ? parent.code : domain::printable_for_log(raw_parent),
                    std::nullopt,
                    bill.ok() ? bill.code : domain::printable_for_log(raw_bill),
                    "rejected",
                    std::nullopt,
                    std::nullopt};
}

BillReturn bill_return_of(const storage::ReturnedFromBill& r) {
  BillReturn out{r.ticket, r.parent, 0, r.weight_kg, r.at, r.by};
  if (r.children_json) {
    const auto children = nlohmann::json::parse(*r.children_json, nullptr, false);
    if (children.is_array()) out.child_count = static_cast<std::int64_t>(children.size());
  }
  return out;
}

}  // namespace

void check_new_bill(NewBill& bill) {
  bill.code = bill_code_or_throw(bill.code);
  bill.description = domain::trim(bill.description);
  check_text("description", bill.description, domain::kBillDescriptionMax);
  bill.destination = none_if_empty(bill.destination);
  bill.vehicle = none_if_empty(bill.vehicle);
  if (bill.destination) check_text("destination", *bill.destination, domain::kBillDestinationMax);
  if (bill.vehicle) check_text("vehicle", *bill.vehicle, domain::kBillVehicleMax);
  check_capacity(bill.capacity);
}

asio::awaitable<Bill> create_bill(storage::Tx& tx, Caller caller, NewBill nb, SettingsPtr settings) {
  check_new_bill(nb);
  storage::NewBillRow row{nb.code,  nb.description,   nb.destination,  nb.vehicle,
                          nb.capacity, caller.area_id, caller.user_id, util::now_us()};
  if (!co_await storage::bills::insert(tx, row)) {
    throw domain::Failure(domain::Error::bill_exists, "A bill with the code " + nb.code + " exists already.");
  }
  auto bill = co_await find_bill(tx, caller, nb.code);
  AuditEntry entry = make_audit_entry(AuditAction::bill_create, "bill", nb.code, std::nullopt, snapshot(*bill));
  entry.sync_data = nlohmann::json{{"bill", nlohmann::json{{"uid", row.uid}}}};
  entry.sync_area_id = row.area_id;
  co_await record_audit(tx, caller, entry);
  co_return co_await with_figures(tx, std::move(*bill), *settings);
}

asio::awaitable<Bill> update_bill(storage::Tx& tx, Caller caller, std::string raw_code, BillPatch patch,
                                  SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  if (patch.description) {
    *patch.description = domain::trim(*patch.description);
    check_text("description", *patch.description, domain::kBillDescriptionMax);
  }
  if (patch.destination) *patch.destination = none_if_empty(*patch.destination);
  if (patch.vehicle) *patch.vehicle = none_if_empty(*patch.vehicle);
  if (patch.destination && *patch.destination) {
    check_text("destination", **patch.destination, domain::kBillDestinationMax);
  }
  if (patch.vehicle && *patch.vehicle) check_text("vehicle", **patch.vehicle, domain::kBillVehicleMax);
  if (patch.capacity) check_capacity(*patch.capacity);
  Bill bill = co_await lock_bill(tx, caller, code);
  const std::int64_t parents = co_await storage::bill_parents::count(tx, bill.id);
  if (auto r = domain::check_edit(bill.status, patch.capacity, parents); r != domain::BillRejection::none) {
    throw refused(r, edit_refusal_message(r, code, parents));
  }
  const nlohmann::json before = snapshot(bill);
  if (patch.description) bill.description = *patch.description;
  if (patch.destination) bill.destination = *patch.destination;
  if (patch.vehicle) bill.vehicle = *patch.vehicle;
  if (patch.capacity) bill.capacity = *patch.capacity;
  bill.updated_at = util::now_us();
  co_await storage::bills::update_fields(tx, bill);
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bill_update, "bill", code, before, snapshot(bill)));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<BillDetail> get_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  auto bill = co_await find_bill(tx, caller, code);
  if (!bill) throw no_such_bill(code);
  BillDetail d;
  d.parents = co_await parents_of(tx, bill->id, *settings);
  bill->figures = figures_of(d.parents, *settings);
  const auto returned = co_await storage::return_bags::returned_from_bill(tx, code);
  for (const auto& r : returned) d.returns.push_back(bill_return_of(r));
  d.disputes = co_await open_disputes(tx, "bill", code);
  d.bill = std::move(*bill);
  co_return d;
}

asio::awaitable<BillPage> list_bills(storage::Tx& tx, Caller caller, BillFilter f, SettingsPtr settings) {
  if (f.code) f.code = bill_prefix_or_throw(*f.code);
  storage::BillQuery q;
  q.status = f.status;
  if (f.code) {
    q.code_from = *f.code;
    q.code_below = domain::prefix_upper_bound(*f.code);
  }
  if (!caller.sees_all_areas()) {
    if (!caller.area_id) co_return BillPage{};
    q.area_id = caller.area_id;
  }
  const std::int64_t per_page = std::clamp<std::int64_t>(f.per_page, 1, 200);
  const std::int64_t page = std::max<std::int64_t>(f.page, 1);
  q.limit = per_page + 1;
  q.offset = (page - 1) * per_page;
  auto rows = co_await storage::bills::select(tx, q);
  BillPage out;
  out.has_more = static_cast<std::int64_t>(rows.size()) > per_page;
  if (out.has_more) rows.pop_back();
  if (rows.empty()) co_return out;
  std::vector<std::int64_t> ids;
  for (auto& r : rows) {
    ids.push_back(r.id);
    out.bills.push_back(bill_of(std::move(r)));
  }
  // Figures of the whole page in one query: each parent's kind and child count, by bill.
  auto counts = co_await storage::bill_parents::counts_of_bills(tx, ids);
  std::map<std::int64_t, std::vector<domain::BillParentCount>> by_bill;
  for (auto& c : counts) by_bill[c.bill_id].push_back({std::move(c.kind), c.child_count});
  for (auto& b : out.bills) b.figures = domain::bill_figures(by_bill[b.id], *settings);
  co_return out;
}

asio::awaitable<BillFill> add_parent_to_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                             std::string raw_parent, SettingsPtr settings,
                                             std::optional<std::string> client_scan_id) {
  const std::int64_t now = util::now_us();
  const std::string place_uid = util::uuid_v7();  // the bill_parents row, named by its outbox entry
  BillFill out;
  auto bill_code = domain::normalise_bill_code(raw_bill);
  auto parent_code = domain::normalise_code(raw_parent, "parent code");
  ScanRecord rec = bill_add_record(now, bill_code, raw_bill, parent_code, raw_parent);
  std::optional<storage::BillRow> bill;
  std::optional<storage::ParentForBill> parent;
  if (!bill_code.ok() || !parent_code.ok()) {
    out.refusal = Refusal{domain::Error::invalid_code, bill_code.ok() ? parent_code.error : bill_code.error};
  } else {
    out.parent = parent_code.code;
    bill = co_await storage::bills::lock_bill(tx, bill_code.code);
    if (!bill || !caller.may_see(bill->area_id)) {
      out.refusal = Refusal{domain::Error::not_found, "There is no bill " + bill_code.code + "."};
    }
  }
  if (!out.refusal) {
    parent = co_await storage::bill_parents::find_parent(tx, parent_code.code);
    if (!parent || !caller.may_see(parent->area_id)) {
      out.refusal = Refusal{domain::Error::not_found, "There is no parent bag " + parent_code.code + "."};
    } else if (parent->type != "parent") {
      out.refusal = Refusal{domain::Error::not_a_parent, parent_code.code + " is a child bag; only parent bags go on bills."};
    }
    rec.area_id = parent ? parent->area_id : std::nullopt;
  }
  for (int attempt = 1; !out.refusal; ++attempt) {
    domain::BillAddState st;
    st.status = bill->status;
    st.bill_id = bill->id;
    st.parent_on_bill = parent->bill_id;
    st.parent_count = co_await storage::bill_parents::count(tx, bill->id);
    st.capacity = bill->capacity;
    const auto decision = domain::decide_bill_add(st);
    if (decision.result == domain::BillAddResult::already_on_bill) {
      out.result = domain::BillAddResult::already_on_bill;
      rec.result = "already_linked";
      break;
    }
    if (decision.result == domain::BillAddResult::rejected) {
      const std::string message = domain::describe_bill_add_rejection(
          decision.reason, bill->code, out.parent, parent->bill_code, st.parent_count, bill->capacity);
      out.refusal = Refusal{domain::error_of(decision.reason), message};
      break;
    }
    if (!co_await storage::bill_parents::attach_parent(tx, place_uid, bill->id, parent->id, caller.user_id, now)) {
      // Put on a bill by someone else at this moment: decide again on what is there now.
      if (attempt >= 3) throw storage::DbError("parent bag " + out.parent + " changed bills repeatedly");
      parent = co_await storage::bill_parents::find_parent(tx, out.parent);
      continue;
    }
    out.result = domain::BillAddResult::added;
    rec.result = "linked";
    AuditEntry entry = make_audit_entry(AuditAction::bill_add_parent, "bill", bill->code, std::nullopt, parent_entry(out.parent));
    entry.sync_data = nlohmann::json{{"place", place_uid}};
    co_await record_audit(tx, caller, entry);
    break;
  }
  if (out.refusal) rec.reason = std::string(domain::to_string(out.refusal->code));
  co_await record_scan(tx, caller, std::move(rec), std::move(client_scan_id));
  if (!out.refusal) out.bill = co_await with_figures(tx, bill_of(std::move(*bill)), *settings);
  co_return out;
}

asio::awaitable<bool> take_parent_off_bill(storage::Tx& tx, storage::BillRow& bill, const std::string& parent_code) {
  const bool detached = co_await storage::bill_parents::detach_parent(tx, bill.id, parent_code);
  if (detached) {
    bill.updated_at = util::now_us();
    co_await storage::bills::touch(tx, bill.id, bill.updated_at);
  }
  co_return detached;
}

asio::awaitable<Bill> remove_parent_from_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                              std::string raw_parent, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_bill);
  const std::string parent_code = bag_code_or_throw(raw_parent, "parent code");
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_remove_parent(bill.status); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is completed: its parent bags cannot change.");
  }
  const bool taken = co_await take_parent_off_bill(tx, bill, parent_code);
  if (!taken) {
    throw domain::Failure(domain::Error::not_on_bill, "Parent bag " + parent_code + " is not on bill " + code + ".");
  }
  co_await record_audit(
      tx, caller,
      make_audit_entry(AuditAction::bill_remove_parent, "bill", code, parent_entry(parent_code), std::nullopt));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<Bill> complete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_complete(bill.status); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is already completed.");
  }
  // Scans into these parents hold their rows while they link: wait for them, and make later
  // scans see the completed bill.
  co_await storage::bill_parents::lock_parents(tx, bill.id);
  const nlohmann::json before = snapshot(bill);
  bill.status = domain::BillStatus::completed;
  bill.updated_at = bill.completed_at.emplace(util::now_us());
  co_await storage::bills::update_status(tx, bill);
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bill_complete, "bill", code, before, snapshot(bill)));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<Bill> reopen_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_reopen(bill.status); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is open; only a completed bill can be reopened.");
  }
  const nlohmann::json before = snapshot(bill);
  bill.status = domain::BillStatus::open;
  bill.completed_at.reset();
  bill.updated_at = util::now_us();
  co_await storage::bills::update_status(tx, bill);
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bill_reopen, "bill", code, before, snapshot(bill)));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<Bill> delete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  Bill bill = co_await lock_bill(tx, caller, code);
  auto parents = co_await parents_of(tx, bill.id, *settings);
  bill.figures = figures_of(parents, *settings);
  nlohmann::json before = snapshot(bill);
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& p : parents) codes.push_back(p.code);
  before["parents"] = std::move(codes);
  co_await storage::bills::remove(tx, bill.id);
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bill_delete, "bill", code, before, std::nullopt));
  co_return bill;
}

}  // namespace tt::services
