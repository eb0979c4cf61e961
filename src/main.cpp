// tracetrack: the bag-traceability server and its operator commands (SPEC §6).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "util/time.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  tt::app::Config config;
  try {
    config = tt::app::parse_config(args, tt::app::process_env());
  } catch (const tt::app::ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << "\n\n" << tt::app::usage_text();
    return 2;
  }
  if (config.clock_offset_seconds != 0) tt::util::set_clock_offset_seconds(config.clock_offset_seconds);
  try {
    return tt::app::run_command(config);
  } catch (const std::exception& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    return 1;
  }
}
