// `tracetrack seed`: fills an empty database with a generated data set for benchmarks and demos.
#pragma once

#include <string>
#include <vector>

#include "seed/seed_plan.hpp"

namespace tt::app {

// Parses the seed command's options ("--parents 60000", "--parents=60000", ...) over the
// defaults; throws ConfigError naming the bad option.
seed::SeedOptions parse_seed_options(const std::vector<std::string>& args);

}  // namespace tt::app
