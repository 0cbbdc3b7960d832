// The token file: clear tokens and sha256: digests, scopes, comments, and every malformed line
// refused with its line number and without its content.
#include "backupd/api/token_set.hpp"

#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

#include "printing.hpp"
#include "scope_printing.hpp"

using namespace backupd::api;

namespace {

// SHA-256 of "s3cret" (printf %s s3cret | sha256sum).
constexpr const char* kSecretDigest =
    "sha256:1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";

// The message `parse` throws for `text`, or "" when it accepts it.
std::string refusal(std::string_view text) {
    try {
        (void)TokenSet::parse(text, "tokens.txt");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// What `token` is granted; no scope when it is refused (a line always grants one at least).
ScopeSet admit(const TokenSet& tokens, const std::string& token) {
    return tokens.admit("Bearer " + token).value_or(ScopeSet{});
}

ScopeSet scopes(std::initializer_list<Scope> list) {
    ScopeSet out;
    for (const Scope scope : list) out.add(scope);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_set)

BOOST_AUTO_TEST_CASE(a_line_without_scopes_grants_every_scope) {
    const auto tokens = TokenSet::parse("# admins\n\n  alpha  \r\n\tbeta\n", "t");
    BOOST_TEST(admit(tokens, "alpha") == ScopeSet::all());
    BOOST_TEST(admit(tokens, "beta") == ScopeSet::all());
    BOOST_TEST(admit(tokens, "gamma").empty());
    BOOST_TEST(admit(tokens, "# admins").empty());
    BOOST_TEST(!tokens.admit("bearer alpha").has_value());
    BOOST_TEST(!tokens.admit("alpha").has_value());
}

BOOST_AUTO_TEST_CASE(scopes_grant_only_what_they_name_and_admin_grants_everything) {
    const auto tokens = TokenSet::parse(
        "monitor scopes=read\nclient scopes=backup,read\nops\tscopes=admin\nci scopes=backup\n",
        "t");
    const auto monitor = admit(tokens, "monitor");
    BOOST_TEST(monitor == scopes({Scope::read}));
    BOOST_TEST(monitor.grants(Scope::read));
    BOOST_TEST(!monitor.grants(Scope::backup));
    BOOST_TEST(!monitor.grants(Scope::admin));
    BOOST_TEST(admit(tokens, "client") == scopes({Scope::read, Scope::backup}));
    const auto ci = admit(tokens, "ci");
    BOOST_TEST(ci.grants(Scope::backup));
    BOOST_TEST(!ci.grants(Scope::read));  // backup does not imply read
    const auto ops = admit(tokens, "ops");
    BOOST_TEST(ops == scopes({Scope::admin}));
    for (const Scope scope : {Scope::read, Scope::backup, Scope::admin})
        BOOST_TEST(ops.grants(scope));
}

BOOST_AUTO_TEST_CASE(a_token_listed_twice_grants_the_union_of_its_lines) {
    const auto tokens = TokenSet::parse("twice scopes=read\ntwice scopes=backup\n", "t");
    BOOST_TEST(admit(tokens, "twice") == scopes({Scope::read, Scope::backup}));
}

BOOST_AUTO_TEST_CASE(a_sha256_line_admits_the_token_it_is_the_digest_of) {
    const std::string upper =
        "sha256:1EC1C26B50D5D3C58D9583181AF8076655FE00756BF7285940BA3670F99FCBA0";
    for (const std::string& line : {std::string(kSecretDigest) + " scopes=read", upper}) {
        const auto tokens = TokenSet::parse(line, "t");
        BOOST_TEST(!admit(tokens, "s3cret").empty(), line);
        BOOST_TEST(admit(tokens, "s3cret2").empty());
        // The digest itself is not the token.
        BOOST_TEST(admit(tokens, std::string(kSecretDigest)).empty());
    }
    BOOST_TEST(admit(TokenSet::parse(std::string(kSecretDigest) + " scopes=read", "t"), "s3cret") ==
               scopes({Scope::read}));
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_refused_with_their_number_and_never_their_content) {
    const std::string hex64(64, 'a');
    const struct {
        std::string text;
        std::string expected;
    } cases[] = {
        {"ok\n# c\n\nsecret-one scopes=raed\n", "tokens.txt, line 4: unknown or empty scope"},
        {"secret-one scopes=\n", "line 1: unknown or empty scope"},
        {"secret-one scopes=read,\n", "line 1: unknown or empty scope"},
        {"secret-one scopes=Read\n", "line 1: unknown or empty scope"},
        {"ok\nsecret-one secret-two\n", "line 2: expected `TOKEN` or `TOKEN scopes="},
        {"secret-one scopes=read extra\n", "line 1: more than one field after the token"},
        {"scopes=read secret-one\n", "line 1: the token comes first"},
        {"sha256:" + hex64.substr(1) + "\n", "line 1: sha256: needs exactly 64 hexadecimal"},
        {"sha256:" + hex64 + "a\n", "line 1: sha256: needs exactly 64 hexadecimal"},
        {"x\n\nsha256:" + hex64.substr(2) + "zz\n", "line 3: sha256: needs exactly 64 hexadecimal"},
        {"sha256:\n", "line 1: sha256: needs exactly 64"},
    };
    for (const auto& c : cases) {
        const std::string message = refusal(c.text);
        BOOST_TEST(message.find(c.expected) != std::string::npos, message << " for " << c.text);
        BOOST_TEST(message.find("secret") == std::string::npos, message);
        BOOST_TEST(message.find("aaaa") == std::string::npos, message);
    }
}

BOOST_AUTO_TEST_CASE(a_file_of_comments_and_blank_lines_holds_no_token) {
    BOOST_TEST(refusal("# only a comment\n\n   \n") ==
               "the API token file tokens.txt holds no token");
    BOOST_TEST(refusal("") == "the API token file tokens.txt holds no token");
}

BOOST_AUTO_TEST_CASE(clear_tokens_from_the_constructor_grant_every_scope) {
    const TokenSet tokens(std::vector<std::string>{"alpha"});
    BOOST_TEST(admit(tokens, "alpha") == ScopeSet::all());
    BOOST_TEST(TokenSet{}.empty());
}

BOOST_AUTO_TEST_SUITE_END()
