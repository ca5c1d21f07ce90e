#include "scan/wallet_files.hpp"

#include <doctest/doctest.h>

#include <random>

#include <string>
#include <string_view>
#include <vector>

#include "core/base64.hpp"
#include "scan/json_lite.hpp"
#include "scan/snappy.hpp"
#include "test_support.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::vector<WalletFileHit> find_in(std::string_view bytes, bool item_start = true) {
  WalletFileWindow w;
  w.data = bytes_of(bytes);
  w.page_end = bytes.size();
  w.item_start = item_start;
  return find_wallet_files(w);
}

WalletFileHit only_hit(std::string_view bytes, bool item_start = true) {
  auto hits = find_in(bytes, item_start);
  REQUIRE(hits.size() == 1);
  return hits.front();
}

const std::string kMkeyLine =
    "$bitcoin$96$0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829"
    "2a2b2c2d2e2f30$16$0102030405060708$25000$2$00$2$00";

TEST_CASE("WalletFiles: Bitcoin Core BDB wallet.dat records, deleted items and the mkey line") {
  const std::string file = test::read_data_file("wallet_files/wallet.dat");
  const WalletFileHit hit = only_hit(file);
  CHECK(hit.kind == "wallet.bitcoin-core");
  CHECK(hit.offset == 0);
  CHECK(hit.length == file.size());
  CHECK_FALSE(hit.partial);
  CHECK(hit.detail("records.name") == "3");  // two live (one deleted) + one in free space
  CHECK(hit.detail("records.mkey") == "1");
  CHECK(hit.detail("records.ckey") == "1");
  CHECK(hit.detail("deleted_items") == "1");
  CHECK(hit.detail("free_space_items") == "1");
  CHECK(hit.detail("encrypted") == "yes");
  CHECK(hit.detail("wallet_version") == "169900");
  const std::string addresses = hit.detail("addresses");
  CHECK(addresses.find("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") != std::string::npos);
  CHECK(addresses.find("1BoatSLRHtKNngkdXEeobR76b53LETtpyT") != std::string::npos);
  CHECK(addresses.find("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy") != std::string::npos);
  CHECK(hit.crackable == kMkeyLine);
  CHECK(hit.crack_format == "hashcat 11300");
}

TEST_CASE("WalletFiles: a BDB wallet carved from the middle of raw bytes, and truncated") {
  const std::string file = test::read_data_file("wallet_files/wallet.dat");
  const std::string raw = std::string(1000, '\0') + file + std::string(500, '\xff');
  const WalletFileHit hit = only_hit(raw, false);
  CHECK(hit.offset == 1000);
  CHECK(hit.length == file.size());
  const WalletFileHit cut = only_hit(std::string_view(file).substr(0, 8100));
  CHECK(cut.partial);
  CHECK(cut.length == 8100);
  CHECK(cut.detail("records.mkey") == "1");
  // A Berkeley DB btree without wallet records (RPM, old browser stores) is not a wallet.
  std::string other = file;
  for (std::size_t at = 4096 + 26; at < other.size(); ++at) other[at] = '\0';
  CHECK(find_in(other).empty());
  // Only hits starting in the page are reported.
  WalletFileWindow w;
  w.data = bytes_of(raw);
  w.page_end = 1000;
  CHECK(find_wallet_files(w).empty());
}

TEST_CASE("WalletFiles: mkey values that are not CMasterKey give no line") {
  CHECK(bitcoin_core_mkey_line(bytes_of("")).empty());
  CHECK(bitcoin_core_mkey_line(bytes_of(std::string("\x30", 1) + std::string(10, 'a'))).empty());
}

