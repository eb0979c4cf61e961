// Return tickets (SPEC §1, §3.8): a biller opens a ticket (their area; an admin names one or none),
// scans parent bags onto it (domain/return_rules decides), removes a mistaken one, and commits it —
// every parent comes off its bill through the one step that removing a parent from a bill uses
// (services::take_parent_off_bill, under the bill's lock), with a `bill_return` audit entry per bag
// holding the bill, the weight and the children at that moment — or cancels it (only the ticket
// changes). A bill's figures drop by themselves: they are derived from its parents (SPEC §3.4).
//
// Concurrency: every change of a ticket locks its row first; a bag is on one open ticket at a time
// (a UNIQUE column, so two billers adding it at once cannot both succeed); committing locks each
// bill before taking its parent off, so a commit and a bill change are ordered.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/return_rules.hpp"
#include "services/caller.hpp"
#include "services/refusal.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"
#include "storage/tables/return_tickets.hpp"

namespace tt::services {

namespace asio = boost::asio;

using ReturnTicket = storage::ReturnTicketRow;

struct ReturnBag {
  std::string code;
  std::string kind;
  std::int64_t added_at = 0;
  std::optional<std::string> added_by;
  std::optional<std::string> bill;      // now (open ticket) or when committed
  std::int64_t child_count = 0;
  double weight_kg = 0;                 // children x child weight, now or when committed
  std::vector<std::string> children;    // when committed: the children at that moment
};

struct ReturnDetail {
  ReturnTicket ticket;
  std::vector<ReturnBag> bags;  // in the order they were scanned
};

struct NewReturn {
  std::string code;                // as typed
  std::string note;
  std::optional<std::string> area;  // an admin's choice of area (billers: their own)
};

// Throws invalid_code, invalid_field (note), unknown_area, return_exists.
asio::awaitable<ReturnDetail> create_return(storage::Tx& tx, Caller caller, NewReturn ticket, SettingsPtr settings);

// Newest first, at most 200; `status`: open, committed or cancelled. Throws invalid_request.
asio::awaitable<std::vector<ReturnTicket>> list_returns(storage::Tx& tx, Caller caller,
                                                        std::optional<std::string> status);

// Throws invalid_code, not_found.
asio::awaitable<ReturnDetail> find_return(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

struct ReturnAdd : ScanOutcome {
  domain::ReturnAddResult result = domain::ReturnAddResult::rejected;
  std::string bag;                     // normalised
  std::optional<std::int64_t> area_id;  // the ticket's area, for live events
};

// Scans a parent bag onto the ticket; every attempt is in the scan log (action "return"). A ticket
// that does not exist (or is not visible) throws not_found; the rules' refusals are returned.
asio::awaitable<ReturnAdd> add_to_return(storage::Tx& tx, Caller caller, std::string raw_ticket, std::string raw_bag,
                                         SettingsPtr settings, std::optional<std::string> client_scan_id);

// Throws invalid_code, not_found, ticket_closed, not_on_ticket.
asio::awaitable<ReturnDetail> remove_from_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                                 std::string raw_bag, SettingsPtr settings);

// Throws invalid_code, not_found, ticket_closed, not_on_bill (a bag taken off its bill since it was
// scanned: remove it from the ticket), and refuses an empty ticket with invalid_request.
asio::awaitable<ReturnDetail> commit_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                            SettingsPtr settings);

// Throws invalid_code, not_found, ticket_closed.
asio::awaitable<ReturnDetail> cancel_return(storage::Tx& tx, Caller caller, std::string raw_ticket,
                                            SettingsPtr settings);

}  // namespace tt::services
