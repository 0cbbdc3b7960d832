#pragma once
// Opening a directory beneath another without following any symbolic link (internal).

#include <cstdint>

namespace backupd::copy::detail {

// openat2(root, path, O_RDONLY|O_DIRECTORY|O_CLOEXEC) with the given RESOLVE_* flags: a
// descriptor, or -1 with errno set (ENOSYS before Linux 5.6).
int openat2_directory(int root, const char* path, std::uint64_t resolve);

// Opens the directory `path` ('/'-separated, no "." or "..") beneath `root`, refusing symbolic
// links on the way (ELOOP or ENOTDIR): openat2 where the kernel has it, else one segment at a
// time with O_NOFOLLOW. A descriptor, or -1 with errno set.
int open_directory_beneath(int root, const char* path);

}  // namespace backupd::copy::detail