TEST_CASE("WalletFiles: SQLite descriptor wallet network, descriptors and mkey") {
  const std::string file = test::read_data_file("wallet_files/descriptor-wallet.dat");
  const WalletFileHit hit = only_hit(file);
  CHECK(hit.kind == "wallet.bitcoin-core-descriptor");
  CHECK(hit.length == file.size());
  CHECK(hit.detail("network") == "mainnet");
  CHECK(hit.detail("records.walletdescriptor") == "1");
  CHECK(hit.detail("descriptors").rfind("wpkh([73c5da0a/84h/0h/0h]xpub6CatWdiZ", 0) == 0);
  CHECK(hit.detail("addresses") == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  CHECK(hit.crackable == kMkeyLine);
  // A plain SQLite file (application_id 0) is not a wallet.
  std::string plain = file;
  plain[68] = plain[69] = plain[70] = plain[71] = '\0';
  CHECK(find_in(plain).empty());
}

TEST_CASE("WalletFiles: keystore v3 (Web3 Secret Storage vectors) gives hashcat 15700/15600 lines") {
  const WalletFileHit scrypt = only_hit(test::read_data_file("wallet_files/keystore-scrypt.json"));
  CHECK(scrypt.kind == "wallet.keystore-v3");
  CHECK(scrypt.crack_format == "hashcat 15700");
  CHECK(scrypt.crackable ==
        "$ethereum$s*262144*1*8*ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19*"
        "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c*"
        "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097");
  const WalletFileHit pbkdf2 = only_hit(test::read_data_file("wallet_files/keystore-pbkdf2.json"));
  CHECK(pbkdf2.crack_format == "hashcat 15600");
  CHECK(pbkdf2.crackable ==
        "$ethereum$p*262144*ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd*"
        "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46*"
        "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2");
  // Carved: exact extent inside noise.
  const std::string json = test::read_data_file("wallet_files/keystore-scrypt.json");
  const WalletFileHit carved = only_hit("noise}{{ " + json + "}}garbage", false);
  CHECK(carved.offset == 9);
  CHECK(carved.length == json.size());
}

TEST_CASE("WalletFiles: MetaMask vaults plain, JSON-escaped in a LevelDB log, and in a Snappy .ldb block") {
  const std::string plain = test::read_data_file("wallet_files/metamask-vault.json");
  const WalletFileHit hit = only_hit(plain);
  CHECK(hit.kind == "wallet.metamask-vault");
  CHECK(hit.crack_format == "hashcat 26600");
  CHECK(hit.crackable ==
        "$metamask$c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ=$aXZpdml2aXZpdml2aXZpdg==$"
        "c2FtcGxlIGNpcGhlcnRleHQgb2YgYSB2YXVsdCwgbm90IHJlYWwgZGF0YQ==");

  const std::string log = test::read_data_file("wallet_files/metamask-000003.log");
  const WalletFileHit escaped = only_hit(log);
  CHECK(escaped.detail("escaped") == "json-string");
  CHECK(escaped.detail("iterations") == "600000");
  CHECK(escaped.crack_format == "metamask vault json");
  CHECK(log.substr(escaped.offset, 3) == "{\\\"");
  CHECK(log.substr(escaped.offset + escaped.length - 1, 1) == "}");

  const std::string ldb = test::read_data_file("wallet_files/metamask-000005.ldb");
  const WalletFileHit table = only_hit(ldb);
  CHECK(table.detail("container") == "leveldb-table");
  CHECK(table.crack_format == "hashcat 26600");
  // Table offsets need the file start; without it only what Snappy left as literals is seen.
  for (const auto& h : find_in(ldb, false)) CHECK(h.detail("container").empty());
}

TEST_CASE("WalletFiles: Exodus SECO checksum intact vs mismatch") {
  const std::string good = test::read_data_file("wallet_files/seed.seco");
  const WalletFileHit hit = only_hit(good);
  CHECK(hit.kind == "wallet.exodus-seco");
  CHECK(hit.length == good.size());
  CHECK(hit.detail("checksum") == "intact");
  CHECK(hit.detail("app_name") == "Exodus");
  CHECK(hit.detail("app_version") == "21.3.1");
  CHECK(hit.detail("scrypt") == "16384,8,1");
  const WalletFileHit bad = only_hit(test::read_data_file("wallet_files/seed-corrupt.seco"));
  CHECK(bad.detail("checksum") == "mismatch");
  CHECK(bad.partial);
  const WalletFileHit cut = only_hit(std::string_view(good).substr(0, 300));
  CHECK(cut.detail("checksum") == "truncated");
}

TEST_CASE("WalletFiles: Electrum JSON, BIE1 and Blockchain.com") {
  const WalletFileHit e = only_hit(test::read_data_file("wallet_files/electrum_default_wallet"));
  CHECK(e.kind == "wallet.electrum");
  CHECK(e.detail("seed_version") == "52");
  CHECK(e.detail("use_encryption") == "true");
  CHECK(e.detail("encrypted") == "yes");
  CHECK(e.detail("address_count") == "2");
  CHECK(e.detail("xpubs").rfind("zpub6nydoME6", 0) == 0);
  CHECK(e.crackable.empty());
  const WalletFileHit bie = only_hit(test::read_data_file("wallet_files/electrum_encrypted_wallet"));
  CHECK(bie.detail("format") == "bie1");
  CHECK(bie.length == 208);
  const WalletFileHit b = only_hit(test::read_data_file("wallet_files/blockchain-wallet.aes.json"));
  CHECK(b.kind == "wallet.blockchain-com");
  CHECK(b.detail("iterations") == "5000");
}

std::string first_line(const std::string& relative) {
  const std::string text = test::read_data_file(relative);
  return text.substr(0, text.find('\n'));
}

// Fixtures encrypted for real with the password "hashcat" (scripts/make-wallet-crack-fixtures), whose
// .line files hold the line that script built from its own values, in hashcat's extractor formats.
TEST_CASE("WalletFiles: Exodus SECO gives the hashcat 28200 line, from the metadata alone") {
  const std::string seco = test::read_data_file("wallet_files/seed-hashcat.seco");
  const WalletFileHit hit = only_hit(seco);
  CHECK(hit.detail("checksum") == "intact");
  CHECK(hit.crack_format == "hashcat 28200");
  CHECK(hit.crackable == first_line("wallet_files/seed-hashcat.seco.line"));
  // A truncated blob still yields the line; a truncated metadata block does not.
  // (The blob key ends 0x188 bytes into the file.)
  const WalletFileHit cut = only_hit(std::string_view(seco).substr(0, 0x188));
  CHECK(cut.detail("checksum") == "truncated");
  CHECK(cut.crackable == hit.crackable);
  CHECK(only_hit(std::string_view(seco).substr(0, 0x187)).crackable.empty());
  CHECK(exodus_seco_line(bytes_of(std::string_view(seco).substr(0, 0x187))).empty());
  // An unknown cipher gives no line.
  std::string other = seco;
  other.replace(0x12C, 3, "des");
  CHECK(exodus_seco_line(bytes_of(other)).empty());
}

TEST_CASE("WalletFiles: Electrum BIE1 gives the hashcat 21700 line, 21800 when longer than 16 KiB") {
  const std::string text = test::read_data_file("wallet_files/electrum-bie1-hashcat");
  const WalletFileHit hit = only_hit(text);
  CHECK(hit.detail("format") == "bie1");
  CHECK(hit.crack_format == "hashcat 21700");
  CHECK(hit.crackable == first_line("wallet_files/electrum-bie1-hashcat.line"));
  CHECK_FALSE(hit.partial);

  // Structure: "BIE1" || G (a valid compressed point) || ciphertext || 32-byte MAC.
  const std::string g = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  std::string header = "BIE1";
  for (std::size_t i = 0; i < g.size(); i += 2)
    header += static_cast<char>(std::stoi(g.substr(i, 2), nullptr, 16));
  const std::string mac(32, '\x5a');
  std::string format;
  const std::string small = header + std::string(64, '\x11') + mac;
  // The data field is what the MAC covers: "BIE1", the key and the ciphertext.
  CHECK(electrum_bie1_line(bytes_of(small), format) ==
        "$electrum$4*" + g + "*42494531" + g + std::string(128, '1') + "*" +
            "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
  CHECK(format == "hashcat 21700");
  // 16384 bytes of MAC'd data are the most -m 21700 takes.
  CHECK(electrum_bie1_line(bytes_of(header + std::string(16336, '\x22') + mac), format).size() ==
        12 + 66 + 1 + 2 * 16373 + 1 + 64);
  CHECK(format == "hashcat 21700");
  const std::string large = header + std::string(16352, '\x22') + mac;
  const std::string line = electrum_bie1_line(bytes_of(large), format);
  CHECK(format == "hashcat 21800");
  CHECK(line == "$electrum$5*" + g + "*" + std::string(2048, '2') + "*" +
                    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
  // Not whole AES blocks, no ciphertext, or not a point on the curve: no line.
  CHECK(electrum_bie1_line(bytes_of(header + std::string(65, '\x11') + mac), format).empty());
  CHECK(electrum_bie1_line(bytes_of(header + mac), format).empty());
  std::string off_curve = small;
  off_curve[4] = '\x05';  // no such point encoding
  CHECK(electrum_bie1_line(bytes_of(off_curve), format).empty());
  CHECK(format.empty());
  // The synthetic all-zero fixture has no valid key: found, but no line.
  CHECK(only_hit(test::read_data_file("wallet_files/electrum_encrypted_wallet")).crackable.empty());
}

/// "BIEn" || G (a valid compressed point) || `blocks` AES blocks || a 32-byte MAC, base64.
std::string electrum_storage(char version, std::size_t blocks) {
  const std::string g = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  std::string raw = std::string("BIE") + version;
  for (std::size_t i = 0; i < g.size(); i += 2) raw += static_cast<char>(std::stoi(g.substr(i, 2), nullptr, 16));
  raw += std::string(16 * blocks, '\x11') + std::string(32, '\x5a');
  return base64_encode(raw);
}

TEST_CASE("WalletFiles: Electrum BIE2 (hardware wallet key) is found, says so, and gives no hashcat line") {
  const std::string bie2 = electrum_storage('2', 8);
  REQUIRE(bie2.rfind("QklFMg", 0) == 0);
  const WalletFileHit hit = only_hit(bie2);
  CHECK(hit.kind == "wallet.electrum");
  CHECK(hit.detail("format") == "bie2");
  CHECK(hit.detail("encrypted") == "yes");
  CHECK(hit.detail("key_source") == "hardware-wallet-xpub");
  CHECK(hit.detail("hashcat") == "none");
  CHECK(hit.length == bie2.size());
  CHECK_FALSE(hit.partial);
  CHECK(hit.crackable.empty());
  CHECK(hit.crack_format.empty());
  // The same bytes as BIE1 do give the line: only the magic differs.
  const WalletFileHit bie1 = only_hit(electrum_storage('1', 8));
  CHECK(bie1.detail("format") == "bie1");
  CHECK(bie1.detail("hashcat").empty());
  CHECK(bie1.crack_format == "hashcat 21700");

  // Carved from raw bytes: exact extent between non-base64 bytes; only when it starts in the page.
  const std::string raw = std::string(300, '\0') + bie2 + "\n" + test::random_bytes(200, 7);
  const WalletFileHit carved = only_hit(raw, false);
  CHECK(carved.offset == 300);
  CHECK(carved.length == bie2.size());
  CHECK(carved.detail("format") == "bie2");
  WalletFileWindow w;
  w.data = bytes_of(raw);
  w.page_end = 300;
  for (const auto& h : find_wallet_files(w)) CHECK(h.detail("format") != "bie2");
  w.page_end = 301;
  CHECK(find_wallet_files(w).size() == 1);
}

TEST_CASE("WalletFiles: BIE2 near-misses: too short, inside a longer base64 run, truncated") {
  const std::string bie2 = electrum_storage('2', 8);
  CHECK(find_in(bie2.substr(0, 119)).empty());        // shorter than magic + key + one block + MAC
  CHECK(find_in("QklFMg==").empty());
  CHECK(find_in("abc" + bie2).empty());               // not the start of its base64 run
  CHECK(find_in("QklFMgAAAA" + std::string(4, '\0')).empty());
  // Cut off (but long enough): found, no line either way.
  const WalletFileHit cut = only_hit(std::string_view(bie2).substr(0, 150));
  CHECK(cut.detail("format") == "bie2");
  CHECK(cut.crackable.empty());
}

TEST_CASE("WalletFiles: a vault escaped with \\u0022 and \\/ is found with the extent of its escaped bytes") {
  const std::string plain = test::read_data_file("wallet_files/metamask-vault.json");
  std::string escaped;
  for (char c : plain) {
    if (c == '"') escaped += "\\u0022";
    else if (c == '/') escaped += "\\/";
    else if (c == '\n') escaped += "\\n";
    else escaped += c;
  }
  const std::string record = "\x01\x02{\"KeyringController\":{\"vault\":\"" + escaped + "\"}}";
  const WalletFileHit hit = only_hit(record, false);
  CHECK(hit.kind == "wallet.metamask-vault");
  CHECK(hit.detail("encoding") == "json-escaped");
  CHECK(hit.crack_format == "hashcat 26600");
  CHECK(hit.crackable == only_hit(plain).crackable);
  CHECK(record.substr(hit.offset, hit.length) == escaped.substr(0, escaped.rfind('}') + 1));
}

std::string json_escaped(std::string_view plain) {
  std::string out;
  for (char c : plain) {
    if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

/// Hits of `file` scanned in windows of `page` bytes plus the finder's margin: "offset length kind encoding".
std::vector<std::string> paged(const std::string& file, std::size_t page) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < file.size(); at += page) {
    WalletFileWindow w;
    const std::string_view window = std::string_view(file).substr(at, page + wallet_file_margin());
    w.data = bytes_of(window);
    w.page_end = std::min(page, window.size());
    w.item_start = at == 0;
    for (const auto& hit : find_wallet_files(w))
      out.push_back(std::to_string(at + hit.offset) + " " + std::to_string(hit.length) + " " + hit.kind + " " +
                    hit.detail("encoding"));
  }
  return out;
}

TEST_CASE("WalletFiles: wallets in UTF-16LE/BE text, plain and JSON-escaped, at their UTF-16 bytes") {
  const std::string plain = test::read_data_file("wallet_files/metamask-vault.json");
  const std::string vault = plain.substr(0, plain.rfind('}') + 1);
  const std::string keystore = test::read_data_file("wallet_files/keystore-scrypt.json");
  for (bool le : {true, false}) {
    CAPTURE(le);
    const std::string suffix = le ? "le" : "be";
    const std::string escaped = json_escaped(vault);
    const std::string note = "{\"KeyringController\":{\"vault\":\"" + escaped + "\"}}\n";
    // Separated by bytes that are not text (a zero byte after UTF-16BE text would make it UTF-16LE text too).
    const std::string text = std::string(7, '\x01') + ascii_as_utf16(note, le) + std::string(4, '\x01') + ascii_as_utf16(vault, le) +
                             std::string(2, '\x01') + ascii_as_utf16(keystore, le);
    const auto hits = find_in(text, false);
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].kind == "wallet.metamask-vault");
    CHECK(hits[0].detail("encoding") == "utf-16" + suffix + "+json-escaped");
    CHECK(hits[0].offset == 7 + 2 * note.find(escaped));
    CHECK(hits[0].length == 2 * escaped.size());
    CHECK(hits[0].crackable == only_hit(plain).crackable);
    CHECK(hits[1].kind == "wallet.metamask-vault");
    CHECK(hits[1].detail("encoding") == "utf-16" + suffix);
    CHECK(hits[1].offset == 7 + 2 * note.size() + 4);
    CHECK(hits[1].length == 2 * vault.size());
    CHECK(hits[2].kind == "wallet.keystore-v3");
    CHECK(hits[2].detail("encoding") == "utf-16" + suffix);
    CHECK(hits[2].crack_format == "hashcat 15700");
    CHECK(hits[2].length == 2 * (keystore.rfind('}') + 1));
    // Found once, by the page it starts in, at every page size.
    const auto whole = paged(text, text.size());
    REQUIRE(whole.size() == 3);
    for (std::size_t page : {1, 17, 4096, 4097}) {
      CAPTURE(page);
      CHECK(paged(text, page) == whole);
    }
  }
  // UTF-16BE text followed by a zero byte is UTF-16LE text one byte on too: read by its end, as LE.
  const WalletFileHit both = only_hit(ascii_as_utf16(vault, false) + std::string(2, '\0'), false);
  CHECK(both.detail("encoding") == "utf-16le");
  CHECK(both.offset == 1);
  CHECK(both.length == 2 * vault.size());
  // Damaged: a vault cut short, or odd bytes inside, is no hit and no crash.
  const std::string cut = ascii_as_utf16(vault, true);
  CHECK(find_in(std::string_view(cut).substr(0, cut.size() / 2), false).empty());
  std::string odd = cut;
  odd[odd.size() / 2] = '\x01';
  CHECK(find_in(odd, false).empty());
  CHECK(find_in(ascii_as_utf16("{\"data\":", true), false).empty());
  CHECK(find_in(ascii_as_utf16("{\"data\":", false).substr(1), false).empty());
}

TEST_CASE("WalletFiles: wallet_files_possible says yes for every page a wallet starts in, from page + its margin") {
  std::string raw = test::random_bytes(3000, 7);
  std::vector<std::string> wallets;
  for (const char* name : {"wallet.dat", "descriptor-wallet.dat", "seed.seco", "seed-corrupt.seco", "keystore-scrypt.json",
                           "metamask-vault.json", "electrum_default_wallet", "electrum_encrypted_wallet",
                           "blockchain-wallet.aes.json", "metamask-000003.log", "metamask-000005.ldb"})
    wallets.push_back(test::read_data_file(std::string("wallet_files/") + name));
  const std::string vault = wallets[5].substr(0, wallets[5].rfind('}') + 1);
  wallets.push_back("{\"KeyringController\":{\"vault\":\"" + json_escaped(vault) + "\"}}");
  wallets.push_back(ascii_as_utf16(vault, true));
  wallets.push_back(ascii_as_utf16(vault, false));
  for (const auto& wallet : wallets) raw += wallet + test::random_bytes(1000 + raw.size() % 997, raw.size());
  const std::size_t gate = wallet_file_gate_margin();
  CHECK(gate < wallet_file_margin());
  std::size_t pages_with_hits = 0;
  for (std::size_t page : {4096, 4097, 70000}) {
    for (std::size_t at = 0; at < raw.size(); at += page) {
      CAPTURE(page);
      CAPTURE(at);
      WalletFileWindow w;
      const std::string_view window = std::string_view(raw).substr(at, page + wallet_file_margin());
      w.data = bytes_of(window);
      w.page_end = std::min(page, window.size());
      w.item_start = false;
      if (find_wallet_files(w).empty()) continue;
      ++pages_with_hits;
      w.data = bytes_of(window.substr(0, page + gate));
      CHECK(wallet_files_possible(w));
    }
  }
  CHECK(pages_with_hits >= wallets.size());
  // Prose, code and random bytes hold no sign of a wallet; the item start always may.
  const std::string prose =
      test::random_bytes(100000, 3) + "The data is \"encrypted\" with {crypto: keys}: QkZF \\\"dat\\\" SQLite format 2";
  WalletFileWindow none;
  none.data = bytes_of(prose);
  none.page_end = prose.size();
  CHECK_FALSE(wallet_files_possible(none));
  none.item_start = true;
  CHECK(wallet_files_possible(none));
}

TEST_CASE("WalletFiles: an Electrum wallet with a plaintext seed carries it as the secret") {
  const std::string json =
      R"({"keystore":{"seed":"wild father tree among universe such mobile favorite target dynamic credit identify",)"
      R"("type":"bip32","xpub":"zpub6abc"},"seed_version":18,"use_encryption":false,"wallet_type":"standard"})";
  const WalletFileHit hit = only_hit(json);
  CHECK(hit.crack_format == "plaintext electrum seed");
  CHECK(hit.crackable.rfind("wild father", 0) == 0);
  CHECK(hit.detail("encrypted") == "no");
}

TEST_CASE("WalletFiles: garbage, truncation and near-misses give no hit and no crash") {
  CHECK(find_in("").empty());
  CHECK(find_in("{\"seed_version\": ").empty());
  CHECK(find_in("{\"data\":\"x\",\"iv\":\"y\"}").empty());
  CHECK(find_in(std::string("\x62\x31\x05\x00\x09\x00\x00\x00", 8)).empty());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::string noise = test::random_bytes(4096, seed);
    const std::string file = test::read_data_file("wallet_files/wallet.dat");
    noise += file.substr(0, static_cast<std::size_t>(seed * 400));
    (void)find_in(noise);
  }
}

