#pragma once
// The copy engine's one seam to the file system: every system call a snapshot makes on its
// source and its backup root, fd-relative, goes through a Filesystem, so a test can make one
// of them fail (ENOSPC on a write, EROFS on a mkdir) without mocking the rest. The idea is
// restic's archiver, which takes its `FS` as a value instead of calling the OS directly.
//
// Each method has the contract of the system call it names: it returns what the call returns
// and sets errno the same way; none throws. An empty `name` means the descriptor itself, and
// no method follows a symbolic link in its last component (except `open` without O_NOFOLLOW,
// as openat does). Implementations must be thread-safe: the copy threads call one instance at
// once. Listing a directory is not part of the seam: it reads, and reading the backup root is
// not how a backup fails.

#include <cstddef>

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

namespace backupd::copy {

class Filesystem {
public:
    virtual ~Filesystem() = default;

    // openat(directory, name, flags, mode).
    virtual int open(int directory, const char* name, int flags, mode_t mode) const = 0;
    // Opens the directory `path` ('/'-separated, no "." or "..") beneath `directory`, refusing
    // symbolic links on the way (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or a walk).
    virtual int open_directory(int directory, const char* path) const = 0;
    // fstatat(..., AT_SYMLINK_NOFOLLOW), or fstat for an empty name.
    virtual int stat(int directory, const char* name, struct stat& info) const = 0;
    virtual ssize_t read_link(int directory, const char* name, char* buffer,
                              std::size_t size) const = 0;

    virtual int make_directory(int directory, const char* name, mode_t mode) const = 0;
    virtual int make_symlink(const char* target, int directory, const char* name) const = 0;
    virtual int make_link(int from_directory, const char* from, int to_directory,
                          const char* to) const = 0;
    // renameat2 (flags: RENAME_NOREPLACE, ...).
    virtual int rename(int from_directory, const char* from, int to_directory, const char* to,
                       unsigned flags) const = 0;
    // unlinkat (flags: AT_REMOVEDIR).
    virtual int remove(int directory, const char* name, int flags) const = 0;

    // Never through a symbolic link; set_mode is not for links (Linux links have no mode).
    virtual int set_owner(int directory, const char* name, uid_t uid, gid_t gid) const = 0;
    virtual int set_mode(int directory, const char* name, mode_t mode) const = 0;
    virtual int set_times(int directory, const char* name, const timespec times[2]) const = 0;

    // copy_file_range(in, nullptr, out, nullptr, size, 0): the kernel moves the bytes.
    virtual ssize_t copy_range(int in, int out, std::size_t size) const = 0;
    virtual ssize_t read(int fd, void* buffer, std::size_t size) const = 0;
    virtual ssize_t write(int fd, const void* data, std::size_t size) const = 0;
    virtual int sync(int fd) const = 0;             // fsync
    virtual int sync_filesystem(int fd) const = 0;  // syncfs
};

// The real system calls. Tests derive from it to fault single calls.
class SystemFilesystem : public Filesystem {
public:
    int open(int directory, const char* name, int flags, mode_t mode) const override;
    int open_directory(int directory, const char* path) const override;
    int stat(int directory, const char* name, struct stat& info) const override;
    ssize_t read_link(int directory, const char* name, char* buffer,
                      std::size_t size) const override;
    int make_directory(int directory, const char* name, mode_t mode) const override;
    int make_symlink(const char* target, int directory, const char* name) const override;
    int make_link(int from_directory, const char* from, int to_directory,
                  const char* to) const override;
    int rename(int from_directory, const char* from, int to_directory, const char* to,
               unsigned flags) const override;
    int remove(int directory, const char* name, int flags) const override;
    int set_owner(int directory, const char* name, uid_t uid, gid_t gid) const override;
    int set_mode(int directory, const char* name, mode_t mode) const override;
    int set_times(int directory, const char* name, const timespec times[2]) const override;
    ssize_t copy_range(int in, int out, std::size_t size) const override;
    ssize_t read(int fd, void* buffer, std::size_t size) const override;
    ssize_t write(int fd, const void* data, std::size_t size) const override;
    int sync(int fd) const override;
    int sync_filesystem(int fd) const override;
};

// The process-wide SystemFilesystem, the default wherever a Filesystem is taken.
const Filesystem& system_filesystem();

}  // namespace backupd::copy
