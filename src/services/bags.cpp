#include "services/bags.hpp"

#include <algorithm>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/areas.hpp"
#include "services/audit_entry.hpp"
#include "services/input_codes.hpp"
#include "storage/tables/bag_page.hpp"
#include "storage/tables/bag_search.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/links.hpp"

namespace tt::services {

namespace {

domain::Failure no_such_bag(const std::string& code) {
  return domain::Failure(domain::Error::not_found, "There is no bag " + code + ".");
}

// The page of a bag from its rows, whoever may see it: what it weighs comes from the settings.
std::optional<BagDetail> detail_from(std::optional<storage::BagPageRow> row, const domain::Settings& settings) {
  if (!row) return std::nullopt;
  BagDetail d;
  static_cast<storage::BagPageRow&>(d) = std::move(*row);
  if (d.type == "parent") {
    d.capacity = settings.parent_capacity;
    d.weight_kg = static_cast<double>(d.children.size()) * settings.child_weight_kg;
    d.expected_weight_kg = settings.kind_weight(d.kind.value_or(""));
  } else {
    d.weight_kg = settings.child_weight_kg;
  }
  return d;
}

// Audit values of a child freed because its parent was deleted (built outside co_await: storage/job.hpp
// rejects initializer lists inside a co_await expression).
nlohmann::json freed_before(const std::string& parent) { return nlohmann::json{{"parent", parent}}; }
nlohmann::json freed_after() { return nlohmann::json{{"parent", nullptr}, {"because", "parent deleted"}}; }


}  // namespace

asio::awaitable<std::optional<BagDetail>> find_bag(storage::Tx& tx, Caller caller, std::string code,
                                                   SettingsPtr settings, bool with_history) {
  auto row = co_await storage::bag_page::read(tx, code, with_history ? kHistoryLimit : 0);
  std::optional<BagDetail> d = detail_from(std::move(row), *settings);
  if (d && !caller.may_see(d->area_id)) d.reset();
  if (d && with_history) d->disputes = co_await open_disputes(tx, "bag", code);
  co_return d;
}

asio::awaitable<std::optional<BagDetail>> read_bag(storage::Tx& tx, std::string code, SettingsPtr settings) {
  auto row = co_await storage::bag_page::read(tx, code, 0);
  co_return detail_from(std::move(row), *settings);
}

asio::awaitable<std::optional<BagDetail>> create_and_read_bag(storage::Tx& tx, storage::NewBag bag,
                                                              SettingsPtr settings, bool& created) {
  auto row = co_await storage::bag_page::insert_and_read(tx, bag, created);
  co_return detail_from(std::move(row), *settings);
}

asio::awaitable<BagDetail> get_bag(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bag_code_or_throw(raw_code);
  auto bag = co_await find_bag(tx, std::move(caller), code, std::move(settings), true);
  if (!bag) throw no_such_bag(code);
  co_return std::move(*bag);
}

asio::awaitable<BagPage> search_bags(storage::Tx& tx, Caller caller, BagSearch s) {
  if (s.code) s.code = bag_code_or_throw(*s.code, "search code");
  if (s.bill) s.bill = bill_code_or_throw(*s.bill);
  storage::BagSearchFilter f;
  f.code = std::move(s.code);
  f.exact = s.exact;
  f.type = std::move(s.type);
  f.area = std::move(s.area);
  if (!caller.sees_all_areas()) {
    if (!caller.area_id) co_return BagPage{};
    f.visible_area = caller.area_id;
  }
  f.bill = std::move(s.bill);
  f.site = std::move(s.site);
  f.from = s.from;
  f.to = s.to;
  const std::int64_t per_page = std::clamp<std::int64_t>(s.per_page, 1, kMaxPerPage);
  const std::int64_t page = std::max<std::int64_t>(s.page, 1);
  f.limit = per_page + 1;
  f.offset = (page - 1) * per_page;
  std::vector<storage::BagSearchRow> rows = co_await storage::bag_search::find(tx, f);
  BagPage out;
  out.has_more = static_cast<std::int64_t>(rows.size()) > per_page;
  if (out.has_more) rows.pop_back();
  out.bags = std::move(rows);
  co_return out;
}

asio::awaitable<DeletedBag> delete_bag(storage::Tx& tx, Caller caller, std::string raw_code) {
  const std::string code = bag_code_or_throw(raw_code);
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (!bag || !caller.may_see(bag->area_id)) throw no_such_bag(code);
  DeletedBag out;
  out.code = code;
  out.type = bag->type;
  out.area_id = bag->area_id;
  // The bill whose links would change: the parent's own, or the child's parent's.
  std::optional<std::int64_t> parent_id;
  if (bag->is_parent()) {
    parent_id = bag->id;
  } else if (auto link = co_await storage::links::of_child(tx, bag->id)) {
    parent_id = link->parent_id;
    out.parent = link->parent_code;
    // Lock the parent like every other change of its links does.
    co_await storage::bags::lock(tx, *parent_id, *parent_id);
  }
  if (parent_id) {
    if (auto bill = co_await storage::bill_parents::bill_of(tx, *parent_id)) {
      if (bag->is_parent()) out.bill = bill->code;
      if (bill->status == domain::BillStatus::completed) {
        throw domain::Failure(domain::Error::bill_completed,
                              "Bill " + bill->code + " is completed: its bags cannot change. Reopen it first.");
      }
    }
  }
  if (bag->is_parent()) {
    // Each freed child's own history says where it was.
    const std::vector<std::string> children = co_await storage::links::child_codes(tx, bag->id);
    for (const auto& child : children) {
      co_await record_audit(tx, caller,
                            make_audit_entry(AuditAction::unlink, "bag", child, freed_before(code), freed_after()));
    }
    out.children_freed = co_await storage::links::remove_children_of(tx, bag->id);
    co_await storage::bill_parents::detach_from_any(tx, bag->id);
  } else {
    co_await storage::links::remove_of_child(tx, bag->id);
  }
  co_await storage::bags::remove(tx, bag->id);
  nlohmann::json before{{"type", out.type}};
  if (out.parent) before["parent"] = *out.parent;
  if (out.bill) before["bill"] = *out.bill;
  if (out.type == "parent") before["children"] = out.children_freed;
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bag_delete, "bag", code, before, std::nullopt));
  co_return out;
}

