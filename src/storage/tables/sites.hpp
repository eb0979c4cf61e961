// The sites and site_areas tables (SPEC §8): the depots head office knows, the dispatch areas each
// may write in, the hash of each one's sync token and the cursor head office keeps for it. Named
// statements and row mapping, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

struct SiteRow {
  std::int64_t id = 0;
  std::string uid;                       // the site's public id (the depot's --site-id)
  std::string name;
  std::vector<std::string> areas;        // names, in any-case alphabetical order
  bool token_active = false;             // a token is set and not revoked
  std::optional<std::int64_t> token_set_at;  // microseconds since the epoch
  std::optional<std::string> created_by;     // username
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_push_at;
  std::int64_t acked_seq = 0;            // the last operation applied for the site
  std::int64_t reported_seq = 0;         // the newest the site had written at its last push
  std::int64_t open_conflicts = 0;       // conflicts its operations made, not resolved yet
};

struct NewSiteRow {
  std::string uid;
  std::string name;
  std::string token_hash;  // SHA-256 hex of the token
  std::optional<std::int64_t> created_by;  // none from the console
  std::int64_t at = 0;
};

namespace sites {

// The id of the site with public id `uid` as a scalar subquery for a statement whose filters vary
// (the one filter "site" of search, dashboard, reports and exports: SPEC §8 "One company view"),
// `uid` appended to the parameters; NULL, so no row matches, when there is none.
std::string id_by_uid_subquery(Params& params, const std::string& uid);

// Inserts a site; none when a site's name differs from `name` at most in case (the unique index on
// lower(name); ON CONFLICT, so a PostgreSQL transaction is not aborted). Returns its id.
asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewSiteRow& site);
asio::awaitable<void> add_area(Tx& tx, std::int64_t site_id, std::int64_t area_id);
asio::awaitable<std::optional<SiteRow>> by_uid(Tx& tx, const std::string& uid);
// Every site, by name in any case.
asio::awaitable<std::vector<SiteRow>> list(Tx& tx);
// The site whose current token has this hash (a depot's request); none when no site's has.
asio::awaitable<std::optional<SiteRow>> by_token_hash(Tx& tx, const std::string& token_hash);
// Sets a new token hash (rotation) or none (revocation), at `at`.
asio::awaitable<void> set_token(Tx& tx, std::int64_t id, std::optional<std::string> token_hash, std::int64_t at);

}  // namespace sites
}  // namespace tt::storage
