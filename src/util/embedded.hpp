// Files compiled into the binary by tools/embed.py (migrations, web UI).
#pragma once

#include <span>
#include <string_view>

namespace tt::embedded {

struct File {
  std::string_view name;  // relative path with '/' separators, e.g. "sqlite/0001_initial.sql"
  std::string_view data;
  std::string_view gzip;  // the same bytes gzip-compressed, or empty (not compressible, or not asked for)
};

std::span<const File> migration_files();
std::span<const File> web_files();

}  // namespace tt::embedded
