"""Voilà's own process, as `casebook serve` starts it: Voilà's command-line application, with
its memory given back to the system every minute.

A class leaves Voilà's process with tens of megabytes it no longer uses: objects of the closed
pages' kernels that refer to each other wait for Python's full garbage collection, and the C
allocator keeps the pages they were freed from (glibc returns only the top of its heap by
itself). Every `RELEASE_EVERY` seconds a full collection runs, then `malloc_trim` hands the free
pages back, so the server returns close to its starting memory once the kernels of a class are
culled (see docs/performance.md). Where the C library has no `malloc_trim` (macOS, musl), only
the collection runs."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable

RELEASE_EVERY = 60.0  # seconds between two releases


def heap_trimmer() -> Callable[[], None] | None:
    """A call that gives the C heap's free memory back to the system, or None without one."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)


def releaser() -> Callable[[], None]:
    """A full garbage collection, then the heap trimmed where the C library can."""
    trim = heap_trimmer()

    def release() -> None:
        gc.collect()
        if trim is not None:
            trim()

    return release


def main() -> None:
    """Run Voilà with the command line given, releasing memory every `RELEASE_EVERY` seconds."""
    from tornado.ioloop import PeriodicCallback
    from voila.app import main as voila

    PeriodicCallback(releaser(), RELEASE_EVERY * 1000).start()
    voila()


if __name__ == "__main__":
    main()
