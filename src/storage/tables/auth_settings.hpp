// The rows of the settings table that govern sessions and sign-in (domain/auth_settings.hpp):
// key -> JSON text, absent keys left out.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <string>

#include "storage/database.hpp"

namespace tt::storage::auth_settings {

asio::awaitable<std::map<std::string, std::string>> values(Tx& tx);

}  // namespace tt::storage::auth_settings
