#include "domain/conflict_resolutions.hpp"

#include <algorithm>
#include <array>

namespace tt::domain {

namespace {

constexpr std::array<std::string_view, 2> kChildResolutions{kKeepHeadOffice, kKeepSite};
constexpr std::array<std::string_view, 1> kOtherResolutions{kAccept};

}  // namespace

std::span<const std::string_view> conflict_resolutions(std::string_view kind) noexcept {
  if (kind == "child_in_two_parents") return kChildResolutions;
  return kOtherResolutions;
}

bool resolution_allowed(std::string_view kind, std::string_view resolution) noexcept {
  const auto allowed = conflict_resolutions(kind);
  return std::find(allowed.begin(), allowed.end(), resolution) != allowed.end();
}

bool resolution_places_bag(std::string_view kind, std::string_view resolution) noexcept {
  return kind == "child_in_two_parents" && (resolution == kKeepHeadOffice || resolution == kKeepSite);
}

std::string_view resolution_words(std::string_view resolution) noexcept {
  if (resolution == kKeepHeadOffice) return "kept in head office's parent";
  if (resolution == kKeepSite) return "moved to the site's parent";
  if (resolution == kAccept) return "accepted as head office holds it";
  return "resolved";
}

}  // namespace tt::domain
