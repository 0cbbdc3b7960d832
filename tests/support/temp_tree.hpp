#pragma once
// Scratch directory trees for the copy-engine tests: a fresh directory under the system temp
// directory, removed when the test ends (read-only directories included), plus the few file
// helpers the tests share. Not thread-safe; RunAsNobody changes the whole process.

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/unique_fd.hpp"

namespace backupd::test {

namespace fs = std::filesystem;

inline constexpr uid_t kNobodyUid = 65534;
inline constexpr gid_t kNobodyGid = 65534;

// Gives every directory under `path` (not through links) u+rwx, so it can be removed.
inline void make_removable(const fs::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return;
    ::chmod(path.c_str(), (info.st_mode & 07777) | S_IRWXU);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path, error)) make_removable(entry.path());
}

class TempTree {
public:
    TempTree() {
        std::string pattern = (fs::temp_directory_path() / "backupd-tree-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp");
        path_ = pattern;
        fs::permissions(path_, fs::perms(0755));  // traversable by RunAsNobody
    }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;
    ~TempTree() {
        make_removable(path_);
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }

    const fs::path& path() const { return path_; }
    fs::path operator/(const fs::path& relative) const { return path_ / relative; }

private:
    fs::path path_;
};

inline void write_file(const fs::path& path, std::string_view contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline backupd::copy::UniqueFd open_directory(const fs::path& path) {
    backupd::copy::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw std::system_error(errno, std::generic_category(), "open " + path.string());
    return fd;
}

inline struct stat lstat_of(const fs::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0)
        throw std::system_error(errno, std::generic_category(), "lstat " + path.string());
    return info;
}

inline bool exists_no_follow(const fs::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

// Sets access and modification times (nanoseconds included) without following a link.
inline void set_times(const fs::path& path, timespec atime, timespec mtime) {
    const timespec times[2] = {atime, mtime};
    if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        throw std::system_error(errno, std::generic_category(), "utimensat " + path.string());
}

inline void set_mode(const fs::path& path, mode_t mode) {
    if (::chmod(path.c_str(), mode) != 0)
        throw std::system_error(errno, std::generic_category(), "chmod " + path.string());
}

inline bool same_time(const timespec& a, const timespec& b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// While alive, runs the process as `nobody` when it started as root, so permission checks
// apply as they do for the daemon's service user. Paths the test writes to must be handed to
// nobody first (chown_to_nobody). Does nothing when not running as root.
class RunAsNobody {
public:
    RunAsNobody() {
        if (::geteuid() != 0) return;
        egid_ = ::getegid();
        groups_.resize(static_cast<std::size_t>(::getgroups(0, nullptr)));
        ::getgroups(static_cast<int>(groups_.size()), groups_.data());
        if (::setgroups(0, nullptr) != 0) return;
        if (::setegid(kNobodyGid) != 0 || ::seteuid(kNobodyUid) != 0) {
            restore();  // no CAP_SETUID: the test sees geteuid() == 0 and may skip
            return;
        }
        dropped_ = true;
    }
    RunAsNobody(const RunAsNobody&) = delete;
    RunAsNobody& operator=(const RunAsNobody&) = delete;
    ~RunAsNobody() {
        if (dropped_) restore();
    }

    static void chown_to_nobody(const fs::path& path) {
        if (::geteuid() == 0 && ::lchown(path.c_str(), kNobodyUid, kNobodyGid) != 0)
            throw std::system_error(errno, std::generic_category(), "chown " + path.string());
    }

private:
    void restore() {
        if (::seteuid(0) != 0 || ::setegid(egid_) != 0 ||
            ::setgroups(groups_.size(), groups_.data()) != 0) {
            std::abort();  // the remaining tests would run with the wrong identity
        }
    }

    bool dropped_ = false;
    gid_t egid_ = 0;
    std::vector<gid_t> groups_;
};

}  // namespace backupd::test
