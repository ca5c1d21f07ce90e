#include "scan/cashaddr.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/base58.hpp"

namespace trawl::scan {
namespace {

using test::hex_of;
using test::lower;
using test::upper;




struct LegacyPair {
  std::string_view legacy;
  std::string_view cashaddr;
};

// spec/cashaddr.md "Examples of address translation".
constexpr LegacyPair kLegacyPairs[] = {
    {"1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"},
    {"1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR", "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy"},
    {"16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb", "bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r"},
    {"3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq"},
    {"3LDsS579y7sruadqu11beEJoTjdFiFCdX4", "bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e"},
    {"31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw", "bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37"},
};

struct SizedVector {
  int type;
  std::string_view address;
  std::string_view hash_hex;
};

// spec/cashaddr.md "Larger test vectors" (hashes of 160..512 bits).
constexpr SizedVector kLargerVectors[] = {
    {0, "bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2", "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9"},
    {1, "bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t", "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9"},
    {1, "pref:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5", "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9"},
    {0, "bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0",
     "7ADBF6C17084BC86C1706827B41A56F5CA32865925E946EA"},
    {1, "bchtest:p9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2u94tsynr", "7ADBF6C17084BC86C1706827B41A56F5CA32865925E946EA"},
    {1, "pref:p9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2khlwwk5v", "7ADBF6C17084BC86C1706827B41A56F5CA32865925E946EA"},
    {0, "bitcoincash:qgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcw59jxxuz",
     "3A84F9CF51AAE98A3BB3A78BF16A6183790B18719126325BFC0C075B"},
    {1, "bchtest:pgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcvs7md7wt",
     "3A84F9CF51AAE98A3BB3A78BF16A6183790B18719126325BFC0C075B"},
    {1, "pref:pgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcrsr6gzkn",
     "3A84F9CF51AAE98A3BB3A78BF16A6183790B18719126325BFC0C075B"},
    {0, "bitcoincash:qvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq5nlegake",
     "3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060"},
    {1, "bchtest:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq7fqng6m6",
     "3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060"},
    {1, "pref:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq4k9m7qf9",
     "3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060"},
    {0, "bitcoincash:qnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklv39gr3uvz",
     "C07138323E00FA4FC122D3B85B9628EA810B3F381706385E289B0B25631197D194B5C238BEB136FB"},
    {1, "bchtest:pnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklvmgm6ynej",
     "C07138323E00FA4FC122D3B85B9628EA810B3F381706385E289B0B25631197D194B5C238BEB136FB"},
    {1, "pref:pnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklv0vx5z0w3",
     "C07138323E00FA4FC122D3B85B9628EA810B3F381706385E289B0B25631197D194B5C238BEB136FB"},
    {0, "bitcoincash:qh3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqex2w82sl",
     "E361CA9A7F99107C17A622E047E3745D3E19CF804ED63C5C40C6BA763696B98241223D8CE62AD48D863F4CB18C930E4C"},
    {1, "bchtest:ph3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqnzf7mt6x",
     "E361CA9A7F99107C17A622E047E3745D3E19CF804ED63C5C40C6BA763696B98241223D8CE62AD48D863F4CB18C930E4C"},
    {1, "pref:ph3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqjntdfcwg",
     "E361CA9A7F99107C17A622E047E3745D3E19CF804ED63C5C40C6BA763696B98241223D8CE62AD48D863F4CB18C930E4C"},
    {0,
     "bitcoincash:qmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqscw8jd03f",
     "D9FA7C4C6EF56DC4FF423BAAE6D495DBFF663D034A72D1DC7D52CBFE7D1E6858F9D523AC0A7A5C34077638E4DD1A701BD017842789982041"},
    {1, "bchtest:pmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqs6kgdsg2g",
     "D9FA7C4C6EF56DC4FF423BAAE6D495DBFF663D034A72D1DC7D52CBFE7D1E6858F9D523AC0A7A5C34077638E4DD1A701BD017842789982041"},
    {1, "pref:pmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqsammyqffl",
     "D9FA7C4C6EF56DC4FF423BAAE6D495DBFF663D034A72D1DC7D52CBFE7D1E6858F9D523AC0A7A5C34077638E4DD1A701BD017842789982041"},
    {0,
     "bitcoincash:"
     "qlg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mtky5sv5w",
     "D0F346310D5513D9E01E299978624BA883E6BDA8F4C60883C10F28C2967E67EC77ECC7EEEAEAFC6DA89FAD72D11AC961E164678B868AEEEC5F2"
     "C1DA08884175B"},
    {1,
     "bchtest:"
     "plg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mc773cwez",
     "D0F346310D5513D9E01E299978624BA883E6BDA8F4C60883C10F28C2967E67EC77ECC7EEEAEAFC6DA89FAD72D11AC961E164678B868AEEEC5F2"
     "C1DA08884175B"},
    {1,
     "pref:plg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mg7pj3lh8",
     "D0F346310D5513D9E01E299978624BA883E6BDA8F4C60883C10F28C2967E67EC77ECC7EEEAEAFC6DA89FAD72D11AC961E164678B868AEEEC5F2"
     "C1DA08884175B"},
};

struct UndefinedVector {
  std::uint8_t version;
  std::string_view address;
  std::string_view hash_hex;
};

// spec/cashaddr.md "Undefined types" (type 15), the entries up to 64 bytes.
constexpr UndefinedVector kUndefinedVectors[] = {
    {0x78, "prefix:0qxsg0rgpa", ""},
    {0x7f, "prefix:0uwa85v9fp", ""},
    {0x78, "prefix:0zeuqqwwk0xjclsv4lzljpye09m74gv4darmzluu6g4yxxk5eja92nup8dp7p",
     "B3C001CEB3CD2C7E0CAFC5F904997977EAA1956F47B17F9CD22A431AD4CCBA55"},
    {0x7f, "prefix:07euqqwwk0xjclsv4lzljpye09m74gv4darmzluu6g4yxxk5eja922n8zkmjh",
     "B3C001CEB3CD2C7E0CAFC5F904997977EAA1956F47B17F9CD22A431AD4CCBA55"},
    {0x78,
     "prefix:"
     "0p9l93rdpjunztm99mne67xhtejj5a2eanlj83mg0a7njunwf0ka0raa6ct6f6w42aw23a067gmaa45xwxc5q85tz8p3rhderusc62vp4atp3rk5",
     "4BF2C46D0CB9312F652EE79D78D75E652A7559ECFF23C7687F7D39726E4BEDD78FBDD617A4E9D5575CA8F5FAF237DED68671B1401E8B11C311"
     "DDB91F218D2981"},
    {0x7f,
     "prefix:"
     "0a9l93rdpjunztm99mne67xhtejj5a2eanlj83mg0a7njunwf0ka0raa6ct6f6w42aw23a067gmaa45xwxc5q85tz8p3rhderusc62vpf9plewfm",
     "4BF2C46D0CB9312F652EE79D78D75E652A7559ECFF23C7687F7D39726E4BEDD78FBDD617A4E9D5575CA8F5FAF237DED68671B1401E8B11C311"
     "DDB91F218D2981"},
};

}  // namespace

TEST_CASE("CashAddr: spec translation pairs carry the legacy address's hash") {
  for (const auto& pair : kLegacyPairs) {
    CAPTURE(pair.cashaddr);
    auto legacy = base58check_decode(pair.legacy);
    REQUIRE(legacy.ok());
    auto address = cashaddr_decode(pair.cashaddr);
    REQUIRE(address.ok());
    CHECK(address->prefix == "bitcoincash");
    CHECK(address->type == ((*legacy)[0] == 0x05 ? 1 : 0));
    CHECK(address->hash == std::vector<std::uint8_t>(legacy->begin() + 1, legacy->end()));
    auto encoded = cashaddr_encode("bitcoincash", address->type, address->hash);
    REQUIRE(encoded.ok());
    CHECK(*encoded == pair.cashaddr);
  }
}

TEST_CASE("CashAddr: the prefix may be omitted, and upper case is accepted") {
  for (const auto& pair : kLegacyPairs) {
    const std::string_view bare = pair.cashaddr.substr(pair.cashaddr.find(':') + 1);
    CAPTURE(bare);
    auto address = cashaddr_decode(bare);
    REQUIRE(address.ok());
    CHECK(address->prefix == "bitcoincash");
    CHECK(cashaddr_decode(upper(pair.cashaddr)).ok());
    CHECK(cashaddr_decode(upper(bare)).ok());
    CHECK_FALSE(cashaddr_decode(bare, "bchtest").ok());  // the checksum covers the prefix
  }
}

TEST_CASE("CashAddr: spec vectors for 160..512-bit hashes") {
  for (const auto& v : kLargerVectors) {
    CAPTURE(v.address);
    auto address = cashaddr_decode(v.address);
    REQUIRE(address.ok());
    CHECK(address->type == v.type);
    CHECK(hex_of(address->hash) == lower(v.hash_hex));
    auto encoded = cashaddr_encode(address->prefix, address->type, address->hash);
    REQUIRE(encoded.ok());
    CHECK(*encoded == v.address);
  }
}

TEST_CASE("CashAddr: spec vectors with an undefined type decode without a length check") {
  for (const auto& v : kUndefinedVectors) {
    CAPTURE(v.address);
    auto address = cashaddr_decode(v.address, kCashAddrDefaultPrefix, 256);
    REQUIRE(address.ok());
    CHECK(address->prefix == "prefix");
    CHECK(address->type == 15);
    CHECK(address->version == v.version);
    CHECK(hex_of(address->hash) == lower(v.hash_hex));
  }
}

TEST_CASE("CashAddr: checksum-only vectors") {
  for (std::string_view text :
       {"prefix:x64nx6hz", "PREFIX:X64NX6HZ", "p:gpf8m4h7",
        "bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn",
        "bchtest:spectestnetaddressrealrealaddressqpan2k9lh",
        "bchreg:555555555555555555555555555555555555555555555udxmlmrz"}) {
    CAPTURE(text);
    auto raw = cashaddr_decode_raw(text);
    REQUIRE(raw.ok());
    auto encoded = cashaddr_encode_raw(raw->prefix, raw->data);
    REQUIRE(encoded.ok());
    CHECK(*encoded == lower(text));
  }
  auto empty = cashaddr_decode_raw("prefix:x64nx6hz");
  REQUIRE(empty.ok());
  CHECK(empty->data.empty());
  CHECK_FALSE(cashaddr_decode("prefix:x64nx6hz").ok());  // no version byte
}

TEST_CASE("CashAddr: polymod of a valid string is zero") {
  // "p:gpf8m4h7": prefix 'p' & 31 = 16, separator 0, then the charset values of gpf8m4h7.
  const std::vector<std::uint8_t> values = {16, 0, 8, 1, 9, 7, 27, 21, 23, 30};
  CHECK(cashaddr_polymod(values) == 0);
  std::vector<std::uint8_t> changed = values;
  changed.back() ^= 1;
  CHECK(cashaddr_polymod(changed) != 0);
}

TEST_CASE("CashAddr: invalid addresses") {
  struct Bad {
    std::string_view text;
    Errc code;
  };
  const Bad cases[] = {
      {"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c", Errc::data_loss},   // last character changed
      {"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdX6a", Errc::invalid_argument},  // mixed case
      {"BitcoinCash:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", Errc::invalid_argument},  // mixed case prefix
      {"bchtest:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", Errc::data_loss},       // wrong network prefix
      {"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6aq", Errc::data_loss},  // extra character
      {"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdxqa", Errc::data_loss},   // substitution
      {"bitcoincash:bpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", Errc::invalid_argument},  // 'b' not in charset
      {"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a ", Errc::invalid_argument},  // trailing junk
      {":qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", Errc::invalid_argument},        // empty prefix
      {"bitcoin cash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", Errc::invalid_argument},  // bad prefix
      {"bitcoincash:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", Errc::invalid_argument},  // double prefix
      {"bitcoincash:x64nx6h", Errc::invalid_argument},  // checksum too short
      {"", Errc::invalid_argument},
  };
  for (const auto& bad : cases) {
    CAPTURE(bad.text);
    auto address = cashaddr_decode(bad.text);
    REQUIRE_FALSE(address.ok());
    CHECK(address.error().code == bad.code);
  }
  // The default length limit (128) fits every spec vector up to 512 bits, and no more.
  const std::string too_long = "bitcoincash:" + std::string(kCashAddrMaxLength - 11, 'q');
  auto limited = cashaddr_decode_raw(too_long);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == Errc::invalid_argument);
}

