#pragma once
// An in-memory core::SourceFolders for unit tests: the folders given exist, anything else is
// "no such directory", and names the real checker refuses outright are invalid.

#include <set>
#include <string>

#include "backupd/core/source_folders.hpp"

namespace backupd::testing {

class FakeSourceFolders : public core::SourceFolders {
public:
    explicit FakeSourceFolders(std::set<std::string, std::less<>> existing = {})
        : existing_(std::move(existing)) {}

    std::optional<core::JobError> check(std::string_view folder) const override {
        ++checks_;
        if (auto refused = check_name(folder)) return refused;
        if (existing_.contains(folder)) return std::nullopt;
        return core::JobError{core::ErrorCode::no_such_directory,
                              core::message_for(core::ErrorCode::no_such_directory, folder)};
    }

    std::optional<core::JobError> check_name(std::string_view folder) const override {
        if (folder.empty() || folder == ".." || folder.starts_with('/')) {
            return core::JobError{core::ErrorCode::invalid_folder_name,
                                  core::message_for(core::ErrorCode::invalid_folder_name, folder)};
        }
        return std::nullopt;
    }

    int checks() const { return checks_; }

private:
    std::set<std::string, std::less<>> existing_;
    mutable int checks_ = 0;  // tests call check() from one thread
};

}  // namespace backupd::testing
