#include "domain/permissions.hpp"

#include <algorithm>
#include <array>

namespace tt::domain {

namespace {

constexpr std::array<Role, 2> kBillers{Role::biller, Role::admin};
constexpr std::array<Role, 1> kAdmins{Role::admin};

constexpr std::array<PermissionRow, 10> kTable{{
    {Permission::edit_bills, "bills.edit", kBillers},
    {Permission::reopen_bills, "bills.reopen", kAdmins},
    {Permission::delete_bills, "bills.delete", kAdmins},
    {Permission::delete_bags, "bags.delete", kAdmins},
    {Permission::transfer_bags, "bags.transfer", kBillers},
    {Permission::see_all_areas, "areas.all", kBillers},
    {Permission::handle_returns, "returns", kBillers},
    {Permission::read_reports, "reports", kBillers},
    {Permission::import_links, "import", kAdmins},
    {Permission::administer, "administration", kAdmins},
}};

// The table is indexed by the enum: a row out of place is a build error, not a wrong rule.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].permission) != i) return false;
  }
  return true;
}
static_assert(in_enum_order(), "permission rows must follow the order of enum Permission");
static_assert(kTable.size() == static_cast<std::size_t>(Permission::administer) + 1, "a permission without a row");

}  // namespace

std::span<const PermissionRow> permission_table() noexcept { return kTable; }

const PermissionRow& permission_row(Permission p) noexcept { return kTable[static_cast<std::size_t>(p)]; }

bool may(Role role, Permission p) noexcept {
  const auto roles = permission_row(p).roles;
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace tt::domain
