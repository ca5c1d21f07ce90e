// stl-detect: find 3D design files (meshes, G-code, CAD exchange, 3MF) in evidence. See stl-detect(1).
#include "stl-detect/stl_detect.hpp"

int main(int argc, char** argv) { return trawl::tools::stl_detect_main(argc, argv); }
