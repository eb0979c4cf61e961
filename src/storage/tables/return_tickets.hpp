// The return_tickets and return_ticket_bags tables (SPEC §1, §3.8): a ticket's row, the parent bags
// on it, and the snapshot each bag gets when its ticket is committed. One open ticket per bag is
// the UNIQUE open_parent_id (the parent's id while the ticket is open, NULL once it is closed).
//
// A change of a ticket locks its row first (lock), which orders adds, removals, commits and
// cancellations of one ticket.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/return_rules.hpp"
#include "storage/database.hpp"

namespace tt::storage {

struct ReturnTicketRow {
  std::int64_t id = 0;
  std::string code;
  std::string note;
  domain::ReturnStatus status = domain::ReturnStatus::open;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> area;        // the area's name
  std::optional<std::string> created_by;  // username
  std::int64_t created_at = 0;            // microseconds since the epoch
  std::optional<std::string> closed_by;
  std::optional<std::int64_t> closed_at;
  std::int64_t bag_count = 0;
};

// A parent bag on a ticket: now (bill, children) while open, its snapshot once committed.
struct ReturnBagRow {
  std::int64_t parent_id = 0;
  std::string code;
  std::string kind;
  std::int64_t added_at = 0;
  std::optional<std::string> added_by;     // username
  std::optional<std::string> bill;         // the bill it is on now (open ticket) or was on (committed)
  std::int64_t child_count = 0;            // now, or at the commit
  std::optional<double> weight_kg;         // at the commit
  std::optional<std::string> children_json;  // at the commit: ["C1", ...]
};

// What scanning a bag onto a ticket needs to know about the bag.
struct BagForReturn {
  std::int64_t id = 0;
  bool is_parent = false;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> bill;               // the bill it is on now
  std::optional<std::string> open_ticket;        // the open ticket it is on
  std::optional<std::string> returned_on;        // the last committed ticket that returned it
};

// A bag returned on a committed ticket, for a bill's page.
struct ReturnedFromBill {
  std::string ticket;
  std::string parent;
  std::optional<std::string> children_json;  // ["C1", ...] at the commit
  double weight_kg = 0;
  std::optional<std::int64_t> at;
  std::optional<std::string> by;
};

namespace return_tickets {

// Inserts an open ticket; nothing when the code is taken.
asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const std::string& code, const std::string& note,
                                                    std::optional<std::int64_t> area_id,
                                                    std::optional<std::int64_t> user_id, std::int64_t at);
asio::awaitable<std::optional<ReturnTicketRow>> find(Tx& tx, const std::string& code);
// The row locked until the transaction ends (PostgreSQL; SQLite's single writer orders them).
asio::awaitable<std::optional<ReturnTicketRow>> lock(Tx& tx, const std::string& code);
// Newest first; `area_id` set: that area's tickets only.
asio::awaitable<std::vector<ReturnTicketRow>> list(Tx& tx, std::optional<std::string> status,
                                                   std::optional<std::int64_t> area_id, std::int64_t limit);
// Closes the ticket (committed or cancelled) and frees its bags for other tickets.
asio::awaitable<void> close(Tx& tx, std::int64_t ticket_id, domain::ReturnStatus status,
                            std::optional<std::int64_t> user_id, std::int64_t at);

}  // namespace return_tickets

namespace return_bags {

asio::awaitable<std::optional<BagForReturn>> bag(Tx& tx, const std::string& code);
// Puts the parent on the ticket; false when it is on an open ticket already (this one or another).
asio::awaitable<bool> add(Tx& tx, std::int64_t ticket_id, std::int64_t parent_id, std::optional<std::int64_t> user_id,
                          std::int64_t at);
// False when the parent is not on the ticket.
asio::awaitable<bool> remove(Tx& tx, std::int64_t ticket_id, const std::string& parent_code);
// In the order they were added.
asio::awaitable<std::vector<ReturnBagRow>> of_ticket(Tx& tx, std::int64_t ticket_id, bool committed);
// Writes what a bag was when its ticket was committed.
asio::awaitable<void> record_snapshot(Tx& tx, std::int64_t ticket_id, std::int64_t parent_id, const std::string& bill,
                                      double weight_kg, const std::string& children_json);
// The children of a parent, by code.
asio::awaitable<std::vector<std::string>> children_of(Tx& tx, std::int64_t parent_id);
// Bags returned from the bill, newest first.
asio::awaitable<std::vector<ReturnedFromBill>> returned_from_bill(Tx& tx, const std::string& bill_code);

}  // namespace return_bags

}  // namespace tt::storage
