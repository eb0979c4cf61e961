// The Tx that jobs receive on a SQLite worker thread. Every call runs synchronously on that
// thread's connection: the job's coroutine never leaves the worker thread.
#pragma once

#include "storage/database.hpp"
#include "storage/sqlite/connection.hpp"

namespace tt::storage::sqlite {

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  bool captures_changes() const noexcept override { return conn_.captures_changes(); }
  asio::awaitable<Rows> query(std::string_view sql, Params params) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params) override;
  asio::awaitable<void> exec_script(std::string_view sql) override;

 private:
  Connection& conn_;
};

}  // namespace tt::storage::sqlite
