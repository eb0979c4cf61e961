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
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::string_view kBillColumns =
    "SELECT b.id, b.uid, b.code, b.description, b.destination, b.vehicle, b.capacity, b.status, b.area_id, a.name,"
    " u.username, b.created_at, b.updated_at, b.completed_at"
    " FROM bills b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by";

Bill bill_from(const storage::Row& r) {
  Bill b;
  b.id = r.i64(0);
  b.uid = r.text(1);
  b.code = r.text(2);
  b.description = r.text(3);
  b.destination = r.opt_text(4);
  b.vehicle = r.opt_text(5);
  b.capacity = r.i64(6);
  b.status = r.text(7);
  b.area_id = r.opt_i64(8);
  b.area = r.opt_text(9);
  b.created_by = r.opt_text(10);
  b.created_at = r.i64(11);
  b.updated_at = r.i64(12);
  b.completed_at = r.opt_i64(13);
  return b;
}

std::string bill_code_or_throw(const std::string& raw) {
  auto n = domain::normalise_bill_code(raw);
  if (!n.ok()) throw domain::Failure(domain::Error::invalid_code, n.error);
  return std::move(n.code);
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
  auto row = co_await tx.query_one(std::string(kBillColumns) + " WHERE b.code = $1", storage::params(code));
  if (!row) co_return std::nullopt;
  Bill b = bill_from(*row);
  if (!caller.may_see(b.area_id)) co_return std::nullopt;
  co_return b;
}

// The bill, locked for a change (PostgreSQL), or 404.
asio::awaitable<Bill> lock_bill(storage::Tx& tx, const Caller& caller, const std::string& code) {
  if (tx.dialect() == storage::Dialect::postgres) {
    co_await tx.query("SELECT id FROM bills WHERE code = $1 FOR UPDATE", storage::params(code));
  }
  auto bill = co_await find_bill(tx, caller, code);
  if (!bill) throw no_such_bill(code);
  co_return std::move(*bill);
}

asio::awaitable<std::vector<BillParent>> parents_of(storage::Tx& tx, std::int64_t bill_id,
                                                    const domain::Settings& settings) {
  auto rows = co_await tx.query(
      "SELECT p.code, p.kind, bp.added_at, u.username, (SELECT COUNT(*) FROM links l WHERE l.parent_id = p.id)"
      " FROM bill_parents bp JOIN bags p ON p.id = bp.parent_id LEFT JOIN users u ON u.id = bp.added_by"
      " WHERE bp.bill_id = $1 ORDER BY bp.added_at, bp.id",
      storage::params(bill_id));
  std::vector<BillParent> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    BillParent p;
    p.code = r.text(0);
    p.kind = r.opt_text(1).value_or("");
    p.added_at = r.i64(2);
    p.added_by = r.opt_text(3);
    p.child_count = r.i64(4);
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
                        {"status", b.status}};
}

