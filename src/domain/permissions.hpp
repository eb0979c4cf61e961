// Who may do what (SPEC §2): every action that not every role may take, with the roles that may.
//
// This table is the one source of these rules. Routes declare their access with a permission
// (http::Access::to), GET /api/v1/auth/me sends the table to the web UI, which shows a control or a
// page only when the signed-in role may use it. Adding a permission is one row here.
#pragma once

#include <span>
#include <string_view>

#include "domain/role.hpp"

namespace tt::domain {

enum class Permission {
  edit_bills,        // create a bill, change it, put parents on it and take them off, complete it
  reopen_bills,      // reopen a completed bill
  delete_bills,
  delete_bags,       // delete a bag (a parent's children are freed)
  transfer_bags,     // move a parent bag and its children to another dispatch area
  see_all_areas,     // search, trace and count bags of every area, not only one's own
  handle_returns,    // return tickets (SPEC §3.6)
  read_reports,      // daily scan report, bills summary
  import_links,      // CSV import of parent-child links
  administer,        // users, areas, settings, tokens, the audit log
};

struct PermissionRow {
  Permission permission;
  std::string_view name;  // as the API and the web UI spell it: "bags.transfer"
  std::span<const Role> roles;
};

// Every permission, in the order of the enum.
std::span<const PermissionRow> permission_table() noexcept;
// The row of `p`.
const PermissionRow& permission_row(Permission p) noexcept;
bool may(Role role, Permission p) noexcept;

}  // namespace tt::domain
