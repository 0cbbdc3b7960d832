#include "backupd/copy/filesystem.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "open_beneath.hpp"

namespace backupd::copy {
namespace {

bool empty(const char* name) {
    return name[0] == '\0';
}

}  // namespace

int SystemFilesystem::open(int directory, const char* name, int flags, mode_t mode) const {
    return ::openat(directory, name, flags, mode);
}

int SystemFilesystem::open_directory(int directory, const char* path) const {
    return detail::open_directory_beneath(directory, path);
}

int SystemFilesystem::stat(int directory, const char* name, struct stat& info) const {
    if (empty(name)) return ::fstat(directory, &info);
    return ::fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW);
}

ssize_t SystemFilesystem::read_link(int directory, const char* name, char* buffer,
                                    std::size_t size) const {
    return ::readlinkat(directory, name, buffer, size);
}

int SystemFilesystem::make_directory(int directory, const char* name, mode_t mode) const {
    return ::mkdirat(directory, name, mode);
}

int SystemFilesystem::make_symlink(const char* target, int directory, const char* name) const {
    return ::symlinkat(target, directory, name);
}

int SystemFilesystem::make_link(int from_directory, const char* from, int to_directory,
                                const char* to) const {
    return ::linkat(from_directory, from, to_directory, to, 0);
}

int SystemFilesystem::rename(int from_directory, const char* from, int to_directory, const char* to,
                             unsigned flags) const {
    return ::renameat2(from_directory, from, to_directory, to, flags);
}

int SystemFilesystem::remove(int directory, const char* name, int flags) const {
    return ::unlinkat(directory, name, flags);
}

int SystemFilesystem::set_owner(int directory, const char* name, uid_t uid, gid_t gid) const {
    if (empty(name)) return ::fchown(directory, uid, gid);
    return ::fchownat(directory, name, uid, gid, AT_SYMLINK_NOFOLLOW);
}

int SystemFilesystem::set_mode(int directory, const char* name, mode_t mode) const {
    if (empty(name)) return ::fchmod(directory, mode);
    return ::fchmodat(directory, name, mode, 0);
}

int SystemFilesystem::set_times(int directory, const char* name, const timespec times[2]) const {
    if (empty(name)) return ::futimens(directory, times);
    return ::utimensat(directory, name, times, AT_SYMLINK_NOFOLLOW);
}

ssize_t SystemFilesystem::copy_range(int in, int out, std::size_t size) const {
    return ::copy_file_range(in, nullptr, out, nullptr, size, 0);
}

ssize_t SystemFilesystem::read(int fd, void* buffer, std::size_t size) const {
    return ::read(fd, buffer, size);
}

ssize_t SystemFilesystem::write(int fd, const void* data, std::size_t size) const {
    return ::write(fd, data, size);
}

int SystemFilesystem::sync(int fd) const {
    return ::fsync(fd);
}

int SystemFilesystem::sync_filesystem(int fd) const {
    return ::syncfs(fd);
}

const Filesystem& system_filesystem() {
    static const SystemFilesystem instance;
    return instance;
}

}  // namespace backupd::copy
