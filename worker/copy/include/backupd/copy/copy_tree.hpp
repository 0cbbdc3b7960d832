#pragma once
// Copying one directory tree into another: the heart of a snapshot (docs/design.md section 6).
//
// Regular files keep their bytes, mode, access and modification times (and owner when running
// as root); directories keep mode and times, empty ones included; symbolic links are recreated,
// never followed; sockets, FIFOs and devices are skipped and counted. With a previous snapshot,
// a file whose size, mtime and mode (and owner, when kept) equal its previous copy is
// hard-linked to it instead of copied. Given the previous snapshot's manifest, "equal" is
// judged against its entries (no stat of the previous snapshot's files) and a linked file
// takes its recorded digest without being read.
//
// With CopyOptions::manifest, the copy also writes its manifest (manifest.hpp): regular files
// are read once, hashed and written (instead of copy_file_range), and the entries are sorted
// into manifest order at the end.
//
// The work runs in three phases on `CopyOptions::threads` threads: a parallel walk that
// creates the directories and symbolic links and records the files (so the totals are known
// early), a parallel copy of the files in batches, then the directory metadata, deepest first.
// Memory grows with the number of entries (about 120 bytes each), never with file sizes.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "backupd/copy/filesystem.hpp"
#include "backupd/core/job.hpp"

namespace backupd::copy {

// Counters of a copy, as reported while it runs and at its end.
struct CopyProgress {
    std::int64_t files_copied = 0;            // regular files written from the source
    std::int64_t files_linked = 0;            // regular files hard-linked to the previous snapshot
    std::int64_t bytes_copied = 0;            // bytes written (linked files cost none)
    std::int64_t files_skipped = 0;           // sockets, FIFOs and devices, never copied
    std::int64_t files_failed = 0;            // entries the error policy chose to skip
    std::optional<std::int64_t> files_total;  // regular files, once the walk is done
    std::optional<std::int64_t> bytes_total;  // their bytes, once the walk is done
};

// A source entry that could not be copied. `path` is relative to the copied tree.
struct FileProblem {
    enum class Kind {
        vanished,    // removed or renamed after the walk saw it
        unreadable,  // permission or I/O error while reading it
    };
    Kind kind = Kind::unreadable;
    std::string path;
    int error_number = 0;  // the errno that revealed it
    // A directory (or the directory of a batch of files) could not be read: a whole subtree of
    // what the walk saw is missing, not one file.
    bool directory = false;
};

// What the error policy decides for one problem.
enum class ProblemDecision { skip, abort };

// "<path>: <reason>", for job error messages (relative paths only, never the source root).
std::string describe(const FileProblem& problem);

struct CopyOptions {
    // Threads working on this one copy. More than the cores pays for small files, whose cost
    // is system-call latency; each thread adds one 256 KiB buffer when a manifest is written
    // or copy_file_range is unavailable.
    unsigned threads = 4;

    // Asked, from any copy thread, about each entry that cannot be copied. Returning abort
    // stops the copy. Unset: skip a vanished file (the folder is live; one file gone between the
    // walk and its copy is what a snapshot of a live folder looks like), abort on anything else,
    // a vanished directory included (a whole subtree would be missing).
    std::function<ProblemDecision(const FileProblem&)> on_problem;

    // Called from any copy thread, at most about every `progress_interval`, and once at the
    // end. Must be cheap and thread-safe.
    std::function<void(const CopyProgress&)> on_progress;
    std::chrono::milliseconds progress_interval{200};

    // Requesting a stop ends the copy soon (between files, and between chunks of a big file).
    std::stop_token stop;

    // Keep owner and group. Only root may; the default is to keep them when running as root.
    std::optional<bool> keep_owner;

    // Where to write the copy's manifest (a borrowed descriptor, positioned at its start and
    // empty; -1: no manifest). Costs about 100 more bytes of memory per entry until the end,
    // and the copy reads each file into user space to hash it.
    int manifest = -1;
    // The previous snapshot's manifest (borrowed; -1: none). Used only with a previous
    // snapshot: files are then judged unchanged from its entries. When it does not check
    // (ManifestError, read error), the copy falls back to stat-ing the previous files.
    int previous_manifest = -1;
};

enum class CopyStatus {
    completed,  // every entry copied, linked, skipped as special, or skipped by the policy
    stopped,    // the stop token was requested
    aborted,    // the error policy said abort; see CopyResult::problem
};

struct CopyResult {
    CopyStatus status = CopyStatus::completed;
    CopyProgress progress;
    std::optional<FileProblem> problem;  // the problem that aborted the copy
    // The manifest written to CopyOptions::manifest, when one was asked for and the copy
    // completed (not flushed to disk: the caller syncs it).
    std::optional<core::ManifestSummary> manifest;
};

// Copies the tree under the directory `source` into the empty directory `target`, linking
// unchanged files from the directory `previous` (-1: no previous snapshot). The descriptors
// are borrowed. Problems with single source entries go to the error policy; failures of the
// target (no space, read-only file system) throw std::system_error, after removing the file
// being written, if any (the rest of `target` is the caller's to discard). Every system call
// goes through `filesystem`. Thread-safe for distinct targets.
CopyResult copy_tree(int source, int target, int previous, const CopyOptions& options,
                     const Filesystem& filesystem = system_filesystem());

}  // namespace backupd::copy
