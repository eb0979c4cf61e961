#include "domain/audit_actions.hpp"

#include <array>
#include <cstddef>

namespace tt::domain {

namespace {

// A switch with no default: -Wswitch (an error here) names any enumerator left without its string.
// A value outside the enum gets the empty string, which is how the enumerators are counted below.
constexpr std::string_view name_of(AuditAction a) noexcept {
  switch (a) {
    case AuditAction::link: return "link";
    case AuditAction::unlink: return "unlink";
    case AuditAction::relink: return "relink";
    case AuditAction::undo: return "undo";
    case AuditAction::bag_create: return "bag_create";
    case AuditAction::bag_delete: return "bag_delete";
    case AuditAction::area_transfer: return "area_transfer";
    case AuditAction::bill_create: return "bill_create";
    case AuditAction::bill_update: return "bill_update";
    case AuditAction::bill_add_parent: return "bill_add_parent";
    case AuditAction::bill_remove_parent: return "bill_remove_parent";
    case AuditAction::bill_complete: return "bill_complete";
    case AuditAction::bill_reopen: return "bill_reopen";
    case AuditAction::bill_delete: return "bill_delete";
    case AuditAction::bill_return: return "bill_return";
    case AuditAction::return_create: return "return_create";
    case AuditAction::return_remove_bag: return "return_remove_bag";
    case AuditAction::return_commit: return "return_commit";
    case AuditAction::return_cancel: return "return_cancel";
    case AuditAction::import: return "import";
    case AuditAction::login: return "login";
    case AuditAction::login_failed: return "login_failed";
    case AuditAction::sessions_end: return "sessions_end";
    case AuditAction::user_create: return "user_create";
    case AuditAction::user_update: return "user_update";
    case AuditAction::user_deactivate: return "user_deactivate";
    case AuditAction::user_reactivate: return "user_reactivate";
    case AuditAction::password_reset: return "password_reset";
    case AuditAction::password_change: return "password_change";
    case AuditAction::password_change_failed: return "password_change_failed";
    case AuditAction::second_factor_enabled: return "second_factor_enabled";
    case AuditAction::second_factor_disabled: return "second_factor_disabled";
    case AuditAction::second_factor_reset: return "second_factor_reset";
    case AuditAction::second_factor_disable_failed: return "second_factor_disable_failed";
    case AuditAction::recovery_codes_renewed: return "recovery_codes_renewed";
    case AuditAction::recovery_codes_renew_failed: return "recovery_codes_renew_failed";
    case AuditAction::area_create: return "area_create";
    case AuditAction::setting_change: return "setting_change";
    case AuditAction::token_create: return "token_create";
    case AuditAction::token_revoke: return "token_revoke";
    case AuditAction::site_create: return "site_create";
    case AuditAction::site_token_rotate: return "site_token_rotate";
    case AuditAction::site_token_revoke: return "site_token_revoke";
    case AuditAction::conflict_resolve: return "conflict_resolve";
  }
  return {};
}

// The enumerators run 0, 1, 2... (no explicit values), so they are the values from 0 up to the
// first one without a name.
constexpr std::size_t count_actions() noexcept {
  std::size_t n = 0;
  while (!name_of(static_cast<AuditAction>(n)).empty()) ++n;
  return n;
}

constexpr std::size_t kCount = count_actions();

constexpr std::array<AuditAction, kCount> list_actions() noexcept {
  std::array<AuditAction, kCount> out{};
  for (std::size_t i = 0; i < kCount; ++i) out[i] = static_cast<AuditAction>(i);
  return out;
}

constexpr std::array<AuditAction, kCount> kAll = list_actions();

// Two actions stored under one string could not be told apart in the log.
constexpr bool names_unique() noexcept {
  for (std::size_t i = 0; i < kCount; ++i) {
    for (std::size_t j = i + 1; j < kCount; ++j) {
      if (name_of(kAll[i]) == name_of(kAll[j])) return false;
    }
  }
  return true;
}

constexpr std::string_view entity_of(AuditAction a) noexcept {
  using A = AuditAction;
  switch (a) {
    case A::link: case A::unlink: case A::relink: case A::undo: case A::bag_create: case A::bag_delete:
    case A::area_transfer: case A::bill_return:
      return "bag";
    case A::bill_create: case A::bill_update: case A::bill_add_parent: case A::bill_remove_parent:
    case A::bill_complete: case A::bill_reopen: case A::bill_delete:
      return "bill";
    case A::return_create: case A::return_remove_bag: case A::return_commit: case A::return_cancel:
      return "return";
    case A::import: return "import";
    case A::login: case A::login_failed: case A::sessions_end: return "session";
    case A::user_create: case A::user_update: case A::user_deactivate: case A::user_reactivate:
    case A::password_reset: case A::password_change: case A::password_change_failed:
    case A::second_factor_enabled: case A::second_factor_disabled: case A::second_factor_reset:
    case A::second_factor_disable_failed: case A::recovery_codes_renewed: case A::recovery_codes_renew_failed:
      return "user";
    case A::area_create: return "area";
    case A::setting_change: return "setting";
    case A::token_create: case A::token_revoke: return "token";
    case A::site_create: case A::site_token_rotate: case A::site_token_revoke: return "site";
    case A::conflict_resolve: return "conflict";
  }
  return {};
}

constexpr bool entities_named() noexcept {
  for (const AuditAction a : kAll) {
    if (entity_of(a).empty()) return false;
  }
  return true;
}

// The distinct entities, sorted: at most one per action.
struct EntityList {
  std::array<std::string_view, kCount> names{};
  std::size_t size = 0;
};

constexpr EntityList list_entities() noexcept {
  EntityList out;
  for (const AuditAction a : kAll) {
    const std::string_view e = entity_of(a);
    std::size_t at = 0;
    while (at < out.size && out.names[at] < e) ++at;
    if (at < out.size && out.names[at] == e) continue;
    for (std::size_t i = out.size; i > at; --i) out.names[i] = out.names[i - 1];
    out.names[at] = e;
    ++out.size;
  }
  return out;
}

constexpr EntityList kEntities = list_entities();

static_assert(kCount > 0);
static_assert(entities_named(), "an audit action has no entity");
static_assert(names_unique(), "two audit actions share a stored string");

}  // namespace

std::string_view to_string(AuditAction a) noexcept { return name_of(a); }

std::span<const AuditAction> all_audit_actions() noexcept { return kAll; }

std::optional<AuditAction> audit_action_named(std::string_view name) noexcept {
  for (const AuditAction a : kAll) {
    if (name_of(a) == name) return a;
  }
  return std::nullopt;
}

std::string_view audit_entity(AuditAction a) noexcept { return entity_of(a); }

std::span<const std::string_view> all_audit_entities() noexcept {
  return std::span<const std::string_view>(kEntities.names.data(), kEntities.size);
}

}  // namespace tt::domain