TEST_CASE("CashAddr: size bits must match the hash length for defined types") {
  // Type 0 (P2PKH) with a 21-byte hash: no size code matches.
  CHECK_FALSE(cashaddr_encode("bitcoincash", 0, std::vector<std::uint8_t>(21, 1)).ok());
  CHECK_FALSE(cashaddr_encode("bitcoincash", 16, std::vector<std::uint8_t>(20, 1)).ok());
  CHECK_FALSE(cashaddr_encode("", 0, std::vector<std::uint8_t>(20, 1)).ok());
  // Version byte 0 (160 bits) with a 32-byte hash, built through the raw encoder.
  std::vector<std::uint8_t> bytes(33, 7);
  bytes[0] = 0x00;
  std::vector<std::uint8_t> data;
  unsigned acc = 0;
  int bits = 0;
  for (auto b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push_back(static_cast<std::uint8_t>((acc >> bits) & 31));
    }
  }
  if (bits > 0) data.push_back(static_cast<std::uint8_t>((acc << (5 - bits)) & 31));
  auto text = cashaddr_encode_raw("bitcoincash", data);
  REQUIRE(text.ok());
  CHECK(cashaddr_decode_raw(*text).ok());
  auto address = cashaddr_decode(*text);
  REQUIRE_FALSE(address.ok());
  CHECK(address.error().code == Errc::data_loss);
}

}  // namespace trawl::scan
