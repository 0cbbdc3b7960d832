#include "backupd/worker/source_folders.hpp"

#include <variant>

#include "backupd/copy/folder_name.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::worker {
namespace {

core::ErrorCode code_of(copy::SourceFolderError error) {
    using core::ErrorCode;
    switch (error) {
        case copy::SourceFolderError::invalid_name: return ErrorCode::invalid_folder_name;
        case copy::SourceFolderError::no_such_directory: return ErrorCode::no_such_directory;
        case copy::SourceFolderError::not_a_directory: return ErrorCode::not_a_directory;
        case copy::SourceFolderError::leaves_source_root: return ErrorCode::outside_source_root;
        case copy::SourceFolderError::symlink_in_path: return ErrorCode::symlink_in_path;
        case copy::SourceFolderError::unreadable: return ErrorCode::folder_unreadable;
    }
    return ErrorCode::folder_unreadable;
}

}  // namespace

core::JobError folder_error(copy::SourceFolderError error, std::string_view folder) {
    // A bad name says which rule it broke; the others name the folder as the client gave it.
    if (error == copy::SourceFolderError::invalid_name) {
        if (const auto rule = copy::validate_folder_name(folder)) {
            return {code_of(error), core::message_for(code_of(error), copy::describe(*rule))};
        }
    }
    return {code_of(error), core::message_for(code_of(error), core::to_valid_utf8(folder, 256))};
}

std::optional<core::JobError> FilesystemSourceFolders::check_name(std::string_view folder) const {
    if (!core::is_valid_utf8(folder) || copy::validate_folder_name(folder))
        return folder_error(copy::SourceFolderError::invalid_name, folder);
    return std::nullopt;
}

std::optional<core::JobError> FilesystemSourceFolders::check(std::string_view folder) const {
    if (!core::is_valid_utf8(folder)) {
        return core::JobError{core::ErrorCode::invalid_folder_name,
                              core::message_for(core::ErrorCode::invalid_folder_name,
                                                "the folder name is not valid UTF-8")};
    }
    const auto opened = copy::open_source_folder(source_root_, folder);
    if (const auto* error = std::get_if<copy::SourceFolderError>(&opened))
        return folder_error(*error, folder);
    return std::nullopt;
}

}  // namespace backupd::worker
