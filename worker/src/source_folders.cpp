#include "backupd/worker/source_folders.hpp"

#include <variant>

#include "backupd/copy/folder_name.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::worker {
namespace {

std::string_view code_of(copy::SourceFolderError error) {
    namespace codes = core::folder_errors;
    switch (error) {
        case copy::SourceFolderError::invalid_name: return codes::invalid_name;
        case copy::SourceFolderError::no_such_directory: return codes::no_such_directory;
        case copy::SourceFolderError::not_a_directory: return codes::not_a_directory;
        case copy::SourceFolderError::leaves_source_root: return codes::outside_source_root;
        case copy::SourceFolderError::symlink_in_path: return codes::symlink_in_path;
        case copy::SourceFolderError::unreadable: return codes::unreadable;
    }
    return codes::unreadable;
}

}  // namespace

core::JobError folder_error(copy::SourceFolderError error, std::string_view folder) {
    // A bad name says which rule it broke; the others name the folder as the client gave it.
    if (error == copy::SourceFolderError::invalid_name) {
        if (const auto rule = copy::validate_folder_name(folder)) {
            return {std::string(code_of(error)),
                    "Invalid folder name: " + std::string(copy::describe(*rule))};
        }
    }
    return {std::string(code_of(error)),
            std::string(copy::describe(error)) + ": " + core::to_valid_utf8(folder, 256)};
}

std::optional<core::JobError> FilesystemSourceFolders::check(std::string_view folder) const {
    if (!core::is_valid_utf8(folder)) {
        return core::JobError{std::string(core::folder_errors::invalid_name),
                              "Invalid folder name: the folder name is not valid UTF-8"};
    }
    const auto opened = copy::open_source_folder(source_root_, folder);
    if (const auto* error = std::get_if<copy::SourceFolderError>(&opened))
        return folder_error(*error, folder);
    return std::nullopt;
}

}  // namespace backupd::worker
