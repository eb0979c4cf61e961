// Parameters and rows in PostgreSQL's text format.
//
// Parameters: int64 as decimal with type int8, double as %.17g with type float8, text with no
// declared type (the server infers it from the statement), monostate as NULL.
// Columns are decoded by type: int2/int4/int8 -> int64, float4/float8/numeric -> double,
// bool -> 0/1 int64, NULL -> monostate, anything else -> text.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "storage/value.hpp"

namespace tt::storage::pg {

// Owns the text of each parameter and the pointer arrays libpq takes.
class EncodedParams {
 public:
  explicit EncodedParams(const Params& params);

  int count() const noexcept { return static_cast<int>(values_.size()); }
  const Oid* types() const noexcept { return types_.data(); }
  const char* const* values() const noexcept { return values_.data(); }
  // One character per parameter ('i', 'd', 't', 'n'): prepared statements are cached per SQL text
  // and parameter types, since the types declared at PREPARE time stay with the statement.
  const std::string& signature() const noexcept { return signature_; }

 private:
  std::vector<std::string> text_;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::string signature_;
};

// All rows of a PGRES_TUPLES_OK result.
Rows decode_rows(const PGresult* result);

// Rows changed by the command (PQcmdTuples), 0 when the command reports none.
std::int64_t affected_rows(const PGresult* result);

}  // namespace tt::storage::pg
