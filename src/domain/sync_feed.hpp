// What head office sends depots (SPEC §8 "Down"): the reference data it manages, as a feed of
// changes. A feed row names an entity (kind and key), never its state: the depot is sent the
// entity as it is when it pulls, so a row read twice, or after a newer change, changes nothing.
// Both sides read this one list, and the feed rows are written where each change is audited
// (services/sync_feed.hpp), so no service writes a feed row of its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/audit_actions.hpp"
#include "domain/role.hpp"

namespace tt::domain {

enum class FeedKind {
  area,     // key: the area's name (areas are matched by name across sites)
  user,     // key: the user name (lower case)
  setting,  // key: the setting's key
  conflict, // key: the conflict's uid; recorded (to its site) or resolved (placing a bag: to all)
};

// The stored and sent name ("area"): never changes once sent by a released build.
std::string_view to_string(FeedKind k) noexcept;
std::optional<FeedKind> parse_feed_kind(std::string_view s) noexcept;

// The reference data an audited change alters, when depots receive it: an area created, a user
// created, changed, (re)activated, given a password or a second factor, a setting changed, a
// conflict resolved (a conflict recorded is not audited: services/sync_apply writes its row). None
// for the rest (sign-ins, bags, bills: those travel up, not down).
std::optional<FeedKind> feed_kind_of(AuditAction action) noexcept;

// Whether a site receives a user: administrators (every area), and users of one of the site's
// areas. A user outside them is sent as gone, so that the depot stops letting them sign in.
constexpr bool site_receives_user(Role role, bool user_area_is_sites) noexcept {
  return role == Role::admin || user_area_is_sites;
}

// Feed rows in one answer to a pull.
inline constexpr std::size_t kFeedPage = 500;

}  // namespace tt::domain
