"""Voilà's own process (`casebook.interface.server.voila_main`): the heap trimmer, the kernel manager
that marks a preheated kernel active when it hands it out and forgets its page's request
information when it ends, the templates compiled once for all pages, the event logger shared by
all kernels, and the entry point."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from casebook.interface.server import voila_main


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


class _Kernel:
    last_activity = None  # idle since it ran its notebook, long ago


class _Pooling:  # what Voilà's factory makes with preheating on: a manager with pools
    def __init__(self):
        self.kernel = _Kernel()
        self.ended: list[str] = []

    async def get_rendered_notebook(self, notebook_name: str):
        return "render task", ["rendered cell"], "kernel-1"

    def get_kernel(self, kernel_id: str) -> _Kernel:
        assert kernel_id == "kernel-1"
        return self.kernel

    async def shutdown_kernel(self, kernel_id: str, now: bool = False):
        self.ended.append(kernel_id)
        if now:
            raise RuntimeError("Kernel is not running")


def _run(coroutine):
    with ThreadPoolExecutor(1) as thread:  # a loop of its own: other tests may leave one running here
        return thread.submit(asyncio.run, coroutine).result()


def test_a_preheated_kernel_handed_to_a_page_counts_as_active_from_then_on():
    from jupyter_server._tz import utcnow

    manager = voila_main.fresh_on_handout(lambda *args, **kwargs: _Pooling)()()
    before = utcnow()
    handed = _run(manager.get_rendered_notebook("00_accueil.ipynb"))
    assert handed == ("render task", ["rendered cell"], "kernel-1")
    assert manager.kernel.last_activity >= before


def test_a_kernel_that_ends_leaves_no_request_information_behind(monkeypatch):
    from voila.request_info_handler import RequestInfoSocketHandler

    monkeypatch.setattr(RequestInfoSocketHandler, "_cache", {})
    manager = voila_main.fresh_on_handout(lambda *args, **kwargs: _Pooling)()()
    RequestInfoSocketHandler.send_updates({"kernel_id": "kernel-1", "payload": "{}"})  # no page yet
    RequestInfoSocketHandler.send_updates({"kernel_id": "kernel-2", "payload": "{}"})
    _run(manager.shutdown_kernel("kernel-1"))
    assert manager.ended == ["kernel-1"]
    assert list(RequestInfoSocketHandler._cache) == ["kernel-2"]
    with pytest.raises(RuntimeError):  # a kernel already gone: the error is Voilà's to handle
        _run(manager.shutdown_kernel("kernel-2", now=True))
    assert RequestInfoSocketHandler._cache == {}


def test_voilas_own_factory_is_wrapped_only_where_it_preheats():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    factory = voila_main.fresh_on_handout(voila_kernel_manager_factory)
    pooling = factory(AsyncMappingKernelManager, True, 0)
    assert pooling.__name__ == "HandoutManager"
    assert pooling.get_rendered_notebook is not pooling.__mro__[1].get_rendered_notebook
    plain = factory(AsyncMappingKernelManager, False, 0)
    assert not hasattr(plain, "get_rendered_notebook")


def _event_loggers() -> set[str]:
    return {name for name in logging.root.manager.loggerDict if name.startswith("jupyter_events.logger.")}


def _three_kernels_event_loggers(shared: bool) -> tuple[type, list, set[str]]:
    """The event loggers of three kernels' managers, made as Voilà makes them (their manager's
    parent is the application), and the loggers they left registered in `logging`."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
    from traitlets.config import Configurable

    class App(Configurable):  # like Voilà's application: no event logger of its own
        pass

    if shared:
        voila_main.one_event_logger(App)
    kernels = AsyncMappingKernelManager(parent=App())
    before = _event_loggers()
    loggers = [ServerKernelManager(parent=kernels).event_logger for _ in range(3)]
    return App, loggers, _event_loggers() - before