asio::awaitable<std::int64_t> parent_count(storage::Tx& tx, std::int64_t bill_id) {
  auto row = co_await tx.query_one("SELECT COUNT(*) FROM bill_parents WHERE bill_id = $1", storage::params(bill_id));
  co_return row->i64(0);
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

domain::BillStatus status_of(const Bill& b) {
  return domain::parse_bill_status(b.status).value_or(domain::BillStatus::open);
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
  const std::int64_t now = util::now_us();
  auto row = co_await tx.query_one(
      "INSERT INTO bills (uid, code, description, destination, vehicle, capacity, status, area_id, created_by,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $9)"
      " ON CONFLICT (code) DO NOTHING RETURNING id",
      storage::params(util::uuid_v7(), nb.code, nb.description, nb.destination, nb.vehicle, nb.capacity,
                      caller.area_id, caller.user_id, now));
  if (!row) throw domain::Failure(domain::Error::bill_exists, "A bill with the code " + nb.code + " exists already.");
  auto bill = co_await find_bill(tx, caller, nb.code);
  co_await record_audit(tx, caller, make_audit_entry("bill_create", "bill", nb.code, std::nullopt, snapshot(*bill)));
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
  const std::int64_t parents = co_await parent_count(tx, bill.id);
  if (auto r = domain::check_edit(status_of(bill), patch.capacity, parents); r != domain::BillRejection::none) {
    throw refused(r, edit_refusal_message(r, code, parents));
  }
  const nlohmann::json before = snapshot(bill);
  if (patch.description) bill.description = *patch.description;
  if (patch.destination) bill.destination = *patch.destination;
  if (patch.vehicle) bill.vehicle = *patch.vehicle;
  if (patch.capacity) bill.capacity = *patch.capacity;
  bill.updated_at = util::now_us();
  co_await tx.exec(
      "UPDATE bills SET description = $1, destination = $2, vehicle = $3, capacity = $4, updated_at = $5 WHERE id = $6",
      storage::params(bill.description, bill.destination, bill.vehicle, bill.capacity, bill.updated_at, bill.id));
  co_await record_audit(tx, caller, make_audit_entry("bill_update", "bill", code, before, snapshot(bill)));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<BillDetail> get_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  auto bill = co_await find_bill(tx, caller, code);
  if (!bill) throw no_such_bill(code);
  BillDetail d;
  d.parents = co_await parents_of(tx, bill->id, *settings);
  bill->figures = figures_of(d.parents, *settings);
  d.bill = std::move(*bill);
  co_return d;
}

asio::awaitable<BillPage> list_bills(storage::Tx& tx, Caller caller, BillFilter f, SettingsPtr settings) {
  std::string sql(kBillColumns);
  sql += " WHERE 1 = 1";
  storage::Params p;
  auto placeholder = [&p](storage::Value v) {
    p.push_back(std::move(v));
    // Appended, not `"$" + std::to_string(...)`: GCC 12 at -O3 reports a false -Wrestrict there.
    std::string ph = "$";
    ph += std::to_string(p.size());
    return ph;
  };
  if (f.status) sql += " AND b.status = " + placeholder(*f.status);
  if (f.code) {
    sql += " AND b.code >= " + placeholder(*f.code);
    sql += " AND b.code < " + placeholder(domain::prefix_upper_bound(*f.code));
  }
  if (!caller.sees_all_areas()) {
    if (!caller.area_id) co_return BillPage{};
    sql += " AND b.area_id = " + placeholder(*caller.area_id);
  }
  const std::int64_t per_page = std::clamp<std::int64_t>(f.per_page, 1, 200);
  const std::int64_t page = std::max<std::int64_t>(f.page, 1);
  sql += " ORDER BY b.created_at DESC, b.id DESC LIMIT " + placeholder(per_page + 1);
  sql += " OFFSET " + placeholder((page - 1) * per_page);
  auto rows = co_await tx.query(sql, std::move(p));
  BillPage out;
  out.has_more = static_cast<std::int64_t>(rows.size()) > per_page;
  if (out.has_more) rows.pop_back();
  if (rows.empty()) co_return out;
  for (const auto& r : rows) out.bills.push_back(bill_from(r));

  // Figures of the whole page in one query: each parent's kind and child count, by bill.
  std::string ids;
  storage::Params ip;
  for (const auto& b : out.bills) {
    ip.push_back(b.id);
    ids += ids.empty() ? "$" : ", $";
    ids += std::to_string(ip.size());
  }
  auto counts = co_await tx.query(
      "SELECT bp.bill_id, p.kind, (SELECT COUNT(*) FROM links l WHERE l.parent_id = p.id)"
      " FROM bill_parents bp JOIN bags p ON p.id = bp.parent_id WHERE bp.bill_id IN (" + ids + ")",
      std::move(ip));
  std::map<std::int64_t, std::vector<domain::BillParentCount>> by_bill;
  for (const auto& r : counts) by_bill[r.i64(0)].push_back({r.opt_text(1).value_or(""), r.i64(2)});
  for (auto& b : out.bills) b.figures = domain::bill_figures(by_bill[b.id], *settings);
  co_return out;
}

asio::awaitable<BillFill> add_parent_to_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                             std::string raw_parent, SettingsPtr settings,
                                             std::optional<std::string> client_scan_id) {
  const std::int64_t now = util::now_us();
  BillFill out;
  auto bill_code = domain::normalise_bill_code(raw_bill);
  auto parent_code = domain::normalise_code(raw_parent, "parent code");
  ScanRecord rec = bill_add_record(now, bill_code, raw_bill, parent_code, raw_parent);
  std::optional<Bill> bill;
  std::optional<storage::Row> parent;
  if (!bill_code.ok() || !parent_code.ok()) {
    out.refusal = Refusal{domain::Error::invalid_code, bill_code.ok() ? parent_code.error : bill_code.error};
  } else {
    out.parent = parent_code.code;
    if (tx.dialect() == storage::Dialect::postgres) {
      co_await tx.query("SELECT id FROM bills WHERE code = $1 FOR UPDATE", storage::params(bill_code.code));
    }
    bill = co_await find_bill(tx, caller, bill_code.code);
    if (!bill) out.refusal = Refusal{domain::Error::not_found, "There is no bill " + bill_code.code + "."};
  }
  if (!out.refusal) {
    parent = co_await tx.query_one("SELECT b.id, b.type, b.area_id, bp.bill_id, bl.code FROM bags b"
                                   " LEFT JOIN bill_parents bp ON bp.parent_id = b.id"
                                   " LEFT JOIN bills bl ON bl.id = bp.bill_id WHERE b.code = $1",
                                   storage::params(parent_code.code));
    if (!parent || !caller.may_see(parent->opt_i64(2))) {
      out.refusal = Refusal{domain::Error::not_found, "There is no parent bag " + parent_code.code + "."};
    } else if (parent->text(1) != "parent") {
      out.refusal = Refusal{domain::Error::not_a_parent, parent_code.code + " is a child bag; only parent bags go on bills."};
    }
    rec.area_id = parent ? parent->opt_i64(2) : std::nullopt;
  }
  for (int attempt = 1; !out.refusal; ++attempt) {
    domain::BillAddState st;
    st.status = status_of(*bill);
    st.bill_id = bill->id;
    st.parent_on_bill = parent->opt_i64(3);
    st.parent_count = co_await parent_count(tx, bill->id);
    st.capacity = bill->capacity;
    const auto decision = domain::decide_bill_add(st);
    if (decision.result == domain::BillAddResult::already_on_bill) {
      out.result = "already_on_bill";
      rec.result = "already_linked";
      break;
    }
    if (decision.result == domain::BillAddResult::rejected) {
      std::string message;
      switch (decision.reason) {
        case domain::BillRejection::bill_completed:
          message = "Bill " + bill->code + " is completed: no parent bags can be added.";
          break;
        case domain::BillRejection::on_another_bill:
          message = "Parent bag " + out.parent + " is already on bill " + parent->opt_text(4).value_or("?") + ".";
          break;
        case domain::BillRejection::bill_full:
          message = "Bill " + bill->code + " is full: it carries " + std::to_string(st.parent_count) + " of " +
                    std::to_string(bill->capacity) + " parent bags.";
          break;
        default: break;
      }
      out.refusal = Refusal{domain::error_of(decision.reason),
                            message};
      break;
    }
    auto inserted = co_await tx.query_one(
        "INSERT INTO bill_parents (uid, bill_id, parent_id, added_by, added_at) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (parent_id) DO NOTHING RETURNING id",
        storage::params(util::uuid_v7(), bill->id, parent->i64(0), caller.user_id, now));
    if (!inserted) {
      // Put on a bill by someone else at this moment: decide again on what is there now.
      if (attempt >= 3) throw storage::DbError("parent bag " + out.parent + " changed bills repeatedly");
      parent = co_await tx.query_one("SELECT b.id, b.type, b.area_id, bp.bill_id, bl.code FROM bags b"
                                     " LEFT JOIN bill_parents bp ON bp.parent_id = b.id"
                                     " LEFT JOIN bills bl ON bl.id = bp.bill_id WHERE b.code = $1",
                                     storage::params(out.parent));
      continue;
    }
    out.result = "added";
    rec.result = "linked";
    co_await record_audit(tx, caller,
                          make_audit_entry("bill_add_parent", "bill", bill->code, std::nullopt, parent_entry(out.parent)));
    break;
  }
  if (out.refusal) rec.reason = std::string(domain::to_string(out.refusal->code));
  co_await record_scan(tx, caller, std::move(rec), std::move(client_scan_id));
  if (!out.refusal) out.bill = co_await with_figures(tx, std::move(*bill), *settings);
  co_return out;
}

