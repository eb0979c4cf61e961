// The import file (SPEC §3.7): CSV whose first line names the columns, in any order —
//   parent, child                       required: a child bag and the parent bag it goes into
//   bill                                optional: the bill the parent goes on
//   bill_capacity, bill_description,    optional: the fields of a bill the file creates, read from
//   bill_destination, bill_vehicle      the first row that names it
// A row may leave child empty (a parent alone, perhaps onto a bill) or parent empty (a child in no
// parent). Cells written with a formula guard (a leading ') read as their raw value, so exported
// files import unchanged whether or not they were exported raw.
//
// Structural faults refuse the whole file with one message naming the line, before any row is
// considered: the reading rules of util/csv_reader, a header without parent and child, an unknown
// or repeated column, a row whose number of cells differs from the header's, more rows than
// kImportMaxRows. Bounds: a file is at most the server's import size (see README) and
// kImportMaxRows rows; a line at most kImportMaxLineBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::domain {

// The server holds the rows and the state of their bags while it decides and writes them, about
// 1 KB per row (bench/export): 100,000 rows keep that near 100 MB on a depot box.
inline constexpr std::size_t kImportMaxRows = 100'000;
inline constexpr std::size_t kImportMaxLineBytes = 4096;

struct ImportRow {
  std::int64_t line = 0;  // line of the file, for the report
  std::string parent;     // cells as written (formula guard removed), not yet normalised
  std::string child;
  std::string bill;
  std::string bill_capacity;
  std::string bill_description;
  std::string bill_destination;
  std::string bill_vehicle;
};

struct ImportFile {
  std::vector<ImportRow> rows;
  bool has_bill = false;  // the header names a bill column
};

// The header line as the links export writes it (with CRLF).
std::string_view import_header();

// Reads the file. Throws domain::Failure: invalid_file (what is wrong and on which line),
// payload_too_large (more than kImportMaxRows rows).
ImportFile read_import_file(std::string_view text);

}  // namespace tt::domain
