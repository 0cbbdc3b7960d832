#include "backupd/copy/folder_name.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

using namespace backupd::copy;

BOOST_AUTO_TEST_SUITE(folder_name)

BOOST_AUTO_TEST_CASE(plain_relative_names_are_accepted) {
    for (const char* name :
         {"photos", "photos/2026", "a b/c d", "fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC",
          "...", "..hidden", ".config", "x/.y"}) {
        BOOST_TEST(!validate_folder_name(name).has_value(), name);
    }
    BOOST_TEST(!validate_folder_name(std::string(kMaxFolderNameBytes, 'a')).has_value());
}

BOOST_AUTO_TEST_CASE(each_broken_rule_has_its_own_error) {
    using E = FolderNameError;
    const std::pair<std::string, E> cases[] = {
        {"", E::empty},
        {std::string(kMaxFolderNameBytes + 1, 'a'), E::too_long},
        {"/etc", E::absolute},
        {std::string("a\0b", 3), E::nul_byte},
        {"a//b", E::empty_segment},
        {"a/", E::empty_segment},
        {"..", E::dot_segment},
        {"../etc", E::dot_segment},
        {"a/../../etc", E::dot_segment},
        {"a/..", E::dot_segment},
        {".", E::dot_segment},
        {"a/./b", E::dot_segment},
    };
    for (const auto& [name, expected] : cases) {
        const auto error = validate_folder_name(name);
        BOOST_TEST((error == expected), "name: " << name);
    }
}

BOOST_AUTO_TEST_CASE(segments_that_collide_with_the_backup_layout_are_reserved) {
    for (const char* name :
         {".staging", ".staging/photos", "a/latest", "a/latest/b", "a/20261124T140523Z-42",
          "a/b/20261124T140523Z-0", "a/20261124T140523Z-42/b", "a/20261124T140523Z-42.manifest",
          "a/20261124T140523Z-0.manifest/b"}) {
        BOOST_TEST((validate_folder_name(name) == FolderNameError::reserved_segment),
                   "name: " << name);
    }
}

BOOST_AUTO_TEST_CASE(layout_names_are_free_as_a_first_segment_or_when_they_only_look_alike) {
    for (const char* name :
         {"latest", "latest/a", "20261124T140523Z-42", "20261124T140523Z-42/photos", "a/.staging",
          ".staging2", "a/latest2", "a/Latest", "a/20261124T140523Z", "a/20260230T000000Z-1",
          "a/20261124T140523Z-05", "a/x.manifest", "a/.manifest", "a/20261124T140523Z.manifest",
          "a/20261124T140523Z-42.manifest2"}) {
        BOOST_TEST(!validate_folder_name(name).has_value(), "name: " << name);
    }
}

BOOST_AUTO_TEST_CASE(descriptions_never_echo_the_name) {
    BOOST_TEST(describe(FolderNameError::dot_segment).find("'..'") != std::string_view::npos);
    BOOST_TEST(describe(FolderNameError::absolute).find("relative") != std::string_view::npos);
    BOOST_TEST(describe(FolderNameError::reserved_segment).find("latest") !=
               std::string_view::npos);
}

BOOST_AUTO_TEST_SUITE_END()
