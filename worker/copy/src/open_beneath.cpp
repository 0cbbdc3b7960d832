#include "open_beneath.hpp"

#include <cerrno>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace backupd::copy::detail {

int openat2_directory(int root, const char* path, std::uint64_t resolve) {
    open_how how{};
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = resolve;
    return static_cast<int>(::syscall(SYS_openat2, root, path, &how, sizeof how));
}

int open_directory_beneath(int root, const char* path_text) {
    const int fd = openat2_directory(root, path_text, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
    if (fd >= 0 || errno != ENOSYS) return fd;
    const std::string_view path(path_text);
    int current = ::fcntl(root, F_DUPFD_CLOEXEC, 0);
    std::size_t start = 0;
    while (current >= 0) {
        const std::size_t slash = path.find('/', start);
        const std::string segment(path.substr(start, slash - start));
        const int next =
            ::openat(current, segment.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        const int saved = errno;
        ::close(current);
        errno = saved;
        current = next;
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return current;
}

}  // namespace backupd::copy::detail