TEST_CASE("Snappy: literals, copies and malformed input") {
  // "abcd" literal then copy-1 of length 4 at offset 4: "abcdabcd".
  const std::string block("\x08\x0c" "abcd" "\x01\x04", 8);
  auto out = snappy_decompress(bytes_of(block), 100);
  REQUIRE(out.ok());
  CHECK(*out == "abcdabcd");
  CHECK_FALSE(snappy_decompress(bytes_of(block), 4).ok());
  CHECK_FALSE(snappy_decompress(bytes_of(std::string("\x08\x0c" "ab", 4)), 100).ok());
  CHECK_FALSE(snappy_decompress(bytes_of(std::string("\x04\x01\x04", 3)), 100).ok());  // copy before any output
}

TEST_CASE("JsonLite: values, escapes, exact length and errors") {
  auto p = parse_json_prefix(R"( {"a":[1,true,null],"b":"x\"y\u0041"} tail)");
  REQUIRE(p.ok());
  CHECK(p->length == 37);
  CHECK(p->value.string_of("b") == "x\"yA");
  CHECK(p->value.find("a")->items.size() == 3);
  CHECK_FALSE(parse_json_prefix("{\"a\":").ok());
  CHECK_FALSE(parse_json_prefix(std::string(100, '[')).ok());
}

