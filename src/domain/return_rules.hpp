// Return tickets (SPEC §1, §3.8): a dealer sends unsold parent bags back; a biller opens a ticket,
// scans parent bags onto it, and commits it (every parent comes off its bill) or cancels it
// (nothing changes but the ticket). The rules for scanning a bag onto a ticket and for closing a
// ticket are decided here, once, from the state the service read in its transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/bag_code.hpp"
#include "domain/errors.hpp"

namespace tt::domain {

inline constexpr std::size_t kReturnCodeMin = 3;
inline constexpr std::size_t kReturnCodeMax = 50;
inline constexpr std::size_t kReturnNoteMax = 500;

// Ticket codes follow the bill code rules (trimmed, upper-cased, printable ASCII, 3 to 50).
NormalisedCode normalise_return_code(std::string_view raw);

enum class ReturnStatus { open, committed, cancelled };
std::string_view to_string(ReturnStatus s) noexcept;  // "open", "committed", "cancelled"
std::optional<ReturnStatus> parse_return_status(std::string_view s) noexcept;

enum class ReturnAddResult { added, already_on_ticket, rejected };
std::string_view to_string(ReturnAddResult r) noexcept;  // "added", "already_on_ticket", "rejected"

// Why a bag was refused a place on a ticket, or a ticket refused a change; each is the error code
// of the same name (error_of).
enum class ReturnRejection {
  none,
  ticket_closed,      // the ticket is committed or cancelled: it changes no more
  not_found,          // no such bag, or one in an area the caller cannot see
  not_a_parent,       // a child bag: only parent bags are returned
  on_another_ticket,  // the bag is on another open ticket
  already_returned,   // the bag came back on a committed ticket and is on no bill since
  not_on_bill,        // the bag is on no bill: there is nothing to return it from
};
Error error_of(ReturnRejection r) noexcept;

// What the service knows when a parent code is scanned onto a ticket.
struct ReturnAddState {
  ReturnStatus ticket = ReturnStatus::open;
  bool bag_found = false;                      // exists and the caller may see it
  bool bag_is_parent = false;
  bool on_this_ticket = false;
  std::optional<std::string> other_open_ticket;  // the open ticket the bag is on, if another
  std::optional<std::string> bill;             // the bill the bag is on now
  std::optional<std::string> returned_on;      // the last committed ticket that returned it
};

struct ReturnAddDecision {
  ReturnAddResult result = ReturnAddResult::rejected;
  ReturnRejection reason = ReturnRejection::none;
};

// In order: the ticket must be open; the bag must exist, be visible and be a parent; a bag already
// on this ticket is `already_on_ticket` (scanners double-fire); a bag on another open ticket is
// refused; a bag on no bill is refused (already_returned when a committed ticket returned it).
ReturnAddDecision decide_return_add(const ReturnAddState& s) noexcept;

// Removing a bag, committing or cancelling: only an open ticket changes.
ReturnRejection check_ticket_change(ReturnStatus s) noexcept;

// The message of a refusal, naming the codes.
std::string describe_return_rejection(ReturnRejection r, const std::string& ticket, const std::string& bag,
                                      const ReturnAddState& s);

}  // namespace tt::domain