asio::awaitable<AreaTransfer> transfer_bag(storage::Tx& tx, Caller caller, std::string raw_code, std::string area_name) {
  const std::string code = bag_code_or_throw(raw_code);
  // The parent's lock keeps its children where they are until the move commits (a scan into it
  // takes the same lock).
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (!bag || !caller.may_see(bag->area_id)) throw no_such_bag(code);
  const Area to = co_await require_area(tx, area_name);
  AreaTransfer out;
  out.code = code;
  out.from_id = bag->area_id;
  out.from = co_await services::area_name(tx, bag->area_id);
  out.to_id = to.id;
  out.to = to.name;
  std::optional<std::string> bill;
  if (bag->is_parent()) {
    if (bag->area_id == to.id) co_return out;  // a repeated request changes nothing
    if (auto on = co_await storage::bill_parents::bill_of(tx, bag->id)) bill = on->code;
  }
  if (auto refusal = domain::check_area_transfer(code, bag->is_parent(), bill)) throw *refusal;
  const std::vector<std::string> children = co_await storage::links::child_codes(tx, bag->id);
  out.children = co_await storage::bags::move_to_area(tx, bag->id, to.id) - 1;
  out.moved = true;
  const nlohmann::json before{{"area", out.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(out.from)}};
  // Each child's own history says it moved, and with which parent.
  for (const auto& child : children) {
    const nlohmann::json after{{"area", out.to}, {"parent", code}};
    co_await record_audit(tx, caller, make_audit_entry(AuditAction::area_transfer, "bag", child, before, after));
  }
  const nlohmann::json after{{"area", out.to}, {"children", out.children}};
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::area_transfer, "bag", code, before, after));
  co_return out;
}

}  // namespace tt::services
