// wallet-scan: find validated cryptocurrency artifacts in evidence. See wallet-scan(1).
#include "wallet-scan/wallet_scan.hpp"

int main(int argc, char** argv) { return trawl::tools::wallet_scan_main(argc, argv); }
