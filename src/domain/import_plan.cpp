#include "domain/import_plan.hpp"

#include <charconv>

#include "domain/bag_code.hpp"
#include "domain/parent_kinds.hpp"
#include "domain/scan_rules.hpp"

namespace tt::domain {

namespace {

// The first refusal of a row.
struct Refused {
  Error code;
  std::string message;
};

class Planner {
 public:
  Planner(ImportState& state, const Identity& who, std::optional<std::int64_t> area, const Settings& settings)
      : state_(state), who_(who), area_(area), settings_(settings), kinds_(describe_parent_kinds(settings.parent_kinds)) {}

  void row(const ImportRow& r, ImportPlan& plan) {
    ++plan.rows;
    if (auto refused = decide(r)) {
      plan.rejections.push_back(ImportRejection{r.line, r.parent, r.child, r.bill, refused->code, std::move(refused->message)});
      return;
    }
    apply(plan);
  }

 private:
  // What an accepted row changes, decided before anything is changed.
  struct Change {
    std::string parent, child, bill;
    bool new_parent = false, new_child = false, link = false, new_bill = false, bill_add = false;
    std::string parent_kind;
    ImportBill bill_fields;
  };

  std::optional<Refused> decide(const ImportRow& r) {
    c_ = Change{};
    if (r.parent.empty() && r.child.empty()) return Refused{Error::invalid_request, "The row names no bag."};
    if (!r.bill.empty() && r.parent.empty()) {
      return Refused{Error::invalid_request, "A bill needs a parent bag in the same row."};
    }
    const ImportBag* parent = nullptr;
    if (!r.parent.empty()) {
      auto n = normalise_code(r.parent, "parent code");
      if (!n.ok()) return Refused{Error::invalid_code, n.error};
      c_.parent = std::move(n.code);
      if (auto refused = decide_parent(parent)) return refused;
    }
    if (!r.child.empty()) {
      auto n = normalise_code(r.child, "bag code");
      if (!n.ok()) return Refused{Error::invalid_code, n.error};
      c_.child = std::move(n.code);
      if (auto refused = decide_child(parent)) return refused;
    }
    if (!r.bill.empty()) {
      auto n = normalise_bill_code(r.bill);
      if (!n.ok()) return Refused{Error::invalid_code, n.error};
      c_.bill = std::move(n.code);
      if (auto refused = decide_bill(r, parent)) return refused;
    }
    return std::nullopt;
  }

  // As scanning a parent: an existing bag must be a visible parent; a new code must be of a kind.
  std::optional<Refused> decide_parent(const ImportBag*& parent) {
    if (auto it = state_.bags.find(c_.parent); it != state_.bags.end()) {
      if (!who_.may_see(it->second.area_id)) return Refused{Error::not_found, "There is no parent bag " + c_.parent + "."};
      if (!it->second.is_parent) return rejected(Rejection::not_a_parent);
      parent = &it->second;
      return std::nullopt;
    }
    const ParentKind* kind = match_parent_kind(settings_.parent_kinds, c_.parent);
    if (!kind) {
      return Refused{Error::not_a_parent,
                     c_.parent + " is not a parent bag code: parent codes are " + kinds_ + "."};
    }
    c_.new_parent = true;
    c_.parent_kind = kind->name;
    return std::nullopt;
  }

  // A child into the parent by the scan's decision table; a child alone must not be a parent.
  std::optional<Refused> decide_child(const ImportBag* parent) {
    const ImportBag* child = nullptr;
    if (auto it = state_.bags.find(c_.child); it != state_.bags.end()) child = &it->second;
    const bool code_is_parent =
        match_parent_kind(settings_.parent_kinds, c_.child) != nullptr || (child && child->is_parent);
    if (c_.parent.empty()) {
      if (code_is_parent) return rejected(Rejection::not_a_child);
      c_.new_child = child == nullptr;
      return std::nullopt;
    }
    ChildScanState st;
    st.parent_found = true;
    st.parent_is_parent = true;
    st.child_code_is_parent = code_is_parent;
    st.parent_id = parent ? parent->id : kNewParentId;
    if (child && child->parent_id) st.child_linked_to = child->parent_id;
    if (parent && parent->bill) {
      auto b = state_.bills.find(*parent->bill);
      st.parent_bill_completed = b != state_.bills.end() && b->second.status == BillStatus::completed;
    }
    st.child_count = parent ? parent->child_count : 0;
    st.capacity = settings_.parent_capacity;
    const ChildScanDecision d = decide_child_scan(st);
    if (d.result == ScanResult::rejected) {
      ChildRejectionFacts f;
      f.parent = c_.parent;
      f.child = c_.child;
      if (child && child->parent_id) {
        f.other_parent = child->parent_code;
        f.other_visible = who_.may_see(child->parent_area);
      }
      if (parent) f.completed_bill = parent->bill;
      f.child_count = st.child_count;
      f.capacity = st.capacity;
      f.parent_kinds = kinds_;
      return Refused{error_of(d.reason), describe_rejection(d.reason, f)};
    }
    c_.link = d.result == ScanResult::linked;
    c_.new_child = child == nullptr;
    return std::nullopt;
  }

