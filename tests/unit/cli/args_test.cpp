#include "args.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

namespace {
Invocation parse(std::vector<std::string> argv) {
    return parse_arguments(argv);
}

// The UsageError's message, or "" when parsing succeeded.
std::string usage_error(std::vector<std::string> argv) {
    try {
        parse_arguments(argv);
    } catch (const UsageError& error) {
        return error.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cli_args)

BOOST_AUTO_TEST_CASE(backup_takes_several_folders_and_wait_anywhere) {
    const auto invocation = parse({"--wait", "backup", "photos", "docs", "--json"});
    BOOST_TEST(invocation.command == "backup");
    BOOST_TEST((invocation.args == std::vector<std::string>{"photos", "docs"}));
    BOOST_TEST(invocation.has("wait"));
    BOOST_TEST(invocation.has("json"));
}

BOOST_AUTO_TEST_CASE(options_take_values_separately_or_after_an_equals_sign) {
    const auto invocation = parse({"logs", "--from", "2026-01-01", "--to=2026-01-31", "--action",
                                   "Get Log", "--url", "http://h:1"});
    BOOST_TEST(invocation.value("from").value() == "2026-01-01");
    BOOST_TEST(invocation.value("to").value() == "2026-01-31");
    BOOST_TEST(invocation.value("action").value() == "Get Log");
    BOOST_TEST(invocation.value("url").value() == "http://h:1");
    BOOST_TEST(!invocation.value("status").has_value());
}

BOOST_AUTO_TEST_CASE(repeatable_path_keeps_every_value_in_order) {
    const auto invocation =
        parse({"restore", "7", "--path", "a", "--path", "b/c", "--target", "t"});
    BOOST_TEST((invocation.values("path") == std::vector<std::string>{"a", "b/c"}));
    BOOST_TEST(invocation.args.size() == 1U);
}

BOOST_AUTO_TEST_CASE(plan_subcommands_are_one_command) {
    const auto invocation =
        parse({"plan", "create", "nightly", "--folder", "photos", "--schedule", "@daily"});
    BOOST_TEST(invocation.command == "plan create");
    BOOST_TEST((invocation.args == std::vector<std::string>{"nightly"}));
    BOOST_TEST(parse({"plan", "prune", "nightly", "--dry-run"}).has("dry-run"));
}

BOOST_AUTO_TEST_CASE(dash_o_is_output_and_double_dash_ends_options) {
    const auto invocation = parse({"get", "3", "-o", "out.bin", "--", "-odd-name"});
    BOOST_TEST(invocation.value("output").value() == "out.bin");
    BOOST_TEST((invocation.args == std::vector<std::string>{"3", "-odd-name"}));
}

BOOST_AUTO_TEST_CASE(usage_errors_name_the_word_and_hint_at_help) {
    BOOST_TEST(usage_error({}).starts_with("no command given"));
    BOOST_TEST(usage_error({"frob"}).starts_with("unknown command 'frob'"));
    BOOST_TEST(usage_error({"jobs", "--colour"}).starts_with("unknown option '--colour'"));
    BOOST_TEST(usage_error({"jobs", "-x"}).starts_with("unknown option '-x'"));
    BOOST_TEST(usage_error({"show"}) == "show needs ID (see backupctl help show)");
    BOOST_TEST(usage_error({"show", "1", "2"}).starts_with("too many arguments for show: '2'"));
    BOOST_TEST(usage_error({"jobs", "--state"}).starts_with("option '--state' needs a value (S)"));
    BOOST_TEST(
        usage_error({"stats", "--wait"}).starts_with("option '--wait' does not apply to stats"));
    BOOST_TEST(
        usage_error({"backup", "a", "--wait=yes"}).starts_with("option '--wait' takes no value"));
    BOOST_TEST(usage_error({"jobs", "--state", "a", "--state", "b"})
                   .starts_with("option '--state' given more than once"));
    BOOST_TEST(usage_error({"plan"}).starts_with("plan needs a subcommand"));
    BOOST_TEST(
        usage_error({"plan", "explode", "x"}).starts_with("unknown plan subcommand 'explode'"));
    BOOST_TEST(usage_error({"backup"}).find("--help") == std::string::npos);
    BOOST_TEST(usage_error({"backup"}).find("help backup") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_wins_over_missing_arguments) {
    const auto invocation = parse({"restore", "--help"});
    BOOST_TEST(invocation.help);
    BOOST_TEST(invocation.command == "restore");
    BOOST_TEST(parse({"-h"}).help);
    BOOST_TEST(parse({"help", "plan", "create"}).command == "help");
}

BOOST_AUTO_TEST_CASE(every_command_has_a_help_page_naming_its_options) {
    for (const auto& spec : commands()) {
        const auto text = help_text(spec.name);
        BOOST_TEST_CONTEXT(spec.name) {
            BOOST_TEST(text.starts_with("Usage: backupctl " + std::string{spec.name}));
            for (const auto& option : spec.options) {
                BOOST_TEST(text.find("--" + std::string{option.name}) != std::string::npos);
            }
        }
    }
    BOOST_TEST(help_text().find("Exit status:") != std::string::npos);
    BOOST_TEST(help_text("plan").find("backupctl plan prune NAME") != std::string::npos);
    BOOST_CHECK_THROW(help_text("frob"), UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