TEST_CASE("WalletFiles: the vector pair search visits every anchor pair, at every alignment and at the end") {
  std::mt19937_64 random(5);
  // The anchor pairs' bytes and their neighbours (0x20 apart: the case fold of "c").
  const std::vector<std::uint8_t> alphabet = {0x31, 0x05, 'Q', 'L', 'k', 0x12, 's', 0xba, 'W', 0x16, 'o', '"',
                                              'c', 'C', 'd', 'p', 0, '\\', 'u', 'a', 'S', 0x11, 0x8a, 'K'};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint8_t> bytes(1 + random() % 300);
    for (auto& b : bytes) b = alphabet[random() % alphabet.size()];
    const std::size_t size = bytes.size();
    for (std::size_t from = 0; from < std::min<std::size_t>(size, 70); ++from) {
      const std::size_t stop = size - random() % std::min<std::size_t>(size - from + 1, 3);
      std::vector<std::size_t> visited;
      for (std::size_t i = next_wallet_anchor_pair(bytes.data(), size, from, stop); i < stop;
           i = next_wallet_anchor_pair(bytes.data(), size, i + 1, stop))
        visited.push_back(i);
      std::vector<std::size_t> exact;
      for (std::size_t i = from; i < stop; ++i)
        if (i + 1 < size && is_wallet_anchor_pair(bytes[i], bytes[i + 1])) exact.push_back(i);
      CAPTURE(round);
      CAPTURE(from);
      // A superset of the exact positions, in order, each below stop.
      std::size_t k = 0;
      for (std::size_t i : visited) {
        CHECK(i >= from);
        CHECK(i < stop);
        if (k < exact.size() && exact[k] == i) ++k;
      }
      CHECK(k == exact.size());
    }
  }
}

}  // namespace
}  // namespace trawl::scan
