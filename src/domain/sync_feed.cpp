#include "domain/sync_feed.hpp"

namespace tt::domain {

std::string_view to_string(FeedKind k) noexcept {
  switch (k) {
    case FeedKind::area: return "area";
    case FeedKind::user: return "user";
    case FeedKind::setting: return "setting";
    case FeedKind::conflict: return "conflict";
  }
  return "setting";
}

std::optional<FeedKind> parse_feed_kind(std::string_view s) noexcept {
  for (FeedKind k : {FeedKind::area, FeedKind::user, FeedKind::setting, FeedKind::conflict}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

std::optional<FeedKind> feed_kind_of(AuditAction action) noexcept {
  switch (action) {
    case AuditAction::area_create: return FeedKind::area;
    case AuditAction::setting_change: return FeedKind::setting;
    case AuditAction::conflict_resolve: return FeedKind::conflict;
    case AuditAction::user_create:
    case AuditAction::user_update:
    case AuditAction::user_deactivate:
    case AuditAction::user_reactivate:
    case AuditAction::password_reset:
    case AuditAction::password_change:
    case AuditAction::second_factor_enabled:
    case AuditAction::second_factor_disabled:
    case AuditAction::second_factor_reset: return FeedKind::user;
    default: return std::nullopt;
  }
}

}  // namespace tt::domain
