// The actions of the audit log (SPEC §1): one list, each stored under a string of its own that
// never changes once rows carry it.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/audit_actions.hpp"

using tt::domain::all_audit_entities;
using tt::domain::audit_entity;
using tt::domain::all_audit_actions;
using tt::domain::AuditAction;
using tt::domain::to_string;

namespace {

// lower_snake_case: lower-case letters and digits in words joined by single underscores.
bool lower_snake_case(std::string_view s) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  if (s.front() >= '0' && s.front() <= '9') return false;
  char previous = 0;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok || (c == '_' && previous == '_')) return false;
    previous = c;
  }
  return true;
}

}  // namespace

TEST_CASE("audit actions: the list holds every enumerator once, in enum order") {
  const auto all = all_audit_actions();
  REQUIRE(!all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CAPTURE(i);
    CHECK(static_cast<std::size_t>(all[i]) == i);
  }
  // No enumerator past the end of the list: the value after the last listed one has no name.
  CHECK(to_string(static_cast<AuditAction>(all.size())).empty());
}

TEST_CASE("audit actions: each is stored under a lower_snake_case string of its own") {
  std::set<std::string_view> seen;
  for (const auto a : all_audit_actions()) {
    const std::string_view name = to_string(a);
    CAPTURE(std::string(name));
    CHECK(lower_snake_case(name));
    CHECK(seen.insert(name).second);
  }
  CHECK(seen.size() == all_audit_actions().size());
}

TEST_CASE("audit actions: the stored strings of rows already written do not change") {
  // Filters, exports and the rows of older versions hold these strings.
  const std::pair<AuditAction, std::string_view> stored[] = {
      {AuditAction::link, "link"},
      {AuditAction::unlink, "unlink"},
      {AuditAction::relink, "relink"},
      {AuditAction::undo, "undo"},
      {AuditAction::bag_create, "bag_create"},
      {AuditAction::bag_delete, "bag_delete"},
      {AuditAction::area_transfer, "area_transfer"},
      {AuditAction::bill_create, "bill_create"},
      {AuditAction::bill_update, "bill_update"},
      {AuditAction::bill_add_parent, "bill_add_parent"},
      {AuditAction::bill_remove_parent, "bill_remove_parent"},
      {AuditAction::bill_complete, "bill_complete"},
      {AuditAction::bill_reopen, "bill_reopen"},
      {AuditAction::bill_delete, "bill_delete"},
      {AuditAction::bill_return, "bill_return"},
      {AuditAction::return_create, "return_create"},
      {AuditAction::return_remove_bag, "return_remove_bag"},
      {AuditAction::return_commit, "return_commit"},
      {AuditAction::return_cancel, "return_cancel"},
      {AuditAction::import, "import"},
      {AuditAction::login, "login"},
      {AuditAction::login_failed, "login_failed"},
      {AuditAction::sessions_end, "sessions_end"},
      {AuditAction::user_create, "user_create"},
      {AuditAction::user_update, "user_update"},
      {AuditAction::user_deactivate, "user_deactivate"},
      {AuditAction::user_reactivate, "user_reactivate"},
      {AuditAction::password_reset, "password_reset"},
      {AuditAction::password_change, "password_change"},
      {AuditAction::password_change_failed, "password_change_failed"},
      {AuditAction::second_factor_enabled, "second_factor_enabled"},
      {AuditAction::second_factor_disabled, "second_factor_disabled"},
      {AuditAction::second_factor_reset, "second_factor_reset"},
      {AuditAction::second_factor_disable_failed, "second_factor_disable_failed"},
      {AuditAction::recovery_codes_renewed, "recovery_codes_renewed"},
      {AuditAction::recovery_codes_renew_failed, "recovery_codes_renew_failed"},
      {AuditAction::area_create, "area_create"},
      {AuditAction::setting_change, "setting_change"},
      {AuditAction::token_create, "token_create"},
      {AuditAction::token_revoke, "token_revoke"},
      {AuditAction::site_create, "site_create"},
      {AuditAction::site_token_rotate, "site_token_rotate"},
      {AuditAction::site_token_revoke, "site_token_revoke"},
      {AuditAction::conflict_resolve, "conflict_resolve"},
  };
  for (const auto& [action, text] : stored) CHECK(to_string(action) == text);
}

TEST_CASE("audit actions: each is about one entity, and the entity list holds each once, sorted") {
  CHECK(audit_entity(AuditAction::area_transfer) == "bag");
  CHECK(audit_entity(AuditAction::bill_return) == "bag");  // the parent bag taken off its bill
  CHECK(audit_entity(AuditAction::bill_add_parent) == "bill");
  CHECK(audit_entity(AuditAction::return_commit) == "return");
  CHECK(audit_entity(AuditAction::login_failed) == "session");
  CHECK(audit_entity(AuditAction::recovery_codes_renewed) == "user");
  const std::vector<std::string_view> entities(all_audit_entities().begin(), all_audit_entities().end());
  const std::vector<std::string_view> expected{"area", "bag", "bill", "conflict", "import", "return", "session", "setting", "site", "token", "user"};
  CHECK(entities == expected);
  for (const AuditAction a : all_audit_actions()) {
    CHECK(std::find(entities.begin(), entities.end(), audit_entity(a)) != entities.end());
  }
}
