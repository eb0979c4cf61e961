#include "domain/import_file.hpp"

#include <array>
#include <optional>

#include "domain/errors.hpp"
#include "util/csv_reader.hpp"

namespace tt::domain {

namespace {

enum Column { parent, child, bill, bill_capacity, bill_description, bill_destination, bill_vehicle, kColumns };
constexpr std::array<std::string_view, kColumns> kNames = {
    "parent", "child", "bill", "bill_capacity", "bill_description", "bill_destination", "bill_vehicle"};

Failure invalid(std::string message) { return Failure(Error::invalid_file, std::move(message)); }

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string all_names() {
  std::string out;
  for (std::string_view n : kNames) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Where each column is in the file's rows (nothing when absent).
using Layout = std::array<std::optional<std::size_t>, kColumns>;

Layout read_header(const util::CsvRecord& header) {
  Layout at;
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name = lower_trimmed(header.cells[i]);
    std::optional<std::size_t> column;
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (name == kNames[c]) column = c;
    }
    if (!column) {
      throw invalid("Line " + std::to_string(header.line) + ": the first line must name the columns (parent,child and " +
                    "optionally bill columns), and \"" + std::string(util::unguard_formula(header.cells[i])).substr(0, 40) +
                    "\" is not one; the columns are " + all_names() + ".");
    }
    if (at[*column]) {
      throw invalid("Line " + std::to_string(header.line) + ": the column " + name + " is named twice.");
    }
    at[*column] = i;
  }
  if (!at[parent] || !at[child]) {
    throw invalid("Line " + std::to_string(header.line) + ": the first line must name both the parent and the child columns.");
  }
  return at;
}

}  // namespace

std::string_view import_header() {
  return "parent,child,bill,bill_capacity,bill_description,bill_destination,bill_vehicle\r\n";
}

ImportFile read_import_file(std::string_view text) {
  ImportFile out;
  try {
    util::require_utf8_text(text);
    util::CsvReader reader(text, kImportMaxLineBytes);
    auto header = reader.next();
    if (!header) throw invalid("The file is empty: its first line must name the columns parent,child.");
    const Layout at = read_header(*header);
    out.has_bill = at[bill].has_value();
    const std::size_t width = header->cells.size();
    while (auto rec = reader.next()) {
      if (rec->cells.size() != width) {
        throw invalid("Line " + std::to_string(rec->line) + ": the row has " + std::to_string(rec->cells.size()) +
                      " cells where the first line names " + std::to_string(width) + " columns.");
      }
      if (out.rows.size() >= kImportMaxRows) {
        throw Failure(Error::payload_too_large, "The file has more than " + std::to_string(kImportMaxRows) +
                                                    " rows: split it into files of at most that many.");
      }
      ImportRow row;
      row.line = rec->line;
      const auto cell = [&](Column c) {
        return at[c] ? std::string(util::unguard_formula(rec->cells[*at[c]])) : std::string();
      };
      row.parent = cell(parent);
      row.child = cell(child);
      row.bill = cell(bill);
      row.bill_capacity = cell(bill_capacity);
      row.bill_description = cell(bill_description);
      row.bill_destination = cell(bill_destination);
      row.bill_vehicle = cell(bill_vehicle);
      out.rows.push_back(std::move(row));
    }
  } catch (const util::CsvError& e) {
    throw invalid(e.what());
  }
  if (out.rows.empty()) throw invalid("The file holds no rows after its first line.");
  return out;
}

}  // namespace tt::domain
