// The decision table of a parent bag scanned onto a return ticket (SPEC §3.8), in rule order.
#include <doctest/doctest.h>

#include "api/error_status.hpp"
#include "domain/return_rules.hpp"

using namespace tt::domain;

namespace {

// A visible parent bag on bill B-1, on no ticket: it may go onto an open ticket.
ReturnAddState on_bill() {
  ReturnAddState s;
  s.bag_found = true;
  s.bag_is_parent = true;
  s.bill = "B-1";
  return s;
}

ReturnRejection reason(const ReturnAddState& s) { return decide_return_add(s).reason; }

}  // namespace

TEST_CASE("return rules: a parent bag on a bill goes onto an open ticket") {
  CHECK(decide_return_add(on_bill()).result == ReturnAddResult::added);
}

TEST_CASE("return rules: the table, each row against the one before it") {
  struct Row {
    const char* name;
    void (*change)(ReturnAddState&);
    ReturnAddResult result;
    ReturnRejection reason;
  };
  const Row rows[] = {
      {"ticket committed", [](ReturnAddState& s) { s.ticket = ReturnStatus::committed; }, ReturnAddResult::rejected,
       ReturnRejection::ticket_closed},
      {"ticket cancelled", [](ReturnAddState& s) { s.ticket = ReturnStatus::cancelled; }, ReturnAddResult::rejected,
       ReturnRejection::ticket_closed},
      {"unknown or another area's bag", [](ReturnAddState& s) { s.bag_found = false; }, ReturnAddResult::rejected,
       ReturnRejection::not_found},
      {"a child bag", [](ReturnAddState& s) { s.bag_is_parent = false; }, ReturnAddResult::rejected,
       ReturnRejection::not_a_parent},
      {"already on this ticket (double scan)", [](ReturnAddState& s) { s.on_this_ticket = true; },
       ReturnAddResult::already_on_ticket, ReturnRejection::none},
      {"on another open ticket", [](ReturnAddState& s) { s.other_open_ticket = "R-9"; }, ReturnAddResult::rejected,
       ReturnRejection::on_another_ticket},
      {"on no bill", [](ReturnAddState& s) { s.bill.reset(); }, ReturnAddResult::rejected, ReturnRejection::not_on_bill},
      {"returned before, on no bill since",
       [](ReturnAddState& s) {
         s.bill.reset();
         s.returned_on = "R-1";
       },
       ReturnAddResult::rejected, ReturnRejection::already_returned},
      {"returned before, on a bill again", [](ReturnAddState& s) { s.returned_on = "R-1"; }, ReturnAddResult::added,
       ReturnRejection::none},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    ReturnAddState s = on_bill();
    row.change(s);
    CHECK(decide_return_add(s).result == row.result);
    CHECK(reason(s) == row.reason);
  }
}

TEST_CASE("return rules: precedence — a closed ticket first, a double scan before another ticket") {
  ReturnAddState s = on_bill();
  s.ticket = ReturnStatus::committed;
  s.bag_found = false;
  CHECK(reason(s) == ReturnRejection::ticket_closed);
  s = on_bill();
  s.on_this_ticket = true;
  s.bill.reset();  // taken off its bill meanwhile: still only a double scan
  CHECK(decide_return_add(s).result == ReturnAddResult::already_on_ticket);
}

TEST_CASE("return rules: codes, statuses and messages") {
  CHECK(normalise_return_code(" ret-1 ").code == "RET-1");
  CHECK_FALSE(normalise_return_code("R1").ok());
  CHECK(parse_return_status("committed") == ReturnStatus::committed);
  CHECK_FALSE(parse_return_status("done"));
  CHECK(check_ticket_change(ReturnStatus::open) == ReturnRejection::none);
  CHECK(check_ticket_change(ReturnStatus::cancelled) == ReturnRejection::ticket_closed);
  CHECK(tt::api::http_status(error_of(ReturnRejection::on_another_ticket)) == 409);
  CHECK(tt::api::http_status(error_of(ReturnRejection::not_a_parent)) == 422);
  CHECK(tt::api::http_status(error_of(ReturnRejection::not_found)) == 404);
  ReturnAddState s = on_bill();
  s.other_open_ticket = "R-9";
  CHECK(describe_return_rejection(ReturnRejection::on_another_ticket, "R-1", "SB1", s) ==
        "Parent bag SB1 is already on return ticket R-9.");
}
