#include "hash/category_profile.hpp"

namespace trawl::hash {

std::optional<CategoryProfile> parse_category_profile(std::string_view name) {
  for (auto p : {CategoryProfile::none, CategoryProfile::vic_us, CategoryProfile::dhs, CategoryProfile::caid_uk})
    if (name == category_profile_name(p)) return p;
  return std::nullopt;
}

const char* category_profile_name(CategoryProfile profile) {
  switch (profile) {
    case CategoryProfile::none: return "none";
    case CategoryProfile::vic_us: return "vic-us";
    case CategoryProfile::dhs: return "dhs";
    case CategoryProfile::caid_uk: return "caid-uk";
  }
  return "none";
}

std::string category_label(CategoryProfile profile, std::string_view category) {
  if (profile == CategoryProfile::none || category.empty()) return "";
  // Project VIC US and the legacy DHS scheme (as Autopsy defines them): the
  // meanings of 0 and 5 are reversed between the two, hence no default.
  static constexpr const char* kVicUs[] = {"Non-Pertinent", "Child Abuse Material (CAM)",
                                           "Child Exploitive (Non-CAM) Age Difficult",
                                           "CGI/Animation - Child Exploitive", "Comparison Images"};
  static constexpr const char* kDhs[] = {"Uncategorized", "Illegal", "Age Difficult", "CGI/Animation",
                                         "Exemplar/Comparison", "Non-pertinent"};
  const bool digit = category.size() == 1 && category[0] >= '0' && category[0] <= '9';
  const int n = digit ? category[0] - '0' : -1;
  switch (profile) {
    case CategoryProfile::vic_us:
      if (n >= 0 && n <= 4) return kVicUs[n];
      break;
    case CategoryProfile::dhs:
      if (n >= 0 && n <= 5) return kDhs[n];
      break;
    case CategoryProfile::caid_uk:
      // CAID gold disks carry the UK grading as their own numbers; no public
      // definition maps them, so the number is shown, never interpreted.
      return "CAID category " + std::string(category);
    case CategoryProfile::none: break;
  }
  return "undefined category " + std::string(category) + " (" + category_profile_name(profile) + ")";
}

}  // namespace trawl::hash
