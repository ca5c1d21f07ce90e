#pragma once
// VICS category numbers mean different things in different jurisdictions;
// labels come only from a profile the examiner chose, which is recorded.
#include <optional>
#include <string>
#include <string_view>

namespace trawl::hash {

enum class CategoryProfile { none, vic_us, dhs, caid_uk };

std::optional<CategoryProfile> parse_category_profile(std::string_view name);
const char* category_profile_name(CategoryProfile profile);  ///< "none", "vic-us", "dhs", "caid-uk"

/// The label of `category` (as the set wrote it) under `profile`; empty for
/// the `none` profile. A number the profile does not define is labelled as
/// such, never guessed.
std::string category_label(CategoryProfile profile, std::string_view category);

}  // namespace trawl::hash
