// Keywords from the public names in /work/shared/research/stl-detect.md §4.
// Phrases are matched on word boundaries after normalisation (lower case;
// _ - . / space and camelCase split words; letters and digits split, so
// "FGC9", "fgc_9" and "FGC-9" are one phrase; adjacent words may also be
// written together, "lowerreceiver").
#include "mesh/cue_table.hpp"

#include <array>

namespace trawl::mesh::cue_table {
namespace {

using K = KeywordKind;

constexpr std::array kKeywords = {
    // Designs, designers and publishers reported publicly: unambiguous.
    Keyword{"fgc 9", 1.0, K::strong, "design (FGC-9)"},
    Keyword{"jstark1809", 1.0, K::strong, "designer alias"},
    Keyword{"jstark 1809", 1.0, K::strong, "designer alias"},
    Keyword{"defcad", 1.0, K::strong, "publisher"},
    Keyword{"fosscad", 1.0, K::strong, "community"},
    Keyword{"defense distributed", 1.0, K::strong, "publisher"},
    Keyword{"deterrence dispensed", 1.0, K::strong, "community"},
    Keyword{"gatalog", 1.0, K::strong, "community"},
    Keyword{"wiki weapon", 1.0, K::strong, "project"},
    Keyword{"ivan the troll", 1.0, K::strong, "designer alias"},
    Keyword{"plastikov", 1.0, K::strong, "design (AKM receiver)"},
    Keyword{"urutau", 1.0, K::strong, "design"},
    Keyword{"rogue 9", 1.0, K::strong, "design"},
    Keyword{"fmda", 1.0, K::strong, "design (Glock-pattern frame)"},
    Keyword{"chairmanwon", 1.0, K::strong, "design variant"},
    Keyword{"pm522", 1.0, K::strong, "design (revolver)"},
    Keyword{"washbear", 0.5, K::strong, "design name, also a word"},
    Keyword{"polymer80", 1.0, K::strong, "kit maker"},
    Keyword{"polymer 80", 1.0, K::strong, "kit maker"},
    Keyword{"ghost gun", 1.0, K::strong, "term"},
    Keyword{"privately made firearm", 1.0, K::strong, "term"},
    Keyword{"80 lower", 1.0, K::strong, "term (80 % lower)"},
    Keyword{"80 percent lower", 1.0, K::strong, "term"},
    Keyword{"80 receiver", 1.0, K::strong, "term"},
    Keyword{"lower receiver", 1.0, K::strong, "part"},
    Keyword{"cuomo lower", 1.0, K::strong, "design name (not corroborated)"},
    Keyword{"auto sear", 1.0, K::strong, "conversion part"},
    Keyword{"autosear", 1.0, K::strong, "conversion part"},
    Keyword{"glock switch", 1.0, K::strong, "conversion part"},
    Keyword{"machine gun conversion", 1.0, K::strong, "term (MCD)"},
    Keyword{"solvent trap", 0.8, K::strong, "suppressor look-alike"},
    Keyword{"suppressor", 1.0, K::strong, "part"},
    Keyword{"silencer", 1.0, K::strong, "part"},
    Keyword{"bolt carrier", 0.7, K::strong, "part"},
    Keyword{"buffer tube", 0.5, K::strong, "part (also camera rigs)"},
    Keyword{"fire control group", 0.7, K::strong, "part"},
    Keyword{"fcg", 0.5, K::strong, "part abbreviation"},
    Keyword{"trigger group", 0.5, K::strong, "part"},
    Keyword{"firearm", 0.6, K::strong, "word"},
    Keyword{"handgun", 0.6, K::strong, "word"},
    Keyword{"pistol", 0.5, K::strong, "word (also water/glue pistols)"},
    Keyword{"revolver", 0.5, K::strong, "word"},
    Keyword{"rifle", 0.4, K::strong, "word"},
    Keyword{"ar 15", 0.6, K::strong, "platform"},
    Keyword{"glock", 0.5, K::strong, "platform (also phone-holder and holster names)"},
    Keyword{"receiver", 0.5, K::strong, "part (also radio receivers)"},
    Keyword{"sear", 0.5, K::strong, "part"},
    // Translations: suggestions in the note, not sourced; modest weights.
    Keyword{"schalldampfer", 0.8, K::strong, "DE suppressor (ä folded)"},
    Keyword{"schalldaempfer", 0.8, K::strong, "DE suppressor"},
    Keyword{"silenciador", 0.8, K::strong, "ES suppressor"},
    Keyword{"silencieux", 0.8, K::strong, "FR suppressor"},
    Keyword{"geluiddemper", 0.8, K::strong, "NL suppressor"},
    Keyword{"silenziatore", 0.8, K::strong, "IT suppressor"},
    Keyword{"waffe", 0.4, K::strong, "DE weapon"},
    // Liberator: the first printed pistol, but also a bomber, a drink, a band.
    Keyword{"liberator", 0.5, K::strong, "design; common word"},
    // Generic part words: everyday objects share them; low weight alone.
    Keyword{"frame", 0.3, K::generic, "part; picture frames"},
    Keyword{"slide", 0.3, K::generic, "part; playground slides"},
    Keyword{"barrel", 0.3, K::generic, "part; rain barrels"},
    Keyword{"lower", 0.3, K::generic, "part; everyday word"},
    Keyword{"upper", 0.2, K::generic, "part; everyday word"},
    Keyword{"baffle", 0.3, K::generic, "part; speaker baffles"},
    Keyword{"magwell", 0.3, K::generic, "part"},
    Keyword{"mag well", 0.3, K::generic, "part"},
    Keyword{"trigger", 0.3, K::generic, "part; camera triggers"},
    Keyword{"gun", 0.3, K::generic, "word; glue and nerf guns"},
    Keyword{"jig", 0.1, K::generic, "80 % jigs; woodworking jigs"},
    // Documented traps: score only beside another (non-trap) keyword.
    Keyword{"switch", 0.5, K::trap, "Nintendo Switch; only with another keyword"},
    Keyword{"1911", 0.5, K::trap, "a year; only with another keyword"},
    Keyword{"hive", 0.3, K::trap, "beehives; not corroborated"},
    Keyword{"songbird", 0.3, K::trap, "bird feeders; not corroborated"},
    Keyword{"stingray", 0.3, K::trap, "FGC-9 Mk II nickname; an animal"},
    Keyword{"mcd", 0.3, K::trap, "machine-gun conversion device; many other meanings"},
};

}  // namespace

std::span<const Keyword> keywords() { return kKeywords; }

}  // namespace trawl::mesh::cue_table
