#include "wallet-scan/value_list.hpp"

#include <fstream>

#include "common/cli.hpp"

namespace trawl::tools {
namespace {

// Each is public: published in a standard, its test vectors or block explorers' "burn" pages.
constexpr std::string_view kBuiltinStop[] = {
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",          // genesis block coinbase
    "1111111111111111111114oLvT2",                 // hash160 zero (burn)
    "1BitcoinEaterAddressDontSendf59kuE",          // burn
    "1CounterpartyXXXXXXXXXXXXXXXUWLpVr",          // Counterparty burn
    "0x000000000000000000000000000000000000dEaD",  // EVM burn
    "0x0000000000000000000000000000000000000000",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",  // BIP173 example
    "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
    "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",  // BIP84 vector ("abandon … about")
    "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g",  // BIP84 vector, m/84'/0'/0'/0/1
    "37VucYSaXLCAsxYyAPfbSi9eh4iEcbShgf",          // BIP49 vector
    "1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA",          // BIP44 "abandon … about" m/44'/0'/0'/0/0
    "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr",  // BIP86 vector
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",          // Bitcoin wiki examples
    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm",          // private key 1
    "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH",
    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",  // EIP-55 vectors
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    "0x9858EfFD232B4033E47d90003D41EC34EcaEda94",  // m/44'/60'/0'/0/0 of "abandon … about"
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
    "legal winner thank year wave sausage worth useful legal winner thank yellow",  // BIP39 vectors
    "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
    "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
    // Private keys 1 to 8 as compressed and uncompressed WIF: textbook keys (hashcat's OpenCL sources hold some).
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU74NMTptX4", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAvUcVfH",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU74sHUHy8S", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreB1FQ8BZ",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU75NBY2dKG", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreB4AD8Yi",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU75s2EPgZf", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreBF8or94",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU76Myig6zj", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreBKdE2NK",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU76rnZwVdz", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreBR6zCMU",
    "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU77MfhviY5", "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreBbMaQX1",
    // hashcat's self-test values for its Bitcoin WIF modes 28501-28506 (Debian's hashcat package ships them).
    "KxhashcatxhXkULNJYF8Fu46G28SJrC7x2qwFtRuf38kVjkWxHg3", "1Jv6EonXm9x4Dw4QjEPAhGfmzFxTL7b3Zj",
    "5KcL859EUnBDtVG76134U6DZWnVmpE996emJnWmTLRW2hashcat", "1L9nr4GX4Zmd7gDL1UT75QPUqxSgNTvdHb",
    "KyhashcatpL2CQmMUDVMVuEXqdLSvfQ6TBjkUuyttSvBa7GMiuLi", "bc1qxd76a5zamfyw0g2d2rxkdh0zt9m0uzmxmwjf0q",
    "5HzV19ffW9QTnmZHbwETRpPHm1d4hAP8PG1etUb3T3jjhashcat", "bc1qv8e65p73gmp4w3z6fqnyu8t6ct69vetsda3snd",
    "L4hashcat7q6HMnMFcukyvxxVJvpabXYjxXLey8846NtWUyX4YLi", "3H1YvmSdrjEfj9LvtiKJ8XiYq5htJRuejA",
    "5JjDR424kMePbt5Uxnm2t1NizhdiVPcf8gCj68PQpP2ihashcat", "3LovFVx5zBRvusVcj7pf3JxV9V46kjKhKu",
    // Donation addresses in the READMEs of Debian's monero and librandomx0 packages (the Monero General Fund,
    // its subaddress and Bitcoin address, RandomX's): on every machine that has them installed.
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
    "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQUiyoogDavup3H",
    "845xHUh5GvfHwc2R8DVJCE7BT2sd4YEcmjG8GNSdmeNsP5DTEjXd1CNgxTcjHjiFuthRHAoVEJjM7GyKzQKLJtbd56xbh7V",
    "1KTexdemPdxSBcG55heUuTjDRYqbC5ZL8H",
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string ValueList::normalise(std::string_view value) {
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  std::string out;
  if (value.find(' ') != std::string_view::npos || value.find('\n') != std::string_view::npos) {
    // A phrase: its words, lower case, single spaces; list numbers and punctuation dropped.
    std::string word;
    auto flush = [&] {
      if (!word.empty()) out += (out.empty() ? "" : " ") + word;
      word.clear();
    };
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((c >= 'a' && c <= 'z') || u >= 0x80) word += c;
      else if (c >= 'A' && c <= 'Z') word += static_cast<char>(c - 'A' + 'a');
      else flush();
    }
    flush();
    return out;
  }
  out = std::string(value);
  if (out.rfind("0x", 0) == 0 || out.rfind("0X", 0) == 0 || out.rfind("bc1", 0) == 0 || out.rfind("BC1", 0) == 0 ||
      out.rfind("tb1", 0) == 0 || out.rfind("ltc1", 0) == 0)
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void ValueList::add(std::string_view value) {
  std::string n = normalise(value);
  if (!n.empty()) values_.insert(std::move(n));
}

bool ValueList::contains(std::string_view value) const { return !values_.empty() && values_.count(normalise(value)); }

ValueList ValueList::builtin_stop_list() {
  ValueList list;
  for (auto v : kBuiltinStop) list.add(v);
  return list;
}

void ValueList::add_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw cli::SetupError("cannot read list " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    add(line);
  }
}

}  // namespace trawl::tools
