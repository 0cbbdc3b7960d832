#include "config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

using namespace backupd::daemon;

namespace {

Invocation parse(std::vector<const char*> args) {
    args.insert(args.begin(), "backupd");
    return parse_invocation(static_cast<int>(args.size()), args.data());
}

std::string error_of(std::vector<const char*> args) {
    try {
        parse(std::move(args));
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// Sets an environment variable for one test.
struct ScopedEnv {
    std::string name;
    ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
        setenv(name.c_str(), value, 1);
    }
    ~ScopedEnv() { unsetenv(name.c_str()); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_need_no_configuration) {
    const auto invocation = parse({});
    BOOST_TEST((invocation.command == Command::serve));
    BOOST_TEST(invocation.config.listen_host == "127.0.0.1");
    BOOST_TEST(invocation.config.listen_port == 8080);
    BOOST_TEST(invocation.config.database == "sqlite:backupd.db");
    BOOST_TEST(invocation.config.workers >= 1u);
    BOOST_TEST(invocation.config.migrate);
}

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_config_file) {
    const auto file = std::filesystem::temp_directory_path() / "backupd-config-test.conf";
    std::ofstream(file) << "# example\nlisten = 10.0.0.1:1000\nworkers = 3\nlease-seconds = 9\n";
    const ScopedEnv env("BACKUPD_WORKERS", "5");
    const ScopedEnv listen_env("BACKUPD_LISTEN", "10.0.0.2:2000");
    const auto invocation = parse({"--config", file.c_str(), "--listen", "127.0.0.1:0"});
    BOOST_TEST(invocation.config.listen_port == 0);    // flag
    BOOST_TEST(invocation.config.workers == 5u);       // environment
    BOOST_TEST(invocation.config.lease.count() == 9);  // file
    std::filesystem::remove(file);
}

// Boost's message substitution never returned for an option name holding one of its own
// placeholders (found by fuzz_config, corpus/config/crash-percent-token-in-option-name): before
// the fix these calls hung.
BOOST_AUTO_TEST_CASE(an_option_name_holding_a_boost_placeholder_is_refused) {
    const auto file = std::filesystem::temp_directory_path() / "backupd-config-percent.conf";
    std::ofstream(file) << "insec%canonical_option%ure-no-auth = true\n";
    const std::string from_file = error_of({"--config", file.c_str()});
    BOOST_TEST(from_file.find("unrecognised option") != std::string::npos);
    BOOST_TEST(from_file.find("%canonical_option%") != std::string::npos);
    std::filesystem::remove(file);
    const std::string from_argv = error_of({"--a%canonical_option%b"});
    BOOST_TEST(from_argv.find("unrecognised option") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(subcommands_and_switches_parse) {
    BOOST_TEST((parse({"migrate", "--database", "sqlite:x.db"}).command == Command::migrate));
    BOOST_TEST((parse({"--version"}).command == Command::version));
    BOOST_TEST((parse({"serve", "--help"}).command == Command::help));
    BOOST_TEST(!parse({"--no-migrate"}).config.migrate);
}

BOOST_AUTO_TEST_CASE(bad_values_get_a_message_naming_the_option) {
    BOOST_TEST(error_of({"frobnicate"}).find("unknown command 'frobnicate'") != std::string::npos);
    BOOST_TEST(error_of({"--listen", "8080"}).find("HOST:PORT") != std::string::npos);
    BOOST_TEST(error_of({"--listen", "h:70000"}).find("listen port") != std::string::npos);
    BOOST_TEST(error_of({"--workers", "many"}).find("--workers") != std::string::npos);
    BOOST_TEST(error_of({"--bogus"}).find("bogus") != std::string::npos);
    BOOST_TEST(error_of({"--log-level", "loud"}).find("--log-level") != std::string::npos);
    BOOST_TEST(error_of({"--config", "/nonexistent/x.conf"}).find("cannot read") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(listen_addresses_accept_ipv6_in_brackets) {
    const auto [host, port] = parse_listen_address("[::1]:9000");
    BOOST_TEST(host == "::1");
    BOOST_TEST(port == 9000);
    BOOST_TEST(is_loopback("::1"));
    BOOST_TEST(!is_loopback("0.0.0.0"));
}

BOOST_AUTO_TEST_CASE(help_shows_each_option_with_its_environment_variable) {
    const std::string help = help_text();
    for (const char* needle :
         {"--listen", "BACKUPD_LISTEN", "--database", "BACKUPD_DATABASE", "--api-token-file",
          "BACKUPD_DATABASE_PASSWORD", "default 127.0.0.1:8080"}) {
        BOOST_TEST(help.find(needle) != std::string::npos, needle);
    }
}

BOOST_AUTO_TEST_CASE(help_prints_the_defaults_the_module_option_structs_own) {
    const std::string help = help_text();
    const auto default_of = [&](const std::string& option) {
        const auto at = help.find("  --" + option + " ");
        const auto env = help.find("      env ", at);
        return help.substr(env, help.find('\n', env) - env);
    };
    const backupd::api::ServerOptions server;
    BOOST_TEST(default_of("listen") == "      env BACKUPD_LISTEN; default " + server.host + ":" +
                                           std::to_string(server.port));
    BOOST_TEST(default_of("io-threads") ==
               "      env BACKUPD_IO_THREADS; default " + std::to_string(server.io_threads));
    BOOST_TEST(default_of("handler-threads") == "      env BACKUPD_HANDLER_THREADS; default " +
                                                    std::to_string(server.handler_threads));
    const auto lease =
        std::chrono::duration_cast<std::chrono::seconds>(backupd::store::QueueOptions{}.lease);
    BOOST_TEST(default_of("lease-seconds") ==
               "      env BACKUPD_LEASE_SECONDS; default " + std::to_string(lease.count()));
    // And parsing with nothing given yields those same values.
    const Config config = parse({"serve"}).config;
    BOOST_TEST(config.handler_threads == server.handler_threads);
    BOOST_TEST(config.lease.count() == lease.count());
}

BOOST_AUTO_TEST_SUITE_END()
