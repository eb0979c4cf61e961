// Online copy of a SQLite database into a new file (the `backup` command).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

#include "storage/database.hpp"

namespace tt::storage::sqlite {

// Writes the database of tx's connection, as one consistent snapshot, into dest_path and flushes
// it to disk. Must run outside any transaction, on a SQLite worker thread (it blocks). Refuses an
// existing dest_path rather than overwrite it.
asio::awaitable<void> copy_database(Tx& tx, std::string dest_path);

}  // namespace tt::storage::sqlite
