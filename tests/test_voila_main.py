"""Voilà's own process (`casebook.interface.voila_main`): the heap trimmer, the kernel manager
that marks a preheated kernel active when it hands it out, and the entry point."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from casebook.interface import voila_main


def test_the_heap_trimmer_gives_memory_back_where_the_c_library_can():
    trim = voila_main.heap_trimmer()
    assert trim is not None  # glibc (Debian, Binder's image): malloc_trim exists
    assert trim() in (0, 1)  # 1: memory was released, 0: there was none to release


def test_without_a_c_library_voila_runs_untrimmed(monkeypatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda _name: None)
    assert voila_main.heap_trimmer() is None


def test_a_c_library_without_malloc_trim_runs_untrimmed(monkeypatch):
    class Musl:  # a C library that has no malloc_trim
        def __init__(self, _name: str):
            pass

    monkeypatch.setattr(ctypes, "CDLL", Musl)
    assert voila_main.heap_trimmer() is None


def test_a_release_collects_the_garbage_in_cycles():
    class Page:  # a closed page's objects, referring to each other
        pass

    page = Page()
    page.self = page
    collected = []
    gc.disable()  # only the release collects
    gc.callbacks.append(lambda phase, info: collected.append(info["collected"]) if phase == "stop" else None)
    try:
        del page
        voila_main.releaser()()
    finally:
        gc.callbacks.pop()
        gc.enable()
    assert sum(collected) >= 1


def test_a_preheated_kernel_handed_to_a_page_counts_as_active_from_then_on():
    from jupyter_server._tz import utcnow

    class Kernel:
        last_activity = None  # idle since it ran its notebook, long ago

    class Pooling:  # what Voilà's factory makes with preheating on: a manager with pools
        def __init__(self):
            self.kernel = Kernel()

        async def get_rendered_notebook(self, notebook_name: str):
            return "render task", ["rendered cell"], "kernel-1"

        def get_kernel(self, kernel_id: str) -> Kernel:
            assert kernel_id == "kernel-1"
            return self.kernel

    manager = voila_main.fresh_on_handout(lambda *args, **kwargs: Pooling)()()
    before = utcnow()
    with ThreadPoolExecutor(1) as thread:  # a loop of its own: other tests may leave one running here
        handed = thread.submit(asyncio.run, manager.get_rendered_notebook("00_accueil.ipynb")).result()
    assert handed == ("render task", ["rendered cell"], "kernel-1")
    assert manager.kernel.last_activity >= before


def test_voilas_own_factory_is_wrapped_only_where_it_preheats():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    factory = voila_main.fresh_on_handout(voila_kernel_manager_factory)
    pooling = factory(AsyncMappingKernelManager, True, 0)
    assert pooling.__name__ == "HandoutManager"
    assert pooling.get_rendered_notebook is not pooling.__mro__[1].get_rendered_notebook
    plain = factory(AsyncMappingKernelManager, False, 0)
    assert not hasattr(plain, "get_rendered_notebook")


def test_the_entry_point_is_voilas_own_command_line():
    out = subprocess.run([sys.executable, "-m", "casebook.interface.voila_main", "--version"],
                         capture_output=True, text=True, timeout=120, check=True)
    import voila

    assert out.stdout.strip() == voila.__version__
