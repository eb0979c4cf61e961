// The outcome of scanning a child into a parent (SPEC §3.2), decided from the state the service
// read inside its transaction, and a parent's status. One function decides, so every path that
// links a child (scan, relink) applies the same rules in the same order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/errors.hpp"

namespace tt::domain {

enum class ScanResult { linked, already_linked, rejected };

// Why a scan or a change was refused; each is one error code of SPEC §4 (error_of).
enum class Rejection {
  none,
  invalid_code,      // invalid_code: not a valid bag code
  parent_not_found,  // not_found: no such parent, or in an area the caller cannot see
  not_a_parent,      // not_a_parent: the code named as parent is a child code or a child bag
  not_a_child,       // not_a_child: the code scanned as a child is a parent code or a parent bag
  linked_elsewhere,  // linked_elsewhere: the child is in another parent (relink moves it)
  bill_completed,    // bill_completed: the parent is on a completed bill, whose links are locked
  parent_full,       // parent_full: the parent holds its capacity of children
};

// The error code of a rejection (internal for none, which is no error).
Error error_of(Rejection r) noexcept;

std::string_view to_string(ScanResult r) noexcept;  // "linked", "already_linked", "rejected"

// What the service knows when a child code is scanned into a parent code.
struct ChildScanState {
  bool child_code_valid = true;
  bool parent_code_valid = true;
  bool parent_found = false;         // a bag with the parent code exists and the caller may see it
  bool parent_is_parent = false;     // ... and it is a parent bag
  bool child_code_is_parent = false; // the child code matches a parent kind, or is an existing parent bag
  std::int64_t parent_id = 0;
  std::optional<std::int64_t> child_linked_to;  // the parent the child is in now
  bool parent_bill_completed = false;
  std::int64_t child_count = 0;      // children in the parent now
  std::int64_t capacity = 30;
};

struct ChildScanDecision {
  ScanResult result = ScanResult::rejected;
  Rejection reason = Rejection::none;
};

// The rules in order: codes valid; the parent exists, is visible and is a parent; the child code
// is not a parent's; a child already in this parent is `already_linked` (scanners double-fire, and
// this holds even when the parent is full or its bill completed: nothing changes); a child in
// another parent is `linked_elsewhere`; a parent on a completed bill is locked; a full parent takes
// no more; otherwise the child is linked.
ChildScanDecision decide_child_scan(const ChildScanState& s) noexcept;

// What a person reads about a rejected child scan (or import row): the codes as normalised, the
// parent the child is in now (named only when the caller may see it), the completed bill, the
// parent's children and capacity, and the parent kinds' description (describe_parent_kinds).
struct ChildRejectionFacts {
  std::string parent;
  std::string child;
  std::optional<std::string> other_parent;
  bool other_visible = false;
  std::optional<std::string> completed_bill;
  std::int64_t child_count = 0;
  std::int64_t capacity = 0;
  std::string parent_kinds;
};

// The message of a rejection other than invalid_code (whose message comes from normalise_code);
// empty for none.
std::string describe_rejection(Rejection r, const ChildRejectionFacts& f);

enum class ParentStatus { pending, in_progress, completed };

// pending with no children, completed once it holds its capacity, in progress between.
ParentStatus parent_status(std::int64_t child_count, std::int64_t capacity) noexcept;
std::string_view to_string(ParentStatus s) noexcept;

}  // namespace tt::domain
