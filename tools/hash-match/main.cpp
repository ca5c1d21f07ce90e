// hash-match: hash every item of the evidence. See hash-match(1).
#include "hash-match/hash_match.hpp"

int main(int argc, char** argv) { return trawl::tools::hash_match_main(argc, argv); }