asio::awaitable<Bill> remove_parent_from_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                              std::string raw_parent, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_bill);
  auto parent_code = domain::normalise_code(raw_parent, "parent code");
  if (!parent_code.ok()) throw domain::Failure(domain::Error::invalid_code, parent_code.error);
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_remove_parent(status_of(bill)); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is completed: its parent bags cannot change.");
  }
  auto removed = co_await tx.exec(
      "DELETE FROM bill_parents WHERE bill_id = $1 AND parent_id = (SELECT id FROM bags WHERE code = $2)",
      storage::params(bill.id, parent_code.code));
  if (removed == 0) {
    throw domain::Failure(domain::Error::not_on_bill, "Parent bag " + parent_code.code + " is not on bill " + code + ".");
  }
  bill.updated_at = util::now_us();
  co_await tx.exec("UPDATE bills SET updated_at = $1 WHERE id = $2", storage::params(bill.updated_at, bill.id));
  co_await record_audit(tx, caller,
                        make_audit_entry("bill_remove_parent", "bill", code, parent_entry(parent_code.code),
                                   std::nullopt));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<Bill> complete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_complete(status_of(bill)); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is already completed.");
  }
  if (tx.dialect() == storage::Dialect::postgres) {
    // Scans into these parents hold their rows while they link: wait for them, and make later
    // scans see the completed bill.
    co_await tx.query(
        "SELECT id FROM bags WHERE id IN (SELECT parent_id FROM bill_parents WHERE bill_id = $1) ORDER BY id FOR UPDATE",
        storage::params(bill.id));
  }
  const nlohmann::json before = snapshot(bill);
  bill.status = "completed";
  bill.updated_at = bill.completed_at.emplace(util::now_us());
  co_await tx.exec("UPDATE bills SET status = 'completed', completed_at = $1, updated_at = $1 WHERE id = $2",
                   storage::params(bill.updated_at, bill.id));
  co_await record_audit(tx, caller, make_audit_entry("bill_complete", "bill", code, before, snapshot(bill)));
  co_return co_await with_figures(tx, std::move(bill), *settings);
}

asio::awaitable<Bill> reopen_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bill_code_or_throw(raw_code);
  Bill bill = co_await lock_bill(tx, caller, code);
  if (auto r = domain::check_reopen(status_of(bill)); r != domain::BillRejection::none) {
    throw refused(r, "Bill " + code + " is open; only a completed bill can be reopened.");
  }
  const nlohmann::json before = snapshot(bill);
  bill.status = "open";
  bill.completed_at.reset();
  bill.updated_at = util::now_us();
  co_await tx.exec("UPDATE bills SET status = 'open', completed_at = NULL, updated_at = $1 WHERE id = $2",
                   storage::params(bill.updated_at, bill.id));
  co_await record_audit(tx, caller, make_audit_entry("bill_reopen", "bill", code, before, snapshot(bill)));
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
  co_await tx.exec("DELETE FROM bill_parents WHERE bill_id = $1", storage::params(bill.id));
  co_await tx.exec("DELETE FROM bills WHERE id = $1", storage::params(bill.id));
  co_await record_audit(tx, caller, make_audit_entry("bill_delete", "bill", code, before, std::nullopt));
  co_return bill;
}

}  // namespace tt::services
