#include "domain/bill_rules.hpp"

namespace tt::domain {

NormalisedCode normalise_bill_code(std::string_view raw) {
  NormalisedCode out = normalise_code(raw, "bill code", kBillCodeMax);
  if (out.ok() && out.code.size() < kBillCodeMin) {
    out.error = "The bill code is too short: at least " + std::to_string(kBillCodeMin) + " characters.";
  }
  return out;
}

std::optional<std::string> validate_bill_capacity(std::int64_t capacity) {
  if (capacity < kBillCapacityMin || capacity > kBillCapacityMax) {
    return "A bill's capacity is from " + std::to_string(kBillCapacityMin) + " to " + std::to_string(kBillCapacityMax) +
           " parent bags.";
  }
  return std::nullopt;
}

std::optional<std::string> validate_bill_text(std::string_view field, std::string_view value, std::size_t max) {
  if (value.size() > max) {
    return "The " + std::string(field) + " is too long: at most " + std::to_string(max) + " characters.";
  }
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return "The " + std::string(field) + " contains a control character.";
  }
  return std::nullopt;
}

std::string_view to_string(BillStatus s) noexcept { return s == BillStatus::open ? "open" : "completed"; }

std::string_view to_string(BillAddResult r) noexcept {
  switch (r) {
    case BillAddResult::added: return "added";
    case BillAddResult::already_on_bill: return "already_on_bill";
    case BillAddResult::rejected: return "rejected";
  }
  return "rejected";
}

std::optional<BillStatus> parse_bill_status(std::string_view s) noexcept {
  if (s == "open") return BillStatus::open;
  if (s == "completed") return BillStatus::completed;
  return std::nullopt;
}

Error error_of(BillRejection r) noexcept {
  switch (r) {
    case BillRejection::bill_completed: return Error::bill_completed;
    case BillRejection::bill_not_completed: return Error::bill_not_completed;
    case BillRejection::on_another_bill: return Error::on_another_bill;
    case BillRejection::bill_full: return Error::bill_full;
    case BillRejection::capacity_too_small: return Error::capacity_too_small;
    case BillRejection::none: break;
  }
  return Error::internal;
}

BillRejection check_complete(BillStatus status) noexcept {
  return status == BillStatus::completed ? BillRejection::bill_completed : BillRejection::none;
}

BillRejection check_reopen(BillStatus status) noexcept {
  return status == BillStatus::open ? BillRejection::bill_not_completed : BillRejection::none;
}

BillRejection check_edit(BillStatus status, std::optional<std::int64_t> new_capacity, std::int64_t parent_count) noexcept {
  if (status == BillStatus::completed) return BillRejection::bill_completed;
  if (new_capacity && *new_capacity < parent_count) return BillRejection::capacity_too_small;
  return BillRejection::none;
}

BillRejection check_remove_parent(BillStatus status) noexcept {
  return status == BillStatus::completed ? BillRejection::bill_completed : BillRejection::none;
}

BillAddDecision decide_bill_add(const BillAddState& s) noexcept {
  if (s.parent_on_bill && *s.parent_on_bill == s.bill_id) return {BillAddResult::already_on_bill, BillRejection::none};
  if (s.status == BillStatus::completed) return {BillAddResult::rejected, BillRejection::bill_completed};
  if (s.parent_on_bill) return {BillAddResult::rejected, BillRejection::on_another_bill};
  if (s.parent_count >= s.capacity) return {BillAddResult::rejected, BillRejection::bill_full};
  return {BillAddResult::added, BillRejection::none};
}

BillFigures bill_figures(const std::vector<BillParentCount>& parents, const Settings& settings) {
  BillFigures f;
  f.parent_count = static_cast<std::int64_t>(parents.size());
  for (const auto& p : parents) {
    f.child_count += p.child_count;
    f.expected_weight_kg += settings.kind_weight(p.kind);
  }
  f.actual_weight_kg = static_cast<double>(f.child_count) * settings.child_weight_kg;
  f.variance_kg = f.actual_weight_kg - f.expected_weight_kg;
  return f;
}

std::string describe_bill_add_rejection(BillRejection r, const std::string& bill, const std::string& parent,
                                        const std::optional<std::string>& other_bill, std::int64_t parent_count,
                                        std::int64_t capacity) {
  switch (r) {
    case BillRejection::bill_completed: return "Bill " + bill + " is completed: no parent bags can be added.";
    case BillRejection::on_another_bill:
      return "Parent bag " + parent + " is already on bill " + other_bill.value_or("?") + ".";
    case BillRejection::bill_full:
      return "Bill " + bill + " is full: it carries " + std::to_string(parent_count) + " of " +
             std::to_string(capacity) + " parent bags.";
    default: break;
  }
  return {};
}

std::optional<Failure> check_area_transfer(const std::string& code, bool is_parent,
                                           const std::optional<std::string>& bill) {
  if (!is_parent) {
    return Failure(Error::not_a_parent,
                   code + " is a child bag: it moves with its parent bag. Move the parent, or relink the child.");
  }
  if (bill) {
    return Failure(Error::conflict, "Parent bag " + code + " is on bill " + *bill +
                                        ": take it off the bill before moving it to another area.");
  }
  return std::nullopt;
}

}  // namespace tt::domain
