#include "services/returns.hpp"

#include <nlohmann/json.hpp>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/user_rules.hpp"
#include "services/areas.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "services/bills.hpp"
#include "services/scan_log.hpp"
#include "services/input_codes.hpp"
#include "storage/tables/bills.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::int64_t kListLimit = 200;

domain::Failure no_such_ticket(const std::string& code) {
  return domain::Failure(domain::Error::not_found, "There is no return ticket " + code + ".");
}

void require_open(const ReturnTicket& t) {
  const domain::ReturnRejection r = domain::check_ticket_change(t.status);
  if (r != domain::ReturnRejection::none) {
    domain::ReturnAddState st;
    st.ticket = t.status;
    throw domain::Failure(domain::error_of(r), domain::describe_return_rejection(r, t.code, "", st));
  }
}

std::vector<std::string> children_of_json(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

ReturnBag bag_of(const storage::ReturnBagRow& r, const domain::Settings& settings) {
  ReturnBag b;
  b.code = r.code;
  b.kind = r.kind;
  b.added_at = r.added_at;
  b.added_by = r.added_by;
  b.bill = r.bill;
  b.children = children_of_json(r.children_json);
  b.child_count = r.children_json ? static_cast<std::int64_t>(b.children.size()) : r.child_count;
  b.weight_kg = r.weight_kg ? *r.weight_kg : static_cast<double>(b.child_count) * settings.child_weight_kg;
  return b;
}

asio::awaitable<ReturnDetail> detail_of(storage::Tx& tx, ReturnTicket ticket, const domain::Settings& settings) {
  ReturnDetail d;
  const bool committed = ticket.status == domain::ReturnStatus::committed;
  const auto rows = co_await storage::return_bags::of_ticket(tx, ticket.id, committed);
  for (const auto& r : rows) d.bags.push_back(bag_of(r, settings));
  d.ticket = std::move(ticket);
  co_return d;
}

// The ticket, its row locked for a change, or not_found (also for another area's ticket).
asio::awaitable<ReturnTicket> locked_ticket(storage::Tx& tx, const Caller& caller, const std::string& code) {
  auto t = co_await storage::return_tickets::lock(tx, code);
  if (!t || !caller.may_see(t->area_id)) throw no_such_ticket(code);
  co_return std::move(*t);
}

// The scan log entry of an attempt to put a bag on a ticket. A plain function (storage/job.hpp).
ScanRecord return_record(std::int64_t now, const std::string& bag, const std::optional<std::string>& bill,
                         std::optional<std::int64_t> area) {
  return ScanRecord{now, "return", bag, std::nullopt, bill, "rejected", std::nullopt, area};
}

nlohmann::json bag_snapshot(const std::string& bill, double weight, const std::vector<std::string>& children) {
  nlohmann::json j;
  j["bill"] = bill;
  j["weight_kg"] = weight;
  j["children"] = children;
  return j;
}

nlohmann::json ticket_entry(const std::string& ticket) { return nlohmann::json{{"return_ticket", ticket}}; }

}  // namespace

asio::awaitable<ReturnDetail> create_return(storage::Tx& tx, Caller caller, NewReturn ticket, SettingsPtr settings) {
  const std::string code = ticket_code_or_throw(ticket.code);
  const std::string note = domain::trim(ticket.note);
  if (auto e = domain::validate_bill_text("note", note, domain::kReturnNoteMax)) {
    throw domain::Failure(domain::Error::invalid_field, *e);
  }
  std::optional<std::int64_t> area = caller.area_id;
  if (ticket.area && caller.sees_all_areas() && !caller.area_id) {
    area = (co_await require_area(tx, *ticket.area)).id;
  }
  const std::int64_t now = util::now_us();
  auto id = co_await storage::return_tickets::insert(tx, code, note, area, caller.user(), now);
  if (!id) throw domain::Failure(domain::Error::return_exists, "Return ticket " + code + " exists already.");
  nlohmann::json after;
  after["note"] = note;
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::return_create, "return", code, std::nullopt, after));
  auto row = co_await storage::return_tickets::find(tx, code);
  co_return co_await detail_of(tx, std::move(*row), *settings);
}

