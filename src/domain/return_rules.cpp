#include "domain/return_rules.hpp"

namespace tt::domain {

NormalisedCode normalise_return_code(std::string_view raw) {
  NormalisedCode out = normalise_code(raw, "return ticket code", kReturnCodeMax);
  if (out.ok() && out.code.size() < kReturnCodeMin) {
    out.error = "The return ticket code is too short: at least " + std::to_string(kReturnCodeMin) + " characters.";
  }
  return out;
}

std::string_view to_string(ReturnStatus s) noexcept {
  switch (s) {
    case ReturnStatus::open: return "open";
    case ReturnStatus::committed: return "committed";
    case ReturnStatus::cancelled: return "cancelled";
  }
  return "open";
}

std::optional<ReturnStatus> parse_return_status(std::string_view s) noexcept {
  for (ReturnStatus r : {ReturnStatus::open, ReturnStatus::committed, ReturnStatus::cancelled}) {
    if (s == to_string(r)) return r;
  }
  return std::nullopt;
}

std::string_view to_string(ReturnAddResult r) noexcept {
  switch (r) {
    case ReturnAddResult::added: return "added";
    case ReturnAddResult::already_on_ticket: return "already_on_ticket";
    case ReturnAddResult::rejected: return "rejected";
  }
  return "rejected";
}

Error error_of(ReturnRejection r) noexcept {
  switch (r) {
    case ReturnRejection::ticket_closed: return Error::ticket_closed;
    case ReturnRejection::not_found: return Error::not_found;
    case ReturnRejection::not_a_parent: return Error::not_a_parent;
    case ReturnRejection::on_another_ticket: return Error::on_another_ticket;
    case ReturnRejection::already_returned: return Error::already_returned;
    case ReturnRejection::not_on_bill: return Error::not_on_bill;
    case ReturnRejection::none: break;
  }
  return Error::internal;
}

ReturnAddDecision decide_return_add(const ReturnAddState& s) noexcept {
  const auto refuse = [](ReturnRejection r) { return ReturnAddDecision{ReturnAddResult::rejected, r}; };
  if (s.ticket != ReturnStatus::open) return refuse(ReturnRejection::ticket_closed);
  if (!s.bag_found) return refuse(ReturnRejection::not_found);
  if (!s.bag_is_parent) return refuse(ReturnRejection::not_a_parent);
  if (s.on_this_ticket) return {ReturnAddResult::already_on_ticket, ReturnRejection::none};
  if (s.other_open_ticket) return refuse(ReturnRejection::on_another_ticket);
  if (!s.bill) return refuse(s.returned_on ? ReturnRejection::already_returned : ReturnRejection::not_on_bill);
  return {ReturnAddResult::added, ReturnRejection::none};
}

ReturnRejection check_ticket_change(ReturnStatus s) noexcept {
  return s == ReturnStatus::open ? ReturnRejection::none : ReturnRejection::ticket_closed;
}

std::string describe_return_rejection(ReturnRejection r, const std::string& ticket, const std::string& bag,
                                      const ReturnAddState& s) {
  switch (r) {
    case ReturnRejection::ticket_closed:
      return "Return ticket " + ticket + " is " + std::string(to_string(s.ticket)) + ": it changes no more.";
    case ReturnRejection::not_found: return "There is no parent bag " + bag + ".";
    case ReturnRejection::not_a_parent: return bag + " is a child bag; only parent bags are returned.";
    case ReturnRejection::on_another_ticket:
      return "Parent bag " + bag + " is already on return ticket " + s.other_open_ticket.value_or("?") + ".";
    case ReturnRejection::already_returned:
      return "Parent bag " + bag + " was already returned on ticket " + s.returned_on.value_or("?") +
             " and is on no bill since.";
    case ReturnRejection::not_on_bill: return "Parent bag " + bag + " is on no bill: there is nothing to return it from.";
    case ReturnRejection::none: break;
  }
  return {};
}

}  // namespace tt::domain
