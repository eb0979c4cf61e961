// Many rows per INSERT statement: one round trip and one statement execution for hundreds of rows,
// which is what makes generating millions of rows take seconds rather than hours. The same SQL
// text serves both backends ($N placeholders); full batches reuse one text, so each connection
// prepares it once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string>

#include "storage/database.hpp"

namespace tt::storage {

namespace asio = boost::asio;

class BulkInsert {
 public:
  // head: "INSERT INTO t (a, b, c)"; tail: text after VALUES, such as " RETURNING id, code".
  BulkInsert(std::string head, std::size_t columns, std::string tail = {});

  // Appends one row's values (exactly `columns` of them).
  template <class... A>
  void add(A&&... values) {
    static_assert(sizeof...(A) > 0);
    (params_.push_back(to_value(std::forward<A>(values))), ...);
    ++rows_;
  }

  bool full() const noexcept { return rows_ >= max_rows_; }
  std::size_t rows() const noexcept { return rows_; }

  // Sends the rows collected so far as one statement (nothing when there are none) and returns
  // the rows of its RETURNING clause.
  asio::awaitable<Rows> flush(Tx& tx);

 private:
  std::string sql_for(std::size_t rows) const;

  std::string head_, tail_;
  std::size_t columns_;
  std::size_t max_rows_;
  std::size_t rows_ = 0;
  Params params_;
  std::string full_sql_;  // the text of a full batch, built once
};

}  // namespace tt::storage