asio::awaitable<std::vector<ReturnTicket>> list_returns(storage::Tx& tx, Caller caller,
                                                        std::optional<std::string> status) {
  if (status && !domain::parse_return_status(*status)) {
    throw domain::Failure(domain::Error::invalid_request, "The status is open, committed or cancelled.");
  }
  std::optional<std::int64_t> area;
  if (!caller.sees_all_areas()) area = caller.area_id.value_or(-1);
  co_return co_await storage::return_tickets::list(tx, status, area, kListLimit);
}

asio::awaitable<ReturnDetail> find_return(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = ticket_code_or_throw(raw_code);
  auto t = co_await storage::return_tickets::find(tx, code);
  if (!t || !caller.may_see(t->area_id)) throw no_such_ticket(code);
  co_return co_await detail_of(tx, std::move(*t), *settings);
}

asio::awaitable<ReturnAdd> add_to_return(storage::Tx& tx, Caller caller, std::string raw_ticket, std::string raw_bag,
                                         SettingsPtr settings, std::optional<std::string> client_scan_id) {
  (void)settings;
  const std::string code = ticket_code_or_throw(raw_ticket);
  const std::int64_t now = util::now_us();
  const ReturnTicket ticket = co_await locked_ticket(tx, caller, code);
  ReturnAdd out;
  out.area_id = ticket.area_id;
  auto n = domain::normalise_code(raw_bag, "parent code");
  if (!n.ok()) {
    out.refusal = Refusal{domain::Error::invalid_code, n.error};
    ScanRecord rec = return_record(now, domain::printable_for_log(raw_bag), std::nullopt, ticket.area_id);
    rec.reason = "invalid_code";
    co_await record_scan(tx, caller, std::move(rec), std::move(client_scan_id));
    co_return out;
  }
  out.bag = n.code;
  domain::ReturnAddState st;
  domain::ReturnAddDecision decision;
  std::optional<std::string> bill;
  for (int attempt = 1;; ++attempt) {
    st = domain::ReturnAddState{};
    st.ticket = ticket.status;
    auto bag = co_await storage::return_bags::bag(tx, n.code);
    st.bag_found = bag && caller.may_see(bag->area_id);
    std::int64_t bag_id = 0;
    if (st.bag_found) {
      bag_id = bag->id;
      st.bag_is_parent = bag->is_parent;
      st.on_this_ticket = bag->open_ticket && *bag->open_ticket == code;
      if (bag->open_ticket && !st.on_this_ticket) st.other_open_ticket = bag->open_ticket;
      st.bill = bag->bill;
      st.returned_on = bag->returned_on;
      bill = bag->bill;
    }
    decision = domain::decide_return_add(st);
    if (decision.result != domain::ReturnAddResult::added) break;
    // Added by someone else at this moment (this ticket or another): decide again on what is there.
    // Read into a local, not tested inside the if (the coroutine rule: storage/job.hpp).
    const bool added = co_await storage::return_bags::add(tx, ticket.id, bag_id, caller.user(), now);
    if (added) break;
    if (attempt >= 3) throw storage::DbError("parent bag " + n.code + " changed tickets repeatedly");
  }
  out.result = decision.result;
  ScanRecord rec = return_record(now, n.code, bill, ticket.area_id);
  if (decision.result == domain::ReturnAddResult::rejected) {
    out.refusal = Refusal{domain::error_of(decision.reason),
                          domain::describe_return_rejection(decision.reason, code, n.code, st)};
    rec.reason = std::string(domain::to_string(domain::error_of(decision.reason)));
  } else {
    rec.result = decision.result == domain::ReturnAddResult::added ? "linked" : "already_linked";
  }
  co_await record_scan(tx, caller, std::move(rec), std::move(client_scan_id));
  co_return out;
}

