// How a person may resolve a conflict (SPEC §8 "Conflicts are facts"): the resolutions each kind
// allows, and which of them place a bag at every depot. Head office checks a request against this
// list, the conflicts page offers exactly these buttons (GET /api/v1/sync/conflicts answers them
// beside each conflict), and a depot applies the placement of the ones that place a bag.
//
//   child_in_two_parents  keep_head_office: the child stays in the parent head office applied
//                         first, and a depot that linked it elsewhere moves it back there;
//                         keep_site: the child moves into the parent the site linked it into,
//                         at head office (through the relink rules) and at every depot holding it.
//   every other kind      accept: what head office holds stays, the conflict is closed (a parent
//                         over capacity, a bill stored under another code, a bag not deleted...).
#pragma once

#include <span>
#include <string_view>

namespace tt::domain {

inline constexpr std::string_view kKeepHeadOffice = "keep_head_office";
inline constexpr std::string_view kKeepSite = "keep_site";
inline constexpr std::string_view kAccept = "accept";

// The resolutions of a conflict of `kind`, in the order a page offers them.
std::span<const std::string_view> conflict_resolutions(std::string_view kind) noexcept;
bool resolution_allowed(std::string_view kind, std::string_view resolution) noexcept;
// Whether resolving so puts a child into one parent everywhere (the parent: the kept one for
// keep_head_office, the site's for keep_site).
bool resolution_places_bag(std::string_view kind, std::string_view resolution) noexcept;
// The resolution in words for a person: "Kept at head office's parent".
std::string_view resolution_words(std::string_view resolution) noexcept;

}  // namespace tt::domain
