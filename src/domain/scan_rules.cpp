#include "domain/scan_rules.hpp"

#include <string>

namespace tt::domain {

Error error_of(Rejection r) noexcept {
  switch (r) {
    case Rejection::invalid_code: return Error::invalid_code;
    case Rejection::parent_not_found: return Error::not_found;
    case Rejection::not_a_parent: return Error::not_a_parent;
    case Rejection::not_a_child: return Error::not_a_child;
    case Rejection::linked_elsewhere: return Error::linked_elsewhere;
    case Rejection::bill_completed: return Error::bill_completed;
    case Rejection::parent_full: return Error::parent_full;
    case Rejection::none: break;
  }
  return Error::internal;
}

std::string_view to_string(ScanResult r) noexcept {
  switch (r) {
    case ScanResult::linked: return "linked";
    case ScanResult::already_linked: return "already_linked";
    case ScanResult::rejected: return "rejected";
  }
  return "";
}

ChildScanDecision decide_child_scan(const ChildScanState& s) noexcept {
  auto reject = [](Rejection r) { return ChildScanDecision{ScanResult::rejected, r}; };
  if (!s.child_code_valid || !s.parent_code_valid) return reject(Rejection::invalid_code);
  if (!s.parent_found) return reject(Rejection::parent_not_found);
  if (!s.parent_is_parent) return reject(Rejection::not_a_parent);
  if (s.child_code_is_parent) return reject(Rejection::not_a_child);
  if (s.child_linked_to) {
    if (*s.child_linked_to == s.parent_id) return {ScanResult::already_linked, Rejection::none};
    return reject(Rejection::linked_elsewhere);
  }
  if (s.parent_bill_completed) return reject(Rejection::bill_completed);
  if (s.child_count >= s.capacity) return reject(Rejection::parent_full);
  return {ScanResult::linked, Rejection::none};
}

ParentStatus parent_status(std::int64_t child_count, std::int64_t capacity) noexcept {
  if (child_count <= 0) return ParentStatus::pending;
  if (child_count >= capacity) return ParentStatus::completed;
  return ParentStatus::in_progress;
}

std::string_view to_string(ParentStatus s) noexcept {
  switch (s) {
    case ParentStatus::pending: return "pending";
    case ParentStatus::in_progress: return "in_progress";
    case ParentStatus::completed: return "completed";
  }
  return "";
}

std::string describe_rejection(Rejection r, const ChildRejectionFacts& f) {
  switch (r) {
    case Rejection::parent_not_found: return "There is no parent bag " + f.parent + ".";
    case Rejection::not_a_parent:
      return f.parent + " is a child bag, not a parent: parent codes are " + f.parent_kinds + ".";
    case Rejection::not_a_child: return f.child + " is a parent bag; it cannot go into another parent.";
    case Rejection::linked_elsewhere:
      if (f.other_parent && f.other_visible) {
        return "Bag " + f.child + " is already in parent bag " + *f.other_parent + "; relink it to move it.";
      }
      return "Bag " + f.child + " is already in a parent bag of another area.";
    case Rejection::bill_completed:
      return "Parent bag " + f.parent + " is on bill " + f.completed_bill.value_or("?") +
             ", which is completed: its bags cannot change.";
    case Rejection::parent_full:
      return "Parent bag " + f.parent + " is full: it holds " + std::to_string(f.child_count) + " of " +
             std::to_string(f.capacity) + " children.";
    case Rejection::invalid_code:
    case Rejection::none: break;
  }
  return {};
}

}  // namespace tt::domain