asio::awaitable<ReturnDetail> remove_from_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                                 std::string raw_bag, SettingsPtr settings) {
  const std::string code = ticket_code_or_throw(raw_ticket);
  const std::string bag = bag_code_or_throw(raw_bag, "parent code");
  ReturnTicket ticket = co_await locked_ticket(tx, caller, code);
  require_open(ticket);
  const bool removed = co_await storage::return_bags::remove(tx, ticket.id, bag);
  if (!removed) {
    throw domain::Failure(domain::Error::not_on_ticket, "Parent bag " + bag + " is not on return ticket " + code + ".");
  }
  co_await record_audit(
      tx, caller, make_audit_entry(AuditAction::return_remove_bag, "return", code, ticket_entry(bag), std::nullopt));
  auto row = co_await storage::return_tickets::find(tx, code);
  co_return co_await detail_of(tx, std::move(*row), *settings);
}

asio::awaitable<ReturnDetail> commit_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                            SettingsPtr settings) {
  const std::string code = ticket_code_or_throw(raw_ticket);
  ReturnTicket ticket = co_await locked_ticket(tx, caller, code);
  require_open(ticket);
  const auto bags = co_await storage::return_bags::of_ticket(tx, ticket.id, false);
  if (bags.empty()) {
    throw domain::Failure(domain::Error::invalid_request, "Return ticket " + code + " holds no bags: scan some, or cancel it.");
  }
  const std::int64_t now = util::now_us();
  for (const auto& b : bags) {
    if (!b.bill) {
      throw domain::Failure(domain::Error::not_on_bill, "Parent bag " + b.code +
                                                            " is on no bill any more: remove it from the ticket, then commit.");
    }
    auto bill = co_await storage::bills::lock_bill(tx, *b.bill);
    if (!bill) throw domain::Failure(domain::Error::conflict, "Bill " + *b.bill + " was deleted meanwhile; try again.");
    // The bag's children at this moment: the snapshot later changes do not alter.
    const std::vector<std::string> children = co_await storage::return_bags::children_of(tx, b.parent_id);
    const double weight = static_cast<double>(children.size()) * settings->child_weight_kg;
    const bool taken = co_await take_parent_off_bill(tx, *bill, b.code);
    if (!taken) {
      throw domain::Failure(domain::Error::conflict, "Parent bag " + b.code + " left bill " + *b.bill +
                                                         " meanwhile: nothing was committed; try again.");
    }
    const nlohmann::json snapshot = bag_snapshot(*b.bill, weight, children);
    const std::string children_text = snapshot["children"].dump();
    co_await storage::return_bags::record_snapshot(tx, ticket.id, b.parent_id, *b.bill, weight, children_text);
    co_await record_audit(tx, caller,
                          make_audit_entry(AuditAction::bill_return, "bag", b.code, snapshot, ticket_entry(code)));
  }
  co_await storage::return_tickets::close(tx, ticket.id, domain::ReturnStatus::committed, caller.user(), now);
  nlohmann::json after;
  after["bags"] = bags.size();
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::return_commit, "return", code, std::nullopt, after));
  auto row = co_await storage::return_tickets::find(tx, code);
  co_return co_await detail_of(tx, std::move(*row), *settings);
}

asio::awaitable<ReturnDetail> cancel_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                            SettingsPtr settings) {
  const std::string code = ticket_code_or_throw(raw_ticket);
  ReturnTicket ticket = co_await locked_ticket(tx, caller, code);
  require_open(ticket);
  co_await storage::return_tickets::close(tx, ticket.id, domain::ReturnStatus::cancelled, caller.user(),
                                          util::now_us());
  co_await record_audit(tx, caller,
                        make_audit_entry(AuditAction::return_cancel, "return", code, std::nullopt, std::nullopt));
  auto row = co_await storage::return_tickets::find(tx, code);
  co_return co_await detail_of(tx, std::move(*row), *settings);
}

}  // namespace tt::services
