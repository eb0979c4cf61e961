#include "domain/sync_ops.hpp"

#include <array>

namespace tt::domain {

namespace {

constexpr std::array kKinds{
    SyncOpKind::scan,          SyncOpKind::audit,           SyncOpKind::bag_create,
    SyncOpKind::link_add,      SyncOpKind::link_move,       SyncOpKind::link_remove,
    SyncOpKind::bag_delete,    SyncOpKind::bag_area,        SyncOpKind::bill_create,
    SyncOpKind::bill_edit,     SyncOpKind::bill_parent_add, SyncOpKind::bill_parent_remove,
    SyncOpKind::bill_complete, SyncOpKind::bill_reopen,     SyncOpKind::bill_delete,
};
static_assert(kKinds.size() == static_cast<std::size_t>(SyncOpKind::bill_delete) + 1, "every kind, once");

}  // namespace

std::string_view to_string(SyncOpKind k) noexcept {
  switch (k) {
    case SyncOpKind::scan: return "scan";
    case SyncOpKind::audit: return "audit";
    case SyncOpKind::bag_create: return "bag.create";
    case SyncOpKind::link_add: return "link.add";
    case SyncOpKind::link_move: return "link.move";
    case SyncOpKind::link_remove: return "link.remove";
    case SyncOpKind::bag_delete: return "bag.delete";
    case SyncOpKind::bag_area: return "bag.area";
    case SyncOpKind::bill_create: return "bill.create";
    case SyncOpKind::bill_edit: return "bill.edit";
    case SyncOpKind::bill_parent_add: return "bill.parent_add";
    case SyncOpKind::bill_parent_remove: return "bill.parent_remove";
    case SyncOpKind::bill_complete: return "bill.complete";
    case SyncOpKind::bill_reopen: return "bill.reopen";
    case SyncOpKind::bill_delete: return "bill.delete";
  }
  return "audit";
}

std::optional<SyncOpKind> parse_sync_op_kind(std::string_view s) noexcept {
  for (SyncOpKind k : kKinds) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

std::span<const SyncOpKind> all_sync_op_kinds() noexcept { return kKinds; }

SyncOpKind sync_op_of(AuditAction action) noexcept {
  using A = AuditAction;
  switch (action) {
    case A::link: return SyncOpKind::link_add;
    case A::relink: return SyncOpKind::link_move;
    case A::unlink: case A::undo: return SyncOpKind::link_remove;
    case A::bag_create: return SyncOpKind::bag_create;
    case A::bag_delete: return SyncOpKind::bag_delete;
    case A::area_transfer: return SyncOpKind::bag_area;
    case A::bill_create: return SyncOpKind::bill_create;
    case A::bill_update: return SyncOpKind::bill_edit;
    case A::bill_add_parent: return SyncOpKind::bill_parent_add;
    case A::bill_remove_parent: case A::bill_return: return SyncOpKind::bill_parent_remove;
    case A::bill_complete: return SyncOpKind::bill_complete;
    case A::bill_reopen: return SyncOpKind::bill_reopen;
    case A::bill_delete: return SyncOpKind::bill_delete;
    default: return SyncOpKind::audit;
  }
}

}  // namespace tt::domain