class _Compilations:
    """Counts the templates Jinja compiles."""

    def __init__(self, monkeypatch):
        import jinja2

        self.count, original = 0, jinja2.Environment.compile

        def compile(environment, *args, **kwargs):
            self.count += 1
            return original(environment, *args, **kwargs)

        monkeypatch.setattr(jinja2.Environment, "compile", compile)


def _render(exporter_class) -> str:
    from nbformat.v4 import new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell("# Titre", id="titre")])
    return exporter_class().from_notebook_node(notebook)[0]


def test_a_page_after_the_first_uses_the_templates_compiled_for_the_first(monkeypatch):
    from nbconvert import HTMLExporter

    class Exporter(HTMLExporter):  # one exporter, hence one Jinja environment, per page
        pass

    voila_main.shares_compiled_templates(Exporter)
    compilations = _Compilations(monkeypatch)
    first = _render(Exporter)
    assert compilations.count > 0
    compilations.count = 0
    assert _render(Exporter) == first
    assert compilations.count == 0


def test_without_it_every_page_compiles_the_templates_again(monkeypatch):
    from nbconvert import HTMLExporter

    compilations = _Compilations(monkeypatch)
    _render(HTMLExporter)
    compilations.count = 0
    _render(HTMLExporter)
    assert compilations.count > 0


def test_voilas_own_exporters_share_one_cache_of_compiled_templates():
    from voila.exporter import VoilaExporter

    class Exporter(VoilaExporter):
        pass

    voila_main.shares_compiled_templates(Exporter)
    first, second = Exporter().environment, Exporter().environment
    assert first is not second
    assert isinstance(first.bytecode_cache, voila_main.CompiledTemplates)
    assert first.bytecode_cache is second.bytecode_cache
    assert VoilaExporter().environment.bytecode_cache is None  # Voilà alone has none


def test_a_template_whose_source_changed_is_compiled_again():
    import jinja2

    cache = voila_main.CompiledTemplates()

    def render(source: str) -> str:
        environment = jinja2.Environment(loader=jinja2.DictLoader({"page": source}), bytecode_cache=cache)
        return environment.get_template("page").render(x="Oui")

    assert render("avant {{ x }}") == "avant Oui"
    assert render("après {{ x }}") == "après Oui"
    assert len(cache.codes) == 1


def test_every_kernel_manager_shares_the_applications_event_logger_and_leaves_no_logger_behind():
    app, loggers, left = _three_kernels_event_loggers(shared=True)
    assert all(logger is app.event_logger for logger in loggers)
    assert left == set()


def test_without_it_each_kernel_manager_leaves_a_logger_behind():
    _, loggers, left = _three_kernels_event_loggers(shared=False)
    assert len({id(logger) for logger in loggers}) == 3
    assert len(left) == 3


def test_an_application_with_an_event_logger_keeps_its_own():
    class App:
        event_logger = "its own"

    voila_main.one_event_logger(App)
    assert App.event_logger == "its own"


def test_the_entry_point_is_voilas_own_command_line():
    out = subprocess.run([sys.executable, "-m", "casebook.interface.server.voila_main", "--version"],
                         capture_output=True, text=True, timeout=120, check=True)
    import voila

    assert out.stdout.strip() == voila.__version__


class _Renderer:
    """A stand-in for Voilà's notebook renderer: its page fails after `sent` pieces."""

    def __init__(self, sent: int, error: type[BaseException] | None):
        self.sent, self.error = sent, error
        self.log = logging.getLogger("test-renderer")

    def generate_content_generator(self, kernel_id=None, kernel_future=None):
        async def pieces():
            for i in range(self.sent):
                yield f"<p>{i}</p>", {}
            if self.error is not None:
                raise self.error("Kernel died before replying to kernel_info")

        return pieces()


def _page(renderer) -> list[str]:
    """The pieces of the page, read on a loop of its own thread (Playwright's sync API keeps one
    running in the test thread when the browser tests ran first)."""
    async def read():
        return [html async for html, _ in renderer.generate_content_generator("k")]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()


