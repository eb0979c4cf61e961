// storage::Tx over one pooled PostgreSQL connection.
#pragma once

#include "storage/database.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

class PgTx final : public Tx {
 public:
  explicit PgTx(Connection& conn) noexcept : conn_(conn) {}

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<Rows> query(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) override;
  asio::awaitable<void> exec_script(std::string_view sql) override;

 private:
  Connection& conn_;
};

}  // namespace tt::storage::pg
