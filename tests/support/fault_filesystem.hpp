#pragma once
// A copy::Filesystem for tests: the real system calls, with a hook that runs before the calls
// a test wants to watch or break (the file about to be read vanishes, the disk fills up, the
// backup root turns read-only). Hand it to copy_tree, or to a BackupRoot for stage_snapshot,
// the job runner and the worker pool. Thread-safe as long as the hook is.

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>

#include <fcntl.h>

#include "backupd/copy/filesystem.hpp"

namespace backupd::testing {

class FaultFilesystem : public copy::SystemFilesystem {
public:
    enum class Call {
        open_to_read,    // a file (not a directory) opened read-only: a source file to copy
        create_file,     // an open with O_CREAT
        make_directory,  // mkdir
        make_link,       // a symbolic or hard link
        write,           // bytes written to a file (write or copy_file_range)
    };

    // Called from any copy thread before each call of the kinds above, with the absolute path
    // it is about to touch: 0 lets the call run, an errno fails it with that error instead.
    // Unset: every call runs.
    std::function<int(Call, const std::filesystem::path&)> before;

    // Calls the hook failed so far.
    int faults() const { return faults_.load(); }

    // Fails every call of `kind` with `error` (and lets the others run).
    static std::function<int(Call, const std::filesystem::path&)> fail(Call kind, int error) {
        return [kind, error](Call call, const std::filesystem::path&) {
            return call == kind ? error : 0;
        };
    }

    int open(int directory, const char* name, int flags, mode_t mode) const override {
        if ((flags & O_CREAT) != 0) {
            if (refuse(Call::create_file, directory, name)) return -1;
        } else if ((flags & O_DIRECTORY) == 0 && (flags & O_ACCMODE) == O_RDONLY) {
            if (refuse(Call::open_to_read, directory, name)) return -1;
        }
        return SystemFilesystem::open(directory, name, flags, mode);
    }
    int make_directory(int directory, const char* name, mode_t mode) const override {
        if (refuse(Call::make_directory, directory, name)) return -1;
        return SystemFilesystem::make_directory(directory, name, mode);
    }
    int make_symlink(const char* target, int directory, const char* name) const override {
        if (refuse(Call::make_link, directory, name)) return -1;
        return SystemFilesystem::make_symlink(target, directory, name);
    }
    int make_link(int from_directory, const char* from, int to_directory,
                  const char* to) const override {
        if (refuse(Call::make_link, to_directory, to)) return -1;
        return SystemFilesystem::make_link(from_directory, from, to_directory, to);
    }
    ssize_t copy_range(int in, int out, std::size_t size) const override {
        if (refuse(Call::write, out, "")) return -1;
        return SystemFilesystem::copy_range(in, out, size);
    }
    ssize_t write(int fd, const void* data, std::size_t size) const override {
        if (refuse(Call::write, fd, "")) return -1;
        return SystemFilesystem::write(fd, data, size);
    }

private:
    // The path `name` names relative to the descriptor `directory`.
    static std::filesystem::path path_of(int directory, const char* name) {
        std::error_code ignored;
        const std::filesystem::path base =
            directory == AT_FDCWD ? std::filesystem::current_path()
                                  : std::filesystem::read_symlink(
                                        "/proc/self/fd/" + std::to_string(directory), ignored);
        return name[0] == '\0' ? base : base / name;
    }

    // Runs the hook; true (errno set) when it fails the call.
    bool refuse(Call call, int directory, const char* name) const {
        if (!before) return false;
        const int error = before(call, path_of(directory, name));
        if (error == 0) return false;
        ++faults_;
        errno = error;
        return true;
    }

    mutable std::atomic<int> faults_{0};
};

}  // namespace backupd::testing
