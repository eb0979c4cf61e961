// Dispatch areas (SPEC §1): named places; every user but an admin belongs to one.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct Area {
  std::int64_t id = 0;
  std::string uid;
  std::string name;
  std::int64_t created_at = 0;
};

// The refusal of a name that is no area's: "There is no area named '<name>'.", with `code`
// (unknown_area for a name to act on, not_found for a report of it).
domain::Failure no_area_named(domain::Error code, const std::string& name);
// Case-insensitive lookup of the name, trimmed.
asio::awaitable<std::optional<Area>> find_area(storage::Tx& tx, std::string name);
// find_area for a name the caller gave: throws domain::Failure unknown_area (no_area_named) when
// there is none.
asio::awaitable<Area> require_area(storage::Tx& tx, std::string name);
// The name of the area with that id; empty when there is none.
asio::awaitable<std::string> area_name(storage::Tx& tx, std::optional<std::int64_t> id);
asio::awaitable<std::vector<Area>> list_areas(storage::Tx& tx);
// Creates an area named `name` (validated and trimmed here). Throws domain::Failure
// invalid_area_name, area_exists when a name differing at most in case exists.
asio::awaitable<Area> create_area(storage::Tx& tx, Actor actor, std::string name);

}  // namespace tt::services
