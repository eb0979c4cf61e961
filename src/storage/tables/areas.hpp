// The areas table (SPEC §1): named dispatch places. Named statements and row mapping for every
// service that looks an area up, lists or creates one, so each statement is written once; in
// particular the one lookup by name (any case) that requests, imports, transfers, reports, bag
// search and exports share.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

struct AreaRow {
  std::int64_t id = 0;
  std::string uid;
  std::string name;         // as stored
  std::int64_t created_at = 0;  // microseconds since the epoch
};

namespace areas {

// The area whose name equals `name` in any case (lower() on both sides); `name` as given, the
// caller trims it when it should be.
asio::awaitable<std::optional<AreaRow>> find_area_by_name(Tx& tx, const std::string& name);
// The same lookup as a scalar subquery for a statement whose filters vary: "(SELECT id FROM areas
// WHERE ...)" with `name` appended to the parameters; NULL, so no row matches, when there is none.
std::string id_by_name_subquery(Params& params, const std::string& name);
// The name of the area with that id; none when there is none.
asio::awaitable<std::optional<std::string>> name_of(Tx& tx, std::int64_t id);
// Every area, by name in any case.
asio::awaitable<std::vector<AreaRow>> list(Tx& tx);
// Every area's name by id (the dashboard's breakdown).
asio::awaitable<std::vector<std::pair<std::int64_t, std::string>>> names(Tx& tx);
// Inserts an area with a new uid; none when a name differing at most in case exists (the unique
// index on lower(name); ON CONFLICT, so a PostgreSQL transaction is not aborted).
asio::awaitable<std::optional<AreaRow>> insert(Tx& tx, const std::string& name, std::int64_t at);

}  // namespace areas
}  // namespace tt::storage
