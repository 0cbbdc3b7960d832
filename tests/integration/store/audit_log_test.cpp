#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono;
using core::AuditAction;
using core::AuditStatus;

namespace {

core::Timestamp instant(int y, unsigned m, unsigned d, int hh, int mm, int ss, long us) {
    return core::Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} +
           seconds{ss} + microseconds{us};
}

core::NewAuditRecord record_at(core::Timestamp at, std::string message,
                               AuditAction action = AuditAction::backup,
                               AuditStatus status = AuditStatus::success) {
    core::NewAuditRecord record;
    record.action = action;
    record.status = status;
    record.message = std::move(message);
    record.at = at;
    return record;
}

std::vector<std::string> messages(const std::vector<core::AuditRecord>& records) {
    std::vector<std::string> out;
    out.reserve(records.size());
    for (const auto& record : records) out.push_back(record.message);
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(audit_log, testing::QueueFixture)

BOOST_AUTO_TEST_CASE(an_appended_record_reads_back_whole) {
    core::NewAuditRecord record;
    record.action = AuditAction::get_stats;
    record.status = AuditStatus::failed;
    record.folder = "fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC";
    record.job_id = 17;
    record.message = "invalid range";
    record.client_address = "2001:db8::1";
    const auto before = core::now_utc() - seconds{5};
    const core::AuditId id = audit.append(record);

    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST(records[0].id == id);
    BOOST_TEST((records[0].action == AuditAction::get_stats));
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].folder.value() == record.folder.value());
    BOOST_TEST(records[0].job_id.value() == 17);
    BOOST_TEST(records[0].message == "invalid range");
    BOOST_TEST(records[0].client_address.value() == "2001:db8::1");
    // Stamped by the database's clock.
    BOOST_TEST((records[0].at > before && records[0].at < core::now_utc() + seconds{5}));
}

BOOST_AUTO_TEST_CASE(a_one_day_range_includes_both_ends_of_the_day_and_nothing_else) {
    audit.append(record_at(instant(2026, 11, 19, 23, 59, 59, 999999), "day before"));
    audit.append(record_at(instant(2026, 11, 20, 0, 0, 0, 0), "first instant"));
    audit.append(record_at(instant(2026, 11, 20, 12, 0, 0, 0), "noon"));
    audit.append(record_at(instant(2026, 11, 20, 23, 59, 59, 999999), "last instant"));
    audit.append(record_at(instant(2026, 11, 21, 0, 0, 0, 0), "day after"));

    core::AuditQuery query;
    query.range = core::whole_utc_days(year{2026} / 11 / 20, year{2026} / 11 / 20);
    const auto page = audit.page(query);
    BOOST_TEST(messages(page.records) ==
                   (std::vector<std::string>{"first instant", "noon", "last instant"}),
               boost::test_tools::per_element());
    BOOST_TEST((page.records[0].at == instant(2026, 11, 20, 0, 0, 0, 0)));
    BOOST_TEST((page.records[2].at == instant(2026, 11, 20, 23, 59, 59, 999999)));
    BOOST_TEST(!page.next.has_value());
}

BOOST_AUTO_TEST_CASE(results_come_oldest_first_whatever_the_insertion_order) {
    audit.append(record_at(instant(2026, 11, 22, 10, 0, 0, 0), "later"));
    audit.append(record_at(instant(2026, 11, 22, 9, 0, 0, 0), "earlier"));
    BOOST_TEST(messages(all_audit_records()) == (std::vector<std::string>{"earlier", "later"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(action_and_status_filters_combine_with_the_range) {
    const auto t = instant(2026, 11, 20, 8, 0, 0, 0);
    audit.append(record_at(t, "backup ok", AuditAction::backup, AuditStatus::success));
    audit.append(record_at(t, "backup failed", AuditAction::backup, AuditStatus::failed));
    audit.append(record_at(t, "logs", AuditAction::get_log, AuditStatus::success));
    audit.append(record_at(t, "stats failed", AuditAction::get_stats, AuditStatus::failed));

    core::AuditQuery query;
    query.action = AuditAction::backup;
    BOOST_TEST(audit.page(query).records.size() == 2u);
    query.status = AuditStatus::failed;
    BOOST_TEST(messages(audit.page(query).records) == std::vector<std::string>{"backup failed"},
               boost::test_tools::per_element());
    query.action.reset();
    query.range = core::whole_utc_days(year{2026} / 11 / 21, year{2026} / 11 / 21);
    BOOST_TEST(audit.page(query).records.empty());
}

BOOST_AUTO_TEST_CASE(pages_follow_the_cursor_without_gaps_or_repeats) {
    // Many records share an instant: the cursor must order them by id too.
    const auto same = instant(2026, 11, 20, 8, 0, 0, 0);
    std::vector<std::string> expected;
    for (int i = 0; i < 23; ++i) {
        const auto at = i < 15 ? same : same + microseconds{i};
        audit.append(record_at(at, "r" + std::to_string(i)));
        expected.push_back("r" + std::to_string(i));
    }
    core::AuditQuery query;
    query.limit = 5;
    std::vector<std::string> seen;
    int pages = 0;
    for (;;) {
        const auto page = audit.page(query);
        ++pages;
        BOOST_TEST(page.records.size() <= 5u);
        for (const auto& record : page.records) seen.push_back(record.message);
        if (!page.next) break;
        query.after = page.next;
    }
    BOOST_TEST(pages == 5);
    BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
