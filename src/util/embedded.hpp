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

// The web interface's page addresses ("/scan", "/bills/{code}"), read from web/app/main.js at
// build time by tools/page-addresses.py: the server serves index.html at these, SPEC §7.
std::span<const std::string_view> page_addresses();

}  // namespace tt::embedded