def test_a_page_that_fails_while_it_is_sent_ends_with_a_message(caplog):
    class Renderer(_Renderer):
        pass

    voila_main.ends_on_failure(Renderer)
    with caplog.at_level(logging.ERROR, logger="test-renderer"):
        sent = _page(Renderer(2, RuntimeError))
    assert sent == ["<p>0</p>", "<p>1</p>", voila_main.FAILED_PAGE]
    assert "cbPageFailed" in voila_main.FAILED_PAGE and "rechargez" in voila_main.FAILED_PAGE
    assert "could not be prepared" in caplog.text and "Kernel died" in caplog.text


def test_without_the_fix_the_failure_stops_the_page_without_an_end():
    """What Voilà's handler gets from the renderer as it is: the exception, which its task
    swallows, so that the handler waits for the page's end for ever."""
    with pytest.raises(RuntimeError):
        _page(_Renderer(2, RuntimeError))


def test_a_page_that_does_not_fail_is_sent_unchanged():
    class Renderer(_Renderer):
        pass

    voila_main.ends_on_failure(Renderer)
    assert _page(Renderer(3, None)) == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]


class _Handler:
    """A stand-in for Voilà's page handler: each attempt fails after `sent` pieces, while
    failures remain (`fails`), then sends the whole page."""

    def __init__(self, sent: int, fails: int, error: type[BaseException] = RuntimeError):
        self.sent, self.fails, self.error = sent, fails, error
        self.attempts = 0
        self.log = logging.getLogger("test-handler")

    async def get_generator(self, path=None):
        self.attempts += 1
        for i in range(self.sent):
            yield f"<p>{i}</p>"
        if self.fails:
            self.fails -= 1
            raise self.error("Kernel pool for 15_puis_je_parler.ipynb is empty!")
        yield "<p>fin</p>"


def _handled(handler) -> list[str]:
    async def read():
        return [html async for html in handler.get_generator("page.ipynb")]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()


def _guarded() -> type:
    class Handler(_Handler):
        pass

    voila_main.retries_on_failure(Handler)
    return Handler


def test_a_page_that_fails_before_it_is_sent_is_asked_once_more(caplog):
    handler = _guarded()(0, fails=1)
    with caplog.at_level(logging.ERROR, logger="test-handler"):
        assert _handled(handler) == ["<p>fin</p>"]
    assert handler.attempts == 2
    assert "attempt 1" in caplog.text and "pool" in caplog.text


def test_a_page_that_fails_twice_before_it_is_sent_gets_a_french_page_that_reloads_it():
    handler = _guarded()(0, fails=2)
    assert _handled(handler) == [voila_main.FAILED_ALONE]
    assert handler.attempts == 2
    page = voila_main.FAILED_ALONE
    assert '<html lang="fr">' in page and "n'a pas pu être préparée" in page
    assert '<a href="">Recharger la page</a>' in page  # the page's own address, query included


def test_a_page_that_fails_after_its_beginning_was_sent_ends_with_the_templates_message():
    handler = _guarded()(2, fails=1)
    assert _handled(handler) == ["<p>0</p>", "<p>1</p>", voila_main.FAILED_PAGE]
    assert handler.attempts == 1  # what was sent cannot be taken back: no second attempt


def test_an_error_tornado_answers_by_design_goes_through():
    from tornado.web import HTTPError

    handler = _guarded()(0, fails=1, error=lambda _m: HTTPError(404))
    with pytest.raises(HTTPError):
        _handled(handler)
    assert handler.attempts == 1


def test_without_the_retry_a_failure_before_the_page_reaches_tornado():
    """Voilà's handler as it is: the exception reaches Tornado, which answers with its English
    error page (the page has no jupyter-config-data)."""
    with pytest.raises(RuntimeError):
        _handled(_Handler(0, fails=1))
