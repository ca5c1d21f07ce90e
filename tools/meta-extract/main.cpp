// meta-extract: forensic metadata from photos, videos and documents. See meta-extract(1).
#include "meta-extract/meta_extract_tool.hpp"

int main(int argc, char** argv) { return trawl::tools::meta_extract_main(argc, argv); }
