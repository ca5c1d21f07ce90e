// JSON wallets: Electrum, Ethereum keystore v3, MetaMask vaults and
// Blockchain.com backups, recognised by their members (research note §3.1).
#include <string>

#include "scan/json_lite.hpp"
#include "scan/wallet_files.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kMaxListed = 200;

bool is_hex(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

bool is_digits(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string number_of(const JsonValue* v) {
  return v != nullptr && v->type == JsonType::number && is_digits(v->text) ? v->text : std::string();
}

std::string scalar_text(const JsonValue* v) {
  if (v == nullptr) return {};
  if (v->type == JsonType::boolean) return v->boolean ? "true" : "false";
  if (v->type == JsonType::number || v->type == JsonType::string) return v->text;
  return {};
}

void collect_addresses(const JsonValue& v, std::vector<std::string>& out, int depth = 0) {
  if (depth > 3) return;
  if (v.type == JsonType::string && out.size() < kMaxListed) out.push_back(v.text);
  for (const auto& item : v.items) collect_addresses(item, out, depth + 1);
  for (const auto& [name, member] : v.members) collect_addresses(member, out, depth + 1);
}

bool electrum(const JsonValue& root, WalletFileHit& hit) {
  const std::string seed_version = number_of(root.find("seed_version"));
  if (seed_version.empty()) return false;
  hit.kind = "wallet.electrum";
  hit.add("format", "json");
  hit.add("seed_version", seed_version);
  if (auto t = root.string_of("wallet_type"); !t.empty()) hit.add("wallet_type", t);
  const std::string use_encryption = scalar_text(root.find("use_encryption"));
  if (!use_encryption.empty()) hit.add("use_encryption", use_encryption);
  std::string xpubs;
  bool secret_in_clear = false;
  for (const auto& [name, member] : root.members) {
    if (name != "keystore" && name.rfind("x", 0) != 0) continue;  // keystore, x1/, x2/ (multisig)
    if (member.type != JsonType::object) continue;
    if (auto x = member.string_of("xpub"); !x.empty()) xpubs += (xpubs.empty() ? "" : " ") + x;
    if (auto t = member.string_of("type"); !t.empty()) hit.add("keystore_type", t);
    const std::string seed = member.string_of("seed");
    const std::string xprv = member.string_of("xprv");
    // An encrypted keystore stores base64 ciphertext; a plaintext seed has spaces, a plaintext xprv its prefix.
    if (use_encryption != "true" && (seed.find(' ') != std::string::npos || xprv.rfind("xprv", 0) == 0 ||
                                     xprv.rfind("zprv", 0) == 0 || xprv.rfind("yprv", 0) == 0)) {
      secret_in_clear = true;
      if (hit.crackable.empty()) {
        hit.crackable = seed.empty() ? xprv : seed;
        hit.crack_format = seed.empty() ? "plaintext xprv" : "plaintext electrum seed";
      }
    }
  }
  if (!xpubs.empty()) hit.add("xpubs", xpubs);
  hit.add("encrypted", secret_in_clear ? "no" : (use_encryption == "true" ? "yes" : "keystore"));
  if (const JsonValue* a = root.find("addresses")) {
    std::vector<std::string> addresses;
    collect_addresses(*a, addresses);
    hit.add("address_count", std::to_string(addresses.size()));
    std::string joined;
    for (const auto& s : addresses) joined += (joined.empty() ? "" : " ") + s;
    if (!joined.empty()) hit.add("addresses", joined);
  }
  return true;
}

bool keystore_v3(const JsonValue& root, WalletFileHit& hit) {
  const JsonValue* crypto = root.find("crypto");
  if (crypto == nullptr) crypto = root.find("Crypto");
  if (crypto == nullptr || crypto->type != JsonType::object) return false;
  const std::string kdf = crypto->string_of("kdf");
  const std::string ciphertext = crypto->string_of("ciphertext");
  const std::string mac = crypto->string_of("mac");
  const JsonValue* params = crypto->find("kdfparams");
  if (kdf.empty() || !is_hex(ciphertext) || !is_hex(mac) || params == nullptr || params->type != JsonType::object)
    return false;
  hit.kind = "wallet.keystore-v3";
  hit.add("format", "json");
  hit.add("encrypted", "yes");
  if (auto v = scalar_text(root.find("version")); !v.empty()) hit.add("version", v);
  if (auto a = root.string_of("address"); !a.empty()) hit.add("address", a);
  hit.add("kdf", kdf);
  hit.add("cipher", crypto->string_of("cipher"));
  const std::string salt = params->string_of("salt");
  if (!is_hex(salt)) return true;
  if (kdf == "scrypt") {
    const std::string n = number_of(params->find("n"));
    const std::string r = number_of(params->find("r"));
    const std::string p = number_of(params->find("p"));
    if (n.empty() || r.empty() || p.empty()) return true;
    hit.crackable = "$ethereum$s*" + n + "*" + r + "*" + p + "*" + salt + "*" + ciphertext + "*" + mac;
    hit.crack_format = "hashcat 15700";
  } else if (kdf == "pbkdf2") {
    const std::string c = number_of(params->find("c"));
    if (c.empty() || params->string_of("prf") != "hmac-sha256") return true;
    hit.crackable = "$ethereum$p*" + c + "*" + salt + "*" + ciphertext + "*" + mac;
    hit.crack_format = "hashcat 15600";
  }
  return true;
}

bool metamask(const JsonValue& root, WalletFileHit& hit) {
  const std::string data = root.string_of("data");
  const std::string iv = root.string_of("iv");
  const std::string salt = root.string_of("salt");
  if (data.size() < 16 || iv.empty() || salt.empty()) return false;
  hit.kind = "wallet.metamask-vault";
  hit.add("format", "json");
  hit.add("encrypted", "yes");
  std::string iterations;
  if (const JsonValue* meta = root.find("keyMetadata"); meta != nullptr) {
    if (auto a = meta->string_of("algorithm"); !a.empty()) hit.add("kdf", a);
    if (const JsonValue* params = meta->find("params"); params != nullptr)
      iterations = number_of(params->find("iterations"));
  }
  hit.add("iterations", iterations.empty() ? "10000" : iterations);
  if (iterations.empty() || iterations == "10000") {
    hit.crackable = "$metamask$" + salt + "$" + iv + "$" + data;
    hit.crack_format = "hashcat 26600";
  } else {
    // Vaults with other iteration counts: the vault JSON itself is what btcrecover takes.
    hit.crackable = "{\"data\":\"" + data + "\",\"iv\":\"" + iv +
                    "\",\"keyMetadata\":{\"algorithm\":\"PBKDF2\",\"params\":{\"iterations\":" + iterations +
                    "}},\"salt\":\"" + salt + "\"}";
    hit.crack_format = "metamask vault json";
  }
  return true;
}

bool blockchain(const JsonValue& root, WalletFileHit& hit) {
  const std::string payload = root.string_of("payload");
  if (payload.size() < 16 || (root.find("pbkdf2_iterations") == nullptr && root.find("version") == nullptr))
    return false;
  hit.kind = "wallet.blockchain-com";
  hit.add("format", "json");
  hit.add("encrypted", "yes");
  if (auto v = scalar_text(root.find("version")); !v.empty()) hit.add("version", v);
  if (auto i = number_of(root.find("pbkdf2_iterations")); !i.empty()) hit.add("iterations", i);
  return true;
}

}  // namespace

bool classify_json_wallet(std::string_view json, WalletFileHit& hit) {
  auto parsed = parse_json_prefix(json);
  if (!parsed || parsed->value.type != JsonType::object) return false;
  hit.length = parsed->length;
  const JsonValue& root = parsed->value;
  return electrum(root, hit) || keystore_v3(root, hit) || metamask(root, hit) || blockchain(root, hit);
}

}  // namespace trawl::scan
