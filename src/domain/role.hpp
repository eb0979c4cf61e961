// The three roles of SPEC §2, ordered by what they may do.
#pragma once

#include <optional>
#include <string_view>

namespace tt::domain {

enum class Role { dispatcher = 0, biller = 1, admin = 2 };

std::string_view to_string(Role r) noexcept;
std::optional<Role> parse_role(std::string_view s) noexcept;

}  // namespace tt::domain
