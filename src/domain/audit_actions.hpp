// Every action the audit log records (SPEC §1 "Audit entry": one row per change of state, with
// who, when, what and the values before and after; read back by GET /audit, SPEC §4).
//
// Services name the action of an entry with one of these, never with a string of their own, so a
// misspelt action cannot reach the log and this list is the whole of what the log may hold. The
// log stores to_string(action): those strings are the stored form, read by filters, exports and
// older rows, and must never change. The web audit page does not keep its own copy: GET /audit
// answers the list (all_audit_actions) beside the entries. Adding an action is one enumerator here
// and one case in to_string (audit_actions.cpp); the build fails if the case is missing.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tt::domain {

// No explicit values: the enumerators are 0, 1, 2... and audit_actions.cpp counts them so.
enum class AuditAction {
  // Bags and their links (SPEC §3).
  link,
  unlink,
  relink,
  undo,
  bag_create,
  bag_delete,
  area_transfer,  // a parent bag and its children moved to another dispatch area
  // Bills.
  bill_create,
  bill_update,
  bill_add_parent,
  bill_remove_parent,
  bill_complete,
  bill_reopen,
  bill_delete,
  bill_return,  // a parent taken off its bill by a committed return ticket
  // Return tickets.
  return_create,
  return_remove_bag,
  return_commit,
  return_cancel,
  // CSV import of links.
  import,
  // Signing in and sessions.
  login,
  login_failed,
  sessions_end,
  // Users and passwords.
  user_create,
  user_update,
  user_deactivate,
  user_reactivate,
  password_reset,
  password_change,
  password_change_failed,
  // Two-factor sign-in.
  second_factor_enabled,
  second_factor_disabled,  // by its owner
  second_factor_reset,     // by an administrator or the command line
  second_factor_disable_failed,
  recovery_codes_renewed,
  recovery_codes_renew_failed,
  // Administration.
  area_create,
  setting_change,
  token_create,
  token_revoke,
  // Sites (SPEC §8): a depot registered at head office, its sync token renewed or revoked.
  site_create,
  site_token_rotate,
  site_token_revoke,
  // Synchronisation (SPEC §8 "Conflicts"): a person resolved a conflict at head office.
  conflict_resolve,
};

// The string stored in the audit log's action column.
std::string_view to_string(AuditAction a) noexcept;

// The action stored as `name` (to_string's inverse); nullopt for a name no action has.
std::optional<AuditAction> audit_action_named(std::string_view name) noexcept;

// Every action, in the order of the enum.
std::span<const AuditAction> all_audit_actions() noexcept;

// What an action is about, stored in the log's entity column ("bag", "bill", "return", "import",
// "session", "user", "area", "setting", "token", "site", "conflict"): one entity per action, so the log's entity filter
// and the audit page's "Of" list come from here too.
std::string_view audit_entity(AuditAction a) noexcept;

// Every entity of the actions, each once, sorted.
std::span<const std::string_view> all_audit_entities() noexcept;

}  // namespace tt::domain
