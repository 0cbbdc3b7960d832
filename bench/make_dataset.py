#!/usr/bin/env python3
"""Generate a reproducible source tree for the snapshot benchmark.

    bench/make_dataset.py TARGET [--seed N] [--scale F]

At scale 1: about 20,000 files of 1-64 KiB in nested directories (depth up to 4, 50-200 files
per directory), four 64 MiB files, symbolic links (relative, absolute, to a directory,
dangling) and empty directories; about 0.9 GiB. --scale (or the SCALE environment variable)
multiplies the file count and the large-file size, for quick runs. The same seed gives the
same names, bytes, modes and modification times. TARGET must not exist yet.
"""

import argparse
import os
import random
import sys

SMALL_FILES = 20_000
SMALL_MIN, SMALL_MAX = 1024, 64 * 1024
FILES_PER_DIR = (50, 200)
MAX_DEPTH = 4
LARGE_FILES = 4
LARGE_SIZE = 64 * 1024 * 1024
CHUNK = 4 * 1024 * 1024          # large files are written in chunks to bound memory
EPOCH_NS = 1_700_000_000 * 10**9  # mtimes fall in the year before this instant
YEAR_NS = 365 * 24 * 3600 * 10**9


def make_directories(rng, target, count):
    """Create `count` directories in a random tree of depth <= MAX_DEPTH; return their paths."""
    dirs = [(target, 0)]
    for index in range(count - 1):
        parent, depth = rng.choice([d for d in dirs if d[1] < MAX_DEPTH])
        path = os.path.join(parent, f"d{index:04d}")
        os.mkdir(path)
        dirs.append((path, depth + 1))
    return [path for path, _ in dirs]


def mtime_ns(rng):
    return EPOCH_NS - rng.randrange(YEAR_NS)


def write_file(rng, path, size, mode):
    with open(path, "wb") as out:
        remaining = size
        while remaining:
            step = min(remaining, CHUNK)
            out.write(rng.randbytes(step))
            remaining -= step
    os.chmod(path, mode)
    t = mtime_ns(rng)
    os.utime(path, ns=(t, t))


def file_mode(rng):
    roll = rng.random()
    return 0o755 if roll < 0.05 else 0o600 if roll < 0.10 else 0o644


def generate(target, seed, scale):
    rng = random.Random(seed)
    os.makedirs(target)
    small_files = max(1, round(SMALL_FILES * scale))
    sizes = [rng.randint(SMALL_MIN, SMALL_MAX) for _ in range(small_files)]

    # Deal the files out to directories, 50-200 each, in directory order.
    per_dir = []
    while sum(per_dir) < small_files:
        per_dir.append(rng.randint(*FILES_PER_DIR))
    dirs = make_directories(rng, target, len(per_dir))

    files, total = [], 0
    for directory, count in zip(dirs, per_dir):
        for _ in range(count):
            if len(files) == small_files:
                break
            path = os.path.join(directory, f"f{len(files):05d}.bin")
            write_file(rng, path, sizes[len(files)], file_mode(rng))
            files.append(path)
            total += sizes[len(files) - 1]

    large_size = max(1, round(LARGE_SIZE * scale))
    os.mkdir(os.path.join(target, "large"))
    dirs.append(os.path.join(target, "large"))
    for index in range(LARGE_FILES):
        write_file(rng, os.path.join(target, "large", f"large{index}.bin"), large_size, 0o644)
        total += large_size

    # Symbolic links: never followed by a backup, so their targets need not exist.
    links = []
    for index in range(8):
        directory = rng.choice(dirs)
        kind = index % 4
        if kind == 0:  # relative, to a file elsewhere in the tree
            link_target = os.path.relpath(rng.choice(files), directory)
        elif kind == 1:  # relative, to a directory
            link_target = os.path.relpath(rng.choice(dirs), directory)
        elif kind == 2:  # absolute, outside the tree
            link_target = "/etc/hostname"
        else:  # dangling
            link_target = f"../missing-{index}"
        path = os.path.join(directory, f"link{index}")
        os.symlink(link_target, path)
        t = mtime_ns(rng)
        os.utime(path, ns=(t, t), follow_symlinks=False)
        links.append(path)

    # Empty directories, one of them nested.
    empty = [os.path.join(target, "empty"), os.path.join(target, "empty", "nested"),
             os.path.join(rng.choice(dirs), "empty-leaf")]
    for path in empty:
        os.mkdir(path)
    os.chmod(empty[1], 0o700)
    dirs.extend(empty)

    # Directory mtimes last, deepest first, since creating entries changes them.
    for path in sorted(dirs, key=lambda p: p.count(os.sep), reverse=True):
        t = mtime_ns(rng)
        os.utime(path, ns=(t, t))

    print(f"make_dataset: {target}: {len(files) + LARGE_FILES} files, {total / 2**20:.0f} MiB, "
          f"{len(dirs)} directories, {len(links)} symlinks (seed {seed}, scale {scale})",
          file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", "1")))
    args = parser.parse_args()
    if args.scale <= 0:
        parser.error("--scale must be positive")
    generate(args.target, args.seed, args.scale)


if __name__ == "__main__":
    main()
