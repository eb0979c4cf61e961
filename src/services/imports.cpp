#include "services/imports.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/areas.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/sync_capture.hpp"
#include "storage/bulk_insert.hpp"
#include "storage/tables/import_rows.hpp"
#include "storage/tables/import_state.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

using storage::BulkInsert;
using IdsByCode = std::unordered_map<std::string, std::int64_t>;

domain::Failure changed_meanwhile() {
  return domain::Failure(domain::Error::conflict,
                         "Bags or bills named in the file were changed by someone else while it was imported: nothing "
                         "was applied; import it again.");
}

// The distinct normalised codes of the file's bags and bills (cells that are not valid codes are
// left to the plan, which refuses their rows).
struct Codes {
  std::vector<std::string> bags, bills;
};

Codes codes_of(const domain::ImportFile& file) {
  Codes out;
  const auto add = [](std::vector<std::string>& to, const domain::NormalisedCode& n) {
    if (n.ok()) to.push_back(n.code);
  };
  for (const auto& r : file.rows) {
    if (!r.parent.empty()) add(out.bags, domain::normalise_code(r.parent, "parent code"));
    if (!r.child.empty()) add(out.bags, domain::normalise_code(r.child, "bag code"));
    if (!r.bill.empty()) add(out.bills, domain::normalise_bill_code(r.bill));
  }
  for (auto* v : {&out.bags, &out.bills}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return out;
}

// Sends a full batch, or every row left when `all`; RETURNING (id, code) rows go into `ids`, and
// a batch that wrote fewer rows than it held means another transaction got there first.
asio::awaitable<void> flush(storage::Tx& tx, BulkInsert& b, bool all, IdsByCode* ids) {
  if (!all && !b.full()) co_return;
  const std::size_t sent = b.rows();
  const storage::Rows rows = co_await b.flush(tx);
  if (rows.size() != sent) throw changed_meanwhile();
  if (ids) {
    for (const auto& r : rows) ids->emplace(r.text(1), r.i64(0));
  }
}

std::int64_t id_of(const domain::ImportState& state, const IdsByCode& created, const std::string& code, bool bill) {
  if (bill) {
    const auto& b = state.bills.at(code);
    return b.id > 0 ? b.id : created.at(code);
  }
  const auto& b = state.bags.at(code);
  return b.id > 0 ? b.id : created.at(code);
}

nlohmann::json opt_text(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

// The outbox data of an imported bill and of an import's scan row (domain/sync_ops.hpp), in the
// shapes a depot's snapshot writes (storage/tables/sync_outbox.cpp).
nlohmann::json bill_op_data(const std::string& uid, const std::string& code, const domain::ImportBill& b) {
  return nlohmann::json{{"bill", {{"uid", uid}, {"code", code}, {"description", b.description},
                                  {"destination", opt_text(b.destination)}, {"vehicle", opt_text(b.vehicle)},
                                  {"capacity", b.capacity}, {"status", "open"}}}};
}

nlohmann::json import_scan_data(const domain::ImportApplied& a, const std::optional<std::string>& client) {
  return nlohmann::json{{"action", "import"}, {"code", a.code}, {"parent_code", opt_text(a.parent)},
                        {"bill_code", opt_text(a.bill)}, {"result", a.linked ? "linked" : "created"},
                        {"reason", nullptr}, {"client", opt_text(client)}, {"client_scan_id", nullptr}};
}

nlohmann::json counts_json(const ImportReport& r, const std::string& file_name) {
  nlohmann::json j;
  if (!file_name.empty()) j["file"] = file_name;
  j["mode"] = to_string(r.mode);
  j["rows"] = r.rows;
  j["changed"] = r.changed;
  j["unchanged"] = r.unchanged;
  j["rejected"] = r.rejected;
  j["parents_created"] = r.parents_created;
  j["children_created"] = r.children_created;
  j["bills_created"] = r.bills_created;
  j["links"] = r.links;
  j["bill_adds"] = r.bill_adds;
  return j;
}

void fill_report(ImportReport& report, domain::ImportPlan& plan) {
  report.rows = plan.rows;
  report.changed = plan.changed();
  report.unchanged = plan.unchanged;
  report.rejected = static_cast<std::int64_t>(plan.rejections.size());
  if (plan.rejections.size() > kReportedRejections) plan.rejections.resize(kReportedRejections);
  report.rejections = std::move(plan.rejections);
  for (const auto& b : plan.new_bags) ++(b.is_parent ? report.parents_created : report.children_created);
  report.bills_created = static_cast<std::int64_t>(plan.new_bills.size());
  report.links = static_cast<std::int64_t>(plan.links.size());
  report.bill_adds = static_cast<std::int64_t>(plan.bill_adds.size());
}

// Writes the plan: bags, bills, links, bill places, then a log row per changed row.
asio::awaitable<void> write_plan(storage::Tx& tx, const Caller& caller, const domain::ImportPlan& plan,
                                 const domain::ImportState& state, std::int64_t now) {
  const std::optional<std::int64_t> user = caller.user();
  IdsByCode bag_ids, bill_ids;
  BulkInsert bags = storage::import_rows::bags();
  for (const auto& b : plan.new_bags) {
    const domain::ImportBag& s = state.bags.at(b.code);
    std::optional<std::string> kind;
    if (b.is_parent) kind = b.kind;
    const std::string uid = util::uuid_v7();
    const nlohmann::json op{{"bag", {{"uid", uid}, {"code", b.code}, {"type", b.is_parent ? "parent" : "child"},
                                     {"kind", kind ? nlohmann::json(*kind) : nlohmann::json(nullptr)}}}};
    co_await capture_change(tx, domain::SyncOpKind::bag_create, uid, now, caller.username, op, s.area_id);
    storage::import_rows::add_bag(bags, uid, b.code, b.is_parent, std::move(kind), s.area_id, user, now);
    co_await flush(tx, bags, false, &bag_ids);
  }
  co_await flush(tx, bags, true, &bag_ids);

  BulkInsert bills = storage::import_rows::bills();
  for (const auto& nb : plan.new_bills) {
    const std::string uid = util::uuid_v7();
    const domain::ImportBill& b = state.bills.at(nb.code);
    const nlohmann::json op = bill_op_data(uid, nb.code, b);
    co_await capture_change(tx, domain::SyncOpKind::bill_create, uid, now, caller.username, op, b.area_id);
    storage::import_rows::add_bill(bills, uid, nb.code, b, user, now);
    co_await flush(tx, bills, false, &bill_ids);
  }
  co_await flush(tx, bills, true, &bill_ids);

  BulkInsert links = storage::import_rows::links();
  for (const auto& [parent, child] : plan.links) {
    const std::string uid = util::uuid_v7();
    const nlohmann::json op{{"child", child}, {"parent", parent}};
    co_await capture_change(tx, domain::SyncOpKind::link_add, uid, now, caller.username, op, std::nullopt);
    storage::import_rows::add_link(links, uid, id_of(state, bag_ids, parent, false), id_of(state, bag_ids, child, false),
                                   user, now);
    co_await flush(tx, links, false, nullptr);
  }
  co_await flush(tx, links, true, nullptr);

  BulkInsert places = storage::import_rows::bill_places();
  for (const auto& [bill, parent] : plan.bill_adds) {
    const std::string uid = util::uuid_v7();
    const nlohmann::json op{{"bill", bill}, {"parent", parent}};
    co_await capture_change(tx, domain::SyncOpKind::bill_parent_add, uid, now, caller.username, op, std::nullopt);
    storage::import_rows::add_bill_place(places, uid, id_of(state, bill_ids, bill, true),
                                         id_of(state, bag_ids, parent, false), user, now);
    co_await flush(tx, places, false, nullptr);
  }
  co_await flush(tx, places, true, nullptr);

  BulkInsert log = storage::import_rows::scan_log();
  std::optional<std::string> client;
  if (!caller.client.empty()) client = caller.client;
  for (const auto& a : plan.applied) {
    const std::string uid = util::uuid_v7();
    const nlohmann::json op = import_scan_data(a, client);
    co_await capture_change(tx, domain::SyncOpKind::scan, uid, now, caller.username, op, a.area_id);
    storage::import_rows::add_scan(log, uid, now, user, a, client);
    co_await flush(tx, log, false, nullptr);
  }
  co_await flush(tx, log, true, nullptr);
}

}  // namespace

std::string_view to_string(ImportMode m) noexcept {
  switch (m) {
    case ImportMode::check: return "check";
    case ImportMode::all_or_nothing: return "all";
    case ImportMode::valid_rows: return "valid";
  }
  return "check";
}

std::optional<ImportMode> parse_import_mode(std::string_view s) noexcept {
  for (ImportMode m : {ImportMode::check, ImportMode::all_or_nothing, ImportMode::valid_rows}) {
    if (s == to_string(m)) return m;
  }
  return std::nullopt;
}

asio::awaitable<ImportReport> import_links(storage::Tx& tx, Caller caller, ImportRequest request,
                                           SettingsPtr settings) {
  const std::int64_t now = util::now_us();
  std::optional<std::int64_t> area = caller.area_id;
  if (request.area) {
    area = (co_await require_area(tx, *request.area)).id;
  }
  const domain::ImportFile file = domain::read_import_file(*request.file);
  const Codes codes = codes_of(file);
  domain::ImportState state = co_await storage::import_state::load(tx, codes.bags, codes.bills, request.mode != ImportMode::check);
  domain::ImportPlan plan = domain::plan_import(file, state, caller, area, *settings);

  ImportReport report;
  report.mode = request.mode;
  const bool refused = !plan.rejections.empty();
  if (request.mode == ImportMode::check || (request.mode == ImportMode::all_or_nothing && refused)) {
    fill_report(report, plan);
    co_return report;
  }
  co_await write_plan(tx, caller, plan, state, now);
  fill_report(report, plan);
  report.applied = true;
  report.import_id = util::uuid_v7();
  const nlohmann::json after = counts_json(report, request.file_name);
  co_await record_audit(tx, caller,
                        make_audit_entry(AuditAction::import, "import", report.import_id, std::nullopt, after));
  co_return report;
}

}  // namespace tt::services