  // The parent onto the bill by the bill's decision table; a new bill takes the row's fields.
  std::optional<Refused> decide_bill(const ImportRow& r, const ImportBag* parent) {
    BillAddState st;
    if (auto it = state_.bills.find(c_.bill); it != state_.bills.end()) {
      if (!who_.may_see(it->second.area_id)) return Refused{Error::not_found, "There is no bill " + c_.bill + "."};
      st.status = it->second.status;
      st.bill_id = it->second.id;
      st.parent_count = it->second.parent_count;
      st.capacity = it->second.capacity;
    } else {
      if (auto refused = new_bill_fields(r)) return refused;
      c_.new_bill = true;
      st.bill_id = kNewBillId;
      st.capacity = c_.bill_fields.capacity;
    }
    std::optional<std::string> other;
    if (parent && parent->bill) {
      other = parent->bill;
      st.parent_on_bill = *parent->bill == c_.bill ? st.bill_id : kOtherBillId;
    }
    const BillAddDecision d = decide_bill_add(st);
    if (d.result == BillAddResult::rejected) {
      return Refused{error_of(d.reason),
                     describe_bill_add_rejection(d.reason, c_.bill, c_.parent, other, st.parent_count, st.capacity)};
    }
    c_.bill_add = d.result == BillAddResult::added;
    return std::nullopt;
  }

  std::optional<Refused> new_bill_fields(const ImportRow& r) {
    const std::string& text = r.bill_capacity;
    std::int64_t capacity = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), capacity);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return Refused{Error::invalid_capacity,
                     "Bill " + c_.bill + " is new: give its capacity (parent bags, a whole number) in bill_capacity."};
    }
    if (auto e = validate_bill_capacity(capacity)) return Refused{Error::invalid_capacity, *e};
    if (auto e = validate_bill_text("description", r.bill_description, kBillDescriptionMax)) {
      return Refused{Error::invalid_field, *e};
    }
    if (auto e = validate_bill_text("destination", r.bill_destination, kBillDestinationMax)) {
      return Refused{Error::invalid_field, *e};
    }
    if (auto e = validate_bill_text("vehicle", r.bill_vehicle, kBillVehicleMax)) return Refused{Error::invalid_field, *e};
    c_.bill_fields.capacity = capacity;
    c_.bill_fields.description = r.bill_description;
    if (!r.bill_destination.empty()) c_.bill_fields.destination = r.bill_destination;
    if (!r.bill_vehicle.empty()) c_.bill_fields.vehicle = r.bill_vehicle;
    return std::nullopt;
  }

  Refused rejected(Rejection r) {
    ChildRejectionFacts f;
    f.parent = c_.parent;
    f.child = c_.child;
    f.parent_kinds = kinds_;
    return Refused{error_of(r), describe_rejection(r, f)};
  }

  void apply(ImportPlan& plan) {
    ImportApplied applied;
    bool changed = false;
    ImportBag* parent = nullptr;
    if (!c_.parent.empty()) {
      if (c_.new_parent) {
        ImportBag b;
        b.id = next_id_--;
        b.is_parent = true;
        b.kind = c_.parent_kind;
        b.area_id = area_;
        parent = &state_.bags.emplace(c_.parent, std::move(b)).first->second;
        plan.new_bags.push_back(NewImportBag{c_.parent, true, c_.parent_kind});
        changed = true;
      } else {
        parent = &state_.bags.at(c_.parent);
      }
      applied.code = c_.parent;
      applied.area_id = parent->area_id;
    }
    if (!c_.child.empty()) {
      if (c_.new_child) {
        ImportBag b;
        b.id = next_id_--;
        b.area_id = area_ ? area_ : (parent ? parent->area_id : std::nullopt);
        state_.bags.emplace(c_.child, std::move(b));
        plan.new_bags.push_back(NewImportBag{c_.child, false, {}});
        changed = true;
      }
      ImportBag& child = state_.bags.at(c_.child);
      if (c_.link) {
        child.parent_id = parent->id;
        child.parent_code = c_.parent;
        child.parent_area = parent->area_id;
        ++parent->child_count;
        plan.links.emplace_back(c_.parent, c_.child);
        applied.parent = c_.parent;
        applied.linked = changed = true;
      }
      applied.code = c_.child;
      if (!parent) applied.area_id = child.area_id;
    }
    if (!c_.bill.empty()) {
      if (c_.new_bill) {
        ImportBill b = c_.bill_fields;
        b.id = next_id_--;
        b.area_id = parent->area_id;
        state_.bills.emplace(c_.bill, std::move(b));
        plan.new_bills.push_back(NewImportBill{c_.bill});
        changed = true;
      }
      if (c_.bill_add) {
        ImportBill& bill = state_.bills.at(c_.bill);
        ++bill.parent_count;
        parent->bill = c_.bill;
        plan.bill_adds.emplace_back(c_.bill, c_.parent);
        applied.bill = c_.bill;
        applied.linked = changed = true;
      }
    }
    if (changed) {
      plan.applied.push_back(std::move(applied));
    } else {
      ++plan.unchanged;
    }
  }

  // Ids that no stored row has: a parent or bill the plan creates, and "some other bill".
  static constexpr std::int64_t kNewParentId = -1;
  static constexpr std::int64_t kNewBillId = -1;
  static constexpr std::int64_t kOtherBillId = -2;

  ImportState& state_;
  const Identity& who_;
  std::optional<std::int64_t> area_;
  const Settings& settings_;
  std::string kinds_;
  std::int64_t next_id_ = -10;
  Change c_;
};

}  // namespace

ImportPlan plan_import(const ImportFile& file, ImportState& state, const Identity& who,
                       std::optional<std::int64_t> new_bag_area, const Settings& settings) {
  ImportPlan plan;
  Planner planner(state, who, new_bag_area, settings);
  for (const ImportRow& r : file.rows) planner.row(r, plan);
  return plan;
}

}  // namespace tt::domain
