// Sites (SPEC §8): the depots head office knows. An administrator registers a site with the
// dispatch areas it may write in; its sync token is made by the caller (accounts/credentials),
// shown once and stored here only as its SHA-256 hash. Rotating gives the site a new token and
// ends the old one at once; revoking leaves it none until the next rotation.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "storage/database.hpp"
#include "storage/tables/sites.hpp"

namespace tt::services {

namespace asio = boost::asio;

using Site = storage::SiteRow;

// Registers a site named `name` (trimmed; invalid_request when it breaks the name rules,
// conflict when a site's name differs from it at most in case) writing in `areas` (each an
// existing area's name in any case: unknown_area; at least one: invalid_request).
asio::awaitable<Site> register_site(storage::Tx& tx, Actor actor, std::string name, std::vector<std::string> areas,
                                    std::string token_hash);
// Every site, by name.
asio::awaitable<std::vector<Site>> list_sites(storage::Tx& tx);
// The site with public id `uid` (not_found).
asio::awaitable<Site> get_site(storage::Tx& tx, std::string uid);
// Replaces the site's token by one with `token_hash`; the old one stops working (not_found).
asio::awaitable<CredentialChange<Site>> rotate_site_token(storage::Tx& tx, Actor actor, std::string uid,
                                                          std::string token_hash);
// Leaves the site without a token (not_found). Revoking twice keeps it revoked.
asio::awaitable<CredentialChange<Site>> revoke_site_token(storage::Tx& tx, Actor actor, std::string uid);

}  // namespace tt::services
