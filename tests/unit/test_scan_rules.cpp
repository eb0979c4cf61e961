// The outcome of a child scan (SPEC §3.2) and a parent's status.
#include <doctest/doctest.h>

#include "api/error_status.hpp"
#include "domain/scan_rules.hpp"

using namespace tt::domain;

namespace {

// A visible parent (id 1) with room, and a new child code.
ChildScanState open_parent(std::int64_t children = 0, std::int64_t capacity = 30) {
  ChildScanState s;
  s.parent_found = true;
  s.parent_is_parent = true;
  s.parent_id = 1;
  s.child_count = children;
  s.capacity = capacity;
  return s;
}

Rejection reason(const ChildScanState& s) { return decide_child_scan(s).reason; }
ScanResult result(const ChildScanState& s) { return decide_child_scan(s).result; }

}  // namespace

TEST_CASE("child scan: a new child goes into a parent with room") {
  CHECK(result(open_parent()) == ScanResult::linked);
  CHECK(result(open_parent(28)) == ScanResult::linked);
  CHECK(result(open_parent(29)) == ScanResult::linked);  // the 30th child
}

TEST_CASE("child scan: a full parent takes no more") {
  CHECK(reason(open_parent(30)) == Rejection::parent_full);  // the 31st child
  CHECK(reason(open_parent(31)) == Rejection::parent_full);  // capacity lowered below the count
  CHECK(result(open_parent(4, 5)) == ScanResult::linked);
  CHECK(reason(open_parent(5, 5)) == Rejection::parent_full);
}

TEST_CASE("child scan: a double scan is already_linked, even when full or on a completed bill") {
  auto s = open_parent(30);
  s.child_linked_to = 1;
  CHECK(result(s) == ScanResult::already_linked);
  CHECK(reason(s) == Rejection::none);
  s.parent_bill_completed = true;
  CHECK(result(s) == ScanResult::already_linked);
}

TEST_CASE("child scan: a child in another parent is linked_elsewhere") {
  auto s = open_parent(3);
  s.child_linked_to = 2;
  CHECK(reason(s) == Rejection::linked_elsewhere);
}

TEST_CASE("child scan: a parent on a completed bill is locked") {
  auto s = open_parent(3);
  s.parent_bill_completed = true;
  CHECK(reason(s) == Rejection::bill_completed);
}

TEST_CASE("child scan: code and parent checks come first") {
  auto s = open_parent();
  s.child_code_valid = false;
  CHECK(reason(s) == Rejection::invalid_code);
  s = open_parent();
  s.parent_code_valid = false;
  CHECK(reason(s) == Rejection::invalid_code);
  s = open_parent();
  s.parent_found = false;
  CHECK(reason(s) == Rejection::parent_not_found);
  s = open_parent();
  s.parent_is_parent = false;
  CHECK(reason(s) == Rejection::not_a_parent);
  s = open_parent();
  s.child_code_is_parent = true;
  CHECK(reason(s) == Rejection::not_a_child);
}

TEST_CASE("child scan: error codes and statuses of SPEC §4") {
  const auto code = [](Rejection r) { return to_string(error_of(r)); };
  const auto status = [](Rejection r) { return tt::api::http_status(error_of(r)); };
  CHECK(code(Rejection::parent_full) == "parent_full");
  CHECK(status(Rejection::parent_full) == 409);
  CHECK(code(Rejection::linked_elsewhere) == "linked_elsewhere");
  CHECK(status(Rejection::linked_elsewhere) == 409);
  CHECK(code(Rejection::bill_completed) == "bill_completed");
  CHECK(status(Rejection::bill_completed) == 409);
  CHECK(code(Rejection::not_a_child) == "not_a_child");
  CHECK(status(Rejection::not_a_child) == 422);
  CHECK(code(Rejection::invalid_code) == "invalid_code");
  CHECK(status(Rejection::invalid_code) == 422);
  CHECK(code(Rejection::parent_not_found) == "not_found");
  CHECK(status(Rejection::parent_not_found) == 404);
  CHECK(code(Rejection::not_a_parent) == "not_a_parent");
  CHECK(status(Rejection::not_a_parent) == 422);
  CHECK(to_string(ScanResult::already_linked) == "already_linked");
}

TEST_CASE("parent status: pending, in progress, completed at capacity") {
  CHECK(parent_status(0, 30) == ParentStatus::pending);
  CHECK(parent_status(1, 30) == ParentStatus::in_progress);
  CHECK(parent_status(29, 30) == ParentStatus::in_progress);
  CHECK(parent_status(30, 30) == ParentStatus::completed);
  CHECK(parent_status(31, 30) == ParentStatus::completed);
  CHECK(to_string(ParentStatus::in_progress) == "in_progress");
}
