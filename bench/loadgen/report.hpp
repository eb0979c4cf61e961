// Turns the merged statistics into the human table and the final JSON line.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "stats.hpp"

namespace tt::bench {

struct RunInfo {
  std::string target;   // host:port
  std::uint32_t connections = 0;
  std::uint32_t threads = 0;
  double rate = 0;      // 0: closed loop
  double window_s = 0;  // --duration
  double elapsed_s = 0; // from the window's start to the last recorded answer, at least window_s
  std::string run_id;
  std::uint64_t parent_codes_used = 0;
  // CPU time the generator itself used during the run (user + system): on a machine shared with
  // the server, what the load cost.
  double generator_cpu_s = 0;
  double generator_wall_s = 0;  // from the start of the warm-up to the last connection's end
  double window_start_unix = 0;  // Unix time at which the measured window began (timeline)
};

void print_table(std::ostream& out, const RunInfo& info, const ThreadStats& total);
// One line of JSON, no newline inside.
std::string json_line(const RunInfo& info, const ThreadStats& total);

// Child scans answered "linked" plus expected duplicates and rejections: the scans that worked.
std::uint64_t successful_scans(const ThreadStats& total);

}  // namespace tt::bench
