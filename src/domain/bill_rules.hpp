// Bills (SPEC §1, §3.4): codes, fields, the open -> completed life cycle, adding parents, and the
// figures derived from the links of the bill's parents (never from stored counters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bag_code.hpp"
#include "domain/settings.hpp"

#include "domain/errors.hpp"

namespace tt::domain {

inline constexpr std::size_t kBillCodeMin = 3;
inline constexpr std::size_t kBillCodeMax = 50;
inline constexpr std::int64_t kBillCapacityMin = 1;
inline constexpr std::int64_t kBillCapacityMax = 100;
inline constexpr std::size_t kBillDescriptionMax = 500;
inline constexpr std::size_t kBillDestinationMax = 100;
inline constexpr std::size_t kBillVehicleMax = 32;

// Bill codes follow the bag code rules (trimmed, upper-cased, printable ASCII, no whitespace) with
// a length of 3 to 50: "lko-2025-11-25" and "LKO-2025-11-25" are one bill.
NormalisedCode normalise_bill_code(std::string_view raw);

std::optional<std::string> validate_bill_capacity(std::int64_t capacity);
// Free text fields: at most `max` bytes and no control characters.
std::optional<std::string> validate_bill_text(std::string_view field, std::string_view value, std::size_t max);

enum class BillStatus { open, completed };
std::string_view to_string(BillStatus s) noexcept;
std::optional<BillStatus> parse_bill_status(std::string_view s) noexcept;

// Why a bill operation was refused (SPEC §3.4); each is the error code of the same name.
enum class BillRejection {
  none,
  bill_completed,      // a completed bill is locked (fill, remove, edit, complete again)
  bill_not_completed,  // only a completed bill can be reopened
  on_another_bill,     // the parent is on another bill
  bill_full,           // the bill carries its capacity of parents
  capacity_too_small,  // a capacity below the parents already on the bill
};
// The error code of a rejection (internal for none, which is no error).
Error error_of(BillRejection r) noexcept;

BillRejection check_complete(BillStatus status) noexcept;
BillRejection check_reopen(BillStatus status) noexcept;
BillRejection check_edit(BillStatus status, std::optional<std::int64_t> new_capacity, std::int64_t parent_count) noexcept;
BillRejection check_remove_parent(BillStatus status) noexcept;

enum class BillAddResult { added, already_on_bill, rejected };
// "added", "already_on_bill", "rejected": the result field of SPEC §4 answers.
std::string_view to_string(BillAddResult r) noexcept;

struct BillAddState {
  BillStatus status = BillStatus::open;
  std::int64_t bill_id = 0;
  std::optional<std::int64_t> parent_on_bill;  // the bill the parent is on now
  std::int64_t parent_count = 0;                // parents on this bill now
  std::int64_t capacity = 1;
};

struct BillAddDecision {
  BillAddResult result = BillAddResult::rejected;
  BillRejection reason = BillRejection::none;
};

// A parent already on this bill is `already_on_bill` (a double scan changes nothing, even on a
// completed or full bill); a completed bill is locked; a parent on another bill is refused; a full
// bill takes no more.
BillAddDecision decide_bill_add(const BillAddState& s) noexcept;

// The message of a refused bill add (bill_completed, on_another_bill, bill_full): `other_bill` is
// the bill the parent is on now, `parent_count` the parents on this bill.
std::string describe_bill_add_rejection(BillRejection r, const std::string& bill, const std::string& parent,
                                        const std::optional<std::string>& other_bill, std::int64_t parent_count,
                                        std::int64_t capacity);

// One parent on a bill: its kind and how many children it holds now.
struct BillParentCount {
  std::string kind;
  std::int64_t child_count = 0;
};

struct BillFigures {
  std::int64_t parent_count = 0;
  std::int64_t child_count = 0;
  double actual_weight_kg = 0;    // children x child weight
  double expected_weight_kg = 0;  // sum of each parent's kind weight
  double variance_kg = 0;         // actual - expected
};

BillFigures bill_figures(const std::vector<BillParentCount>& parents, const Settings& settings);

// Moving a bag to another dispatch area (POST /bags/{code}/area): only a parent bag moves, with its
// children (a child alone is refused not_a_parent: relink it instead), and not while it is on a
// bill (conflict): a bill is loaded and dispatched from one area. `bill` is the parent's bill.
std::optional<Failure> check_area_transfer(const std::string& code, bool is_parent,
                                           const std::optional<std::string>& bill);

}  // namespace tt::domain
