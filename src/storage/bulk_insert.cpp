#include "storage/bulk_insert.hpp"

#include <algorithm>
#include <stdexcept>

namespace tt::storage {

namespace {

// SQLite (3.32 and later) takes at most 32,766 parameters in one statement, PostgreSQL 65,535;
// 500 rows already make the per-statement cost negligible.
constexpr std::size_t kMaxParams = 32000;
constexpr std::size_t kMaxRows = 500;

}  // namespace

BulkInsert::BulkInsert(std::string head, std::size_t columns, std::string tail)
    : head_(std::move(head)), tail_(std::move(tail)), columns_(columns),
      max_rows_(std::min(kMaxRows, kMaxParams / columns)) {
  if (columns == 0) throw std::invalid_argument("BulkInsert needs at least one column");
  params_.reserve(max_rows_ * columns_);
  full_sql_ = sql_for(max_rows_);
}

std::string BulkInsert::sql_for(std::size_t rows) const {
  std::string sql = head_;
  sql += " VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < columns_; ++c) {
      if (c) sql += ", ";
      sql += '$';
      sql += std::to_string(++n);
    }
    sql += ')';
  }
  sql += tail_;
  return sql;
}

asio::awaitable<Rows> BulkInsert::flush(Tx& tx) {
  if (rows_ == 0) co_return Rows{};
  if (params_.size() != rows_ * columns_) throw std::logic_error("BulkInsert: a row has the wrong number of values");
  // Plain statements, not conditional expressions (the coroutine rule: storage/job.hpp).
  std::string partial;
  std::string_view sql = full_sql_;
  if (rows_ != max_rows_) {
    partial = sql_for(rows_);
    sql = partial;
  }
  storage::Params p;
  p.swap(params_);
  params_.reserve(max_rows_ * columns_);
  rows_ = 0;
  co_return co_await tx.query(sql, std::move(p));
}

}  // namespace tt::storage
