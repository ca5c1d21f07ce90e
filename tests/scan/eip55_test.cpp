#include "scan/eip55.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <string>
#include <string_view>

namespace trawl::scan {

using test::lower;

// EIP-55 test cases (ethereum/EIPs EIPS/eip-55.md): all caps, all lower, normal.
constexpr std::string_view kAllCaps[] = {"0x52908400098527886E0F7030069857D2E4169EE7",
                                         "0x8617E340B3D01FA5F11F306F4090FD50E238070D"};
constexpr std::string_view kAllLower[] = {"0xde709f2102306220921060314715629080e2fb77",
                                          "0x27b1fdb04752bbc536007a920d24acb045561c26"};
constexpr std::string_view kNormal[] = {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                                        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                                        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                                        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                                        // keccak(X||Y)[12:] of private key 1
                                        "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"};


TEST_CASE("Eip55: the EIP's vectors classify and re-encode to themselves") {
  for (auto address : kAllCaps) {
    CAPTURE(address);
    CHECK(eip55_check(address) == Eip55Status::all_upper);
    CHECK(eip55_encode(address) == std::string(address));  // the all-caps vectors are checksum-neutral
  }
  for (auto address : kAllLower) {
    CAPTURE(address);
    CHECK(eip55_check(address) == Eip55Status::all_lower);
    CHECK(eip55_encode(address) == std::string(address));
  }
  for (auto address : kNormal) {
    CAPTURE(address);
    CHECK(eip55_check(address) == Eip55Status::checksum_valid);
    CHECK(eip55_encode(lower(address)) == std::string(address));
    CHECK(eip55_check(lower(address)) == Eip55Status::all_lower);
  }
}

TEST_CASE("Eip55: a flipped letter case fails the checksum") {
  std::string address(kNormal[0]);
  address[4] = 'a';  // 0x5aA... -> 0x5aa...
  CHECK(eip55_check(address) == Eip55Status::checksum_invalid);
  // A changed digit changes the hash, so the letters' case no longer matches.
  CHECK(eip55_check("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358") == Eip55Status::checksum_invalid);
  CHECK(eip55_check("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDB") == Eip55Status::checksum_invalid);
}

TEST_CASE("Eip55: malformed text") {
  for (std::string_view bad :
       {"", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", " 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}) {
    CAPTURE(bad);
    CHECK(eip55_check(bad) == Eip55Status::malformed);
    CHECK_FALSE(eip55_encode(bad).has_value());
  }
}

TEST_CASE("Eip55: addresses without letters are all-lower and their own checksum form") {
  const std::string_view digits = "0x0000000000000000000000000000000000000000";
  CHECK(eip55_check(digits) == Eip55Status::all_lower);
  CHECK(eip55_encode(digits) == std::string(digits));
  CHECK(std::string_view(eip55_status_name(Eip55Status::checksum_valid)) == "checksum_valid");
  CHECK(std::string_view(eip55_status_name(Eip55Status::malformed)) == "malformed");
}

}  // namespace trawl::scan
