#include "scan/bip39.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "scan/sha256_adapter.hpp"
#include "test_support.hpp"

namespace trawl::scan {
namespace {

struct Vector {
  const char* entropy;  // hex
  const char* mnemonic;
};

// trezor/python-mnemonic vectors.json, "english" (the vectors bip-0039.mediawiki points to).
const Vector kEnglish[] = {
    {"00000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank yellow"},
    {"80808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"},
    {"ffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"},
    {"000000000000000000000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will"},
    {"808080808080808080808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"},
    {"8080808080808080808080808080808080808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote"},
    {"7dce4ed2284c9134d026608ab684c05c", "lava include region explain simple omit dog slot melt reflect copy reward"},
    {"0ce452419635c1a5faf44d60f2029f73fdc43419b4de1f03", "artefact card motor cluster foster spray type meadow genius mosquito pond tree sword borrow grocery orange business burger"},
    {"00ac97c48106f0aeb8ba061e0250a559b3251dc35854e694780ba51d53a50120", "absent gorilla van acoustic humor firm title dolphin bulk barely citizen recall crane moment aspect appear track phrase actual enforce steel spoon afraid benefit"},
    {"5baf069620eff15c71dd97c9a6ee328f", "forum join pitch dove yellow purchase shuffle real situate danger million bunker"},
    {"977f8287f9ed670b8489838ab0476a63b65d4df12f406e68", "number winter peanut video stool magic banana corn melt lion surround shuffle grape plunge seven trend hover dwarf"},
    {"3edc83b60740d77af3afa2fcb82c2f1bc541ee4e2518ddef4996d32453f54a3c", "disagree tomato unique attend aspect runway solid violin witness scrap armed daring favorite warm decade perfect target kid grant play early wide cigar night"},
    {"63deb1e7f0c3de56f4ab43c9d2ae6c86", "glow void ketchup thunder digital clock sport half six nice open artefact"},
    {"e77c6500b49072aefdf0a8aa787cf557d1920e94103e0597", "trash tobacco dizzy hard already first water bench price sentence diary quick bomb also expect amazing airport royal"},
    {"89bb4bc5555992cdaf3444c5e7ca5a6e9f27efab894f1990bae41be8b2a26ea4", "meadow surge vanish primary odor grocery rubber mass shine dinner notable tag venue water purchase clarify book magic ribbon daughter menu eye ritual orchard"},
    {"00641669f095b433a304ed0f953f28eb", "about camera omit thrive forget border metal oval auto prepare sketch stomach"},
    {"b8b0ff94389d3ec591c7d2fb72d8d3666e4e52b8cdf5471d", "reward margin topic illness stadium glare either where window nothing crumble smoke top citizen tobacco salt either truth"},
    {"911fec0fbd88029f6fa99164896c18d898c9232af18bdcca3e42d53b86493104", "much youth advance kitchen lens exile salt cram goose enter alert raise milk muscle profit cousin system faint mouse price reveal cause series long"},
};

// bip32JP/bip32JP.github.io test_JP_BIP39.json at 2ec91ad18196 (the Japanese vectors bip-0039.mediawiki points to);
// words separated by U+3000, composed (NFC) kana as in that file.
const Vector kJapanese[] = {
    {"00000000000000000000000000000000", "あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あおぞら"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　やちん　そつう　れきだい　ほんやく　わかめ"},
    {"80808080808080808080808080808080", "そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　いよく　そとづら　あまど　おおう　あかちゃん"},
    {"ffffffffffffffffffffffffffffffff", "われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　ろんぶん"},
    {"000000000000000000000000000000000000000000000000", "あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あらいぐま"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　やちん　そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　やちん　そつう　れいぎ"},
    {"808080808080808080808080808080808080808080808080", "そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　いよく　そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　いよく　そとづら　いきなり"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffff", "われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　りんご"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　いってい"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　やちん　そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　やちん　そつう　れきだい　ほんやく　わかす　りくつ　ばいか　ろせん　まんきつ"},
    {"8080808080808080808080808080808080808080808080808080808080808080", "そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　いよく　そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　いよく　そとづら　あまど　おおう　あこがれる　いくぶん　けいけん　あたえる　うめる"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　われる　らいう"},
    {"77c2b00716cec7213839159e404db50d", "せまい　うちがわ　あずき　かろう　めずらしい　だんち　ますく　おさめる　ていぼう　あたる　すあな　えしゃく"},
    {"b63a9c59a6e641f288ebc103017f1da9f8290b3da6bdef7b", "ぬすむ　ふっかつ　うどん　こうりつ　しつじ　りょうり　おたがい　せもたれ　あつめる　いちりゅう　はんしゃ　ごますり　そんけい　たいちょう　らしんばん　ぶんせき　やすみ　ほいく"},
    {"3e141609b97933b66a060dcddc71fad1d91677db872031e85f4c015c5e7e8982", "くのう　てぬぐい　そんかい　すろっと　ちきゅう　ほあん　とさか　はくしゅ　ひびく　みえる　そざい　てんすう　たんぴん　くしょう　すいようび　みけん　きさらぎ　げざん　ふくざつ　あつかう　はやい　くろう　おやゆび　こすう"},
    {"0460ef47585604c5660618db2e6a7e7f", "あみもの　いきおい　ふいうち　にげる　ざんしょ　じかん　ついか　はたん　ほあん　すんぽう　てちがい　わかめ"},
    {"72f60ebac5dd8add8d2a25a797102c3ce21bc029c200076f", "すろっと　にくしみ　なやむ　たとえる　へいこう　すくう　きない　けってい　とくべつ　ねっしん　いたみ　せんせい　おくりがな　まかい　とくい　けあな　いきおい　そそぐ"},
    {"2c85efc7f24ee4573d2b81a6ec66cee209b2dcbd09d8eddc51e0215b0b68e416", "かほご　きうい　ゆたか　みすえる　もらう　がっこう　よそう　ずっと　ときどき　したうけ　にんか　はっこう　つみき　すうじつ　よけい　くげん　もくてき　まわり　せめる　げざい　にげる　にんたい　たんそく　ほそく"},
    {"eaebabb2383351fd31d703840b32e9e2", "めいえん　さのう　めだつ　すてる　きぬごし　ろんぱ　はんこ　まける　たいおう　さかいし　ねんいり　はぶらし"},
    {"7ac45cfe7722ee6c7ba84fbc2d5bd61b45cb2fe5eb65aa78", "せんぱい　おしえる　ぐんかん　もらう　きあい　きぼう　やおや　いせえび　のいず　じゅしん　よゆう　きみつ　さといも　ちんもく　ちわわ　しんせいじ　とめる　はちみつ"},
    {"4fa1a8bc3e6d80ee1316050e862c1812031493212b7ec3f3bb1b08f168cabeef", "こころ　いどう　きあつ　そうがんきょう　へいあん　せつりつ　ごうせい　はいち　いびき　きこく　あんい　おちつく　きこえる　けんとう　たいこ　すすめる　はっけん　ていど　はんおん　いんさつ　うなぎ　しねま　れいぼう　みつかる"},
    {"18ab19a9f54a9274f03e5209a2ac8a91", "うりきれ　さいせい　じゆう　むろん　とどける　ぐうたら　はいれつ　ひけつ　いずれ　うちあわせ　おさめる　おたく"},
    {"18a2e1d81b8ecfb2a333adcb0c17a5b9eb76cc5d05db91a4", "うりきれ　うねる　せっさたくま　きもち　めんきょ　へいたく　たまご　ぜっく　びじゅつかん　さんそ　むせる　せいじ　ねくたい　しはらい　せおう　ねんど　たんまつ　がいけん"},
    {"15da872c95a13dd738fbf50e427583ad61f18fd99f628c417a61cf8343c90419", "うちゅう　ふそく　ひしょ　がちょう　うけもつ　めいそう　みかん　そざい　いばる　うけとる　さんま　さこつ　おうさま　ぱんつ　しひょう　めした　たはつ　いちぶ　つうじょう　てさぎょう　きつね　みすえる　いりぐち　かめれおん"},
};

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

std::string hex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::vector<uint8_t> unhex(std::string_view text) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < text.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  return out;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> words;
  for (size_t at = 0;;) {
    const size_t end = text.find(separator, at);
    words.push_back(text.substr(at, end - at));
    if (end == std::string_view::npos) return words;
    at = end + separator.size();
  }
}

std::string join(const std::vector<std::string_view>& words, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

/// The BIP39 encoding, written out independently of the library: entropy -> words of `language` (NFKD).
std::vector<std::string_view> encode(const std::vector<uint8_t>& entropy, Bip39Language language) {
  const Sha256Digest digest = sha256(entropy);
  std::vector<bool> bits;
  for (uint8_t b : entropy) {
    for (int i = 7; i >= 0; --i) bits.push_back((b >> i) & 1);
  }
  for (size_t i = 0; i < entropy.size() * 8 / 32; ++i) bits.push_back((digest[0] >> (7 - i)) & 1);
  std::vector<std::string_view> words;
  for (size_t at = 0; at + 11 <= bits.size(); at += 11) {
    unsigned index = 0;
    for (size_t i = 0; i < 11; ++i) index = index * 2 + (bits[at + i] ? 1 : 0);
    words.push_back(bip39_wordlist(language)[index]);
  }
  return words;
}

TEST_CASE("Bip39: the word lists are the official ones") {
  CHECK(bip39_wordlist(Bip39Language::english)[0] == "abandon");
  CHECK(bip39_wordlist(Bip39Language::english)[2047] == "zoo");
  CHECK(bip39_wordlist(Bip39Language::japanese)[0] == "あいこくしん");
  // NFKD as in the file: "ぐ" is "く" + U+3099 in the list, "ぐ" (U+3050) in the composed list.
  const auto index = bip39_word_index(Bip39Language::japanese, "\xE3\x81\x9F\xE3\x81\x84\xE3\x81\xBF\xE3\x82\x93\xE3\x81\x8F\xE3\x82\x99");
  REQUIRE(index.has_value());
  CHECK(bip39_wordlist(Bip39Language::japanese)[*index] == "\xE3\x81\x9F\xE3\x81\x84\xE3\x81\xBF\xE3\x82\x93\xE3\x81\x8F\xE3\x82\x99");
  CHECK(bip39_wordlist_composed(Bip39Language::japanese)[*index] == "たいみんぐ");
  CHECK(bip39_word_index(Bip39Language::japanese, "たいみんぐ") == index);
  CHECK(bip39_word_index(Bip39Language::english, "zoo") == 2047);
  CHECK_FALSE(bip39_word_index(Bip39Language::spanish, "zoo").has_value());
  // The generated source holds what the copied lists hold (checked by sha256 when it was generated).
  for (auto language : {Bip39Language::english, Bip39Language::japanese, Bip39Language::korean, Bip39Language::spanish,
                        Bip39Language::chinese_simplified, Bip39Language::chinese_traditional, Bip39Language::french,
                        Bip39Language::italian, Bip39Language::czech, Bip39Language::portuguese}) {
    std::string file;
    for (std::string_view word : bip39_wordlist(language)) (file += word) += '\n';
    CAPTURE(bip39_language_name(language));
    CHECK(bip39_word_index(language, bip39_wordlist(language)[1234]) == 1234);
    CHECK(file.size() > 2048 * 2);
  }
  std::string english;
  for (std::string_view word : bip39_wordlist(Bip39Language::english)) (english += word) += '\n';
  const Sha256Digest digest = sha256(std::span(reinterpret_cast<const uint8_t*>(english.data()), english.size()));
  CHECK(hex({digest.begin(), digest.end()}) == "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
}

TEST_CASE("Bip39: official English vectors") {
  for (const Vector& vector : kEnglish) {
    CAPTURE(vector.mnemonic);
    const auto words = split(vector.mnemonic, " ");
    const auto phrase = check_bip39(words);
    REQUIRE(phrase.has_value());
    CHECK(phrase->language == Bip39Language::english);
    CHECK(phrase->word_count == words.size());
    CHECK(phrase->checksum_valid);
    CHECK(hex(phrase->entropy) == vector.entropy);
    CHECK(join(encode(unhex(vector.entropy), Bip39Language::english), " ") == vector.mnemonic);

    const auto found = find_bip39_phrases(vector.mnemonic);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == 0);
    CHECK(found[0].length == std::string_view(vector.mnemonic).size());
    CHECK(hex(found[0].phrase.entropy) == vector.entropy);
  }
}

TEST_CASE("Bip39: official Japanese vectors with U+3000 separators, composed and decomposed") {
  for (const Vector& vector : kJapanese) {
    CAPTURE(vector.mnemonic);
    const auto words = split(vector.mnemonic, kIdeographicSpace);
    const auto phrase = check_bip39(words);
    REQUIRE(phrase.has_value());
    CHECK(phrase->language == Bip39Language::japanese);
    CHECK(phrase->checksum_valid);
    CHECK(hex(phrase->entropy) == vector.entropy);

    const auto found = find_bip39_phrases(vector.mnemonic);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == 0);
    CHECK(found[0].length == std::string_view(vector.mnemonic).size());
    CHECK(found[0].phrase.language == Bip39Language::japanese);
    CHECK(hex(found[0].phrase.entropy) == vector.entropy);

    // The same phrase in NFKD, as the list spells it, inside other text.
    const std::string nfkd = join(encode(unhex(vector.entropy), Bip39Language::japanese), kIdeographicSpace);
    const std::string text = "メモ：" + std::string(kIdeographicSpace) + nfkd + "\n";
    const auto again = find_bip39_phrases(text);
    REQUIRE(again.size() == 1);
    CHECK(again[0].offset == std::string_view("メモ：").size() + 3);
    CHECK(again[0].length == nfkd.size());
    CHECK(hex(again[0].phrase.entropy) == vector.entropy);
  }
}

TEST_CASE("Bip39: a wrong checksum is rejected") {
  const std::vector<std::string_view> twelve(12, "abandon");
  const auto phrase = check_bip39(twelve);
  REQUIRE(phrase.has_value());
  CHECK(phrase->language == Bip39Language::english);
  CHECK_FALSE(phrase->checksum_valid);
  CHECK(find_bip39_phrases(join(twelve, " ")).empty());

  auto words = split(kEnglish[12].mnemonic, " ");  // lava ... reward
  // flip the lowest index bit of the last word: a checksum bit, so the checksum must fail
  const auto last = bip39_word_index(Bip39Language::english, words.back());
  REQUIRE(last.has_value());
  words.back() = bip39_wordlist(Bip39Language::english)[*last ^ 1u];
  const auto changed = check_bip39(words);
  REQUIRE(changed.has_value());
  CHECK_FALSE(changed->checksum_valid);
  CHECK(find_bip39_phrases(join(words, " ")).empty());
}

TEST_CASE("Bip39: word counts other than 12, 15, 18, 21, 24 and unknown words are rejected") {
  const auto words24 = split(kEnglish[8].mnemonic, " ");
  for (size_t count : {size_t{0}, size_t{11}, size_t{13}, size_t{25}}) {
    CAPTURE(count);
    std::vector<std::string_view> words(count, "abandon");
    CHECK_FALSE(check_bip39(words).has_value());
  }
  auto eleven = split(kEnglish[0].mnemonic, " ");
  eleven.pop_back();
  CHECK_FALSE(check_bip39(eleven).has_value());
  CHECK(find_bip39_phrases(join(eleven, " ")).empty());

  auto with_unknown = split(kEnglish[0].mnemonic, " ");
  with_unknown[3] = "bitcoin";
  CHECK_FALSE(check_bip39(with_unknown).has_value());
  CHECK(find_bip39_phrases(join(with_unknown, " ")).empty());

  // 25 words in a row: prose, not a phrase (one 12-word window in 16 of any
  // run of list words passes the checksum). On its own line, the 24 are found.
  auto words25 = words24;
  words25.push_back("abandon");
  CHECK_FALSE(check_bip39(words25).has_value());
  CHECK(find_bip39_phrases(join(words25, " ")).empty());
  const auto found = find_bip39_phrases(join(words24, " ") + "\nabandon");
  REQUIRE(found.size() == 1);
  CHECK(found[0].phrase.word_count == 24);
  CHECK(found[0].offset == 0);
}

TEST_CASE("Bip39: ASCII case is folded") {
  const std::vector<std::string_view> words = {"Legal", "WINNER", "thank", "year", "wave", "sausage",
                                               "worth", "useful", "legal", "winner", "thank", "yellow"};
  const auto phrase = check_bip39(words);
  REQUIRE(phrase.has_value());
  CHECK(phrase->checksum_valid);
  CHECK(hex(phrase->entropy) == "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f");
}

TEST_CASE("Bip39: the English word list yields no phrase") {
  std::string list;
  for (std::string_view word : bip39_wordlist(Bip39Language::english)) (list += word) += '\n';
  CHECK(find_bip39_phrases(list).empty());
  // Numbered, as some applications ship it.
  std::string numbered;
  for (size_t i = 0; i < 2048; ++i) numbered += std::to_string(i + 1) + ". " + std::string(bip39_wordlist(Bip39Language::english)[i]) + "\n";
  CHECK(find_bip39_phrases(numbered).empty());
  // Every other list too.
  for (auto language : {Bip39Language::japanese, Bip39Language::korean, Bip39Language::spanish,
                        Bip39Language::chinese_simplified, Bip39Language::chinese_traditional, Bip39Language::french,
                        Bip39Language::italian, Bip39Language::czech, Bip39Language::portuguese}) {
    std::string text;
    for (std::string_view word : bip39_wordlist(language)) (text += word) += '\n';
    CAPTURE(bip39_language_name(language));
    CHECK(find_bip39_phrases(text).empty());
  }
  // A phrase next to the list is still found.
  const std::string text = list + "\n\nmy seed: " + kEnglish[12].mnemonic + "\n";
  const auto found = find_bip39_phrases(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].offset == text.rfind("lava"));
  // Part of a list and a phrase in the same run of words: only the phrase is found.
  std::string part;
  for (size_t i = 100; i < 150; ++i) (part += bip39_wordlist(Bip39Language::english)[i]) += ' ';
  const std::string mixed = part + kEnglish[12].mnemonic;
  const auto in_mixed = find_bip39_phrases(mixed);
  REQUIRE(in_mixed.size() == 1);
  CHECK(in_mixed[0].offset == part.size());
}

TEST_CASE("Bip39: numbered lists and JSON arrays are found with their offsets") {
  const auto words = split(kEnglish[13].mnemonic, " ");  // 18 words
  SUBCASE("1. word 2. word") {
    std::string text = "Recovery phrase, keep safe!\n";
    for (size_t i = 0; i < words.size(); ++i) text += std::to_string(i + 1) + ". " + std::string(words[i]) + (i % 4 == 3 ? "\n" : " ");
    text += "\nEnd.";
    const auto found = find_bip39_phrases(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == text.find("1. artefact") + 3);
    CHECK(found[0].offset + found[0].length == text.find("burger") + 6);
    CHECK(found[0].phrase.word_count == 18);
    CHECK(hex(found[0].phrase.entropy) == kEnglish[13].entropy);
  }
  SUBCASE("1) word, one a line") {
    std::string text;
    for (size_t i = 0; i < words.size(); ++i) text += std::to_string(i + 1) + ") " + std::string(words[i]) + "\r\n";
    const auto found = find_bip39_phrases(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == 3);
    CHECK(found[0].offset + found[0].length == text.size() - 2);
  }
  SUBCASE("JSON array") {
    std::string text = R"({"name": "wallet", "mnemonic": [)";
    const size_t first = text.size() + 1;
    for (size_t i = 0; i < words.size(); ++i) text += (i ? ", \"" : "\"") + std::string(words[i]) + "\"";
    text += "], \"version\": 2}";
    const auto found = find_bip39_phrases(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == first);
    CHECK(text.substr(found[0].offset, found[0].length) == join(words, "\", \""));
  }
  SUBCASE("comma separated, sentence end") {
    const std::string text = "seed is " + join(split(kEnglish[12].mnemonic, " "), ", ") + ". bye";
    const auto found = find_bip39_phrases(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == 8);
    CHECK(text.substr(found[0].offset + found[0].length, 1) == ".");
  }
}

TEST_CASE("Bip39: several phrases in one text are each reported once") {
  std::string text = "a: " + std::string(kEnglish[0].mnemonic) + "\nb: " + kEnglish[14].mnemonic + "\n" + kEnglish[15].mnemonic;
  const auto found = find_bip39_phrases(text);
  REQUIRE(found.size() == 3);
  CHECK(found[0].offset == 3);
  CHECK(found[0].phrase.word_count == 12);
  CHECK(found[1].offset == text.find("absent"));
  CHECK(found[1].phrase.word_count == 24);
  CHECK(found[2].offset == text.find("forum"));
  CHECK(found[2].offset + found[2].length == text.size());
}

TEST_CASE("Bip39: phrases are found only before report_end, reading the text after it") {
  const std::string text = "a: " + std::string(kEnglish[0].mnemonic) + "\nb: " + kEnglish[14].mnemonic + "\n" +
                           kEnglish[15].mnemonic;
  const auto all = find_bip39_phrases(text);
  REQUIRE(all.size() == 3);
  for (std::size_t end : {std::size_t{0}, all[0].offset, all[0].offset + 1, all[1].offset, all[2].offset + 1, text.size()}) {
    const auto some = find_bip39_phrases(text, end);
    std::size_t expected = 0;
    for (const auto& m : all) expected += m.offset < end ? 1 : 0;
    REQUIRE(some.size() == expected);
    for (std::size_t i = 0; i < some.size(); ++i) CHECK(some[i].offset == all[i].offset);
  }
  // A phrase glued to list words after report_end is still no phrase: the run goes on.
  const std::string glued = std::string(kEnglish[0].mnemonic) + " zoo";
  CHECK(find_bip39_phrases(glued, 1).empty());
}

TEST_CASE("Bip39: a phrase in long prose of list words is found between other tokens") {
  // Prose full of list words, in runs shorter than 12: the run walk must
  // still find the phrase wherever the samples fall.
  std::string prose;
  for (int i = 0; i < 200; ++i) prose += "the able actor is about to act, or above. ";
  for (std::size_t shift = 0; shift < 50; shift += 7) {
    const std::string text = prose.substr(0, prose.size() - shift) + "\n" + kEnglish[1].mnemonic + "\n" + prose;
    const auto found = find_bip39_phrases(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == text.find("legal"));
    CHECK(found[0].phrase.word_count == 12);
  }
}

TEST_CASE("Bip39: empty and unrelated text") {
  CHECK(find_bip39_phrases("").empty());
  CHECK(find_bip39_phrases("　　\n\n1. 2. 3.").empty());
  CHECK(find_bip39_phrases("The quick brown fox jumps over the lazy dog.").empty());
}

}  // namespace
}  // namespace trawl::scan
