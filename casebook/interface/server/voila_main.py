"""Voilà's own process, as `casebook serve` starts it: Voilà's command-line application, with
its memory given back to the system every minute, its preheated kernels kept from the culler
until their page has had time to connect, and nothing kept of a kernel once it has ended.

A class leaves Voilà's process with tens of megabytes it no longer uses: objects of the closed
pages' kernels that refer to each other wait for Python's full garbage collection, and the C
allocator keeps the pages they were freed from (glibc returns only the top of its heap by
itself). Every `RELEASE_EVERY` seconds a full collection runs, then `malloc_trim` hands the free
pages back, so the server returns close to its starting memory once the kernels of a class are
culled (see docs/performance.md). Where the C library has no `malloc_trim` (macOS, musl), only
the collection runs.

A preheated page's kernel has been idle since it ran its notebook, possibly for longer than the
culling timeout: Voilà protects it from the culler only while it waits in its pool. Handed to a
page, it would be culled at the culler's next pass if the page had not yet connected to it (a
page still loading, slowed by a class arriving). `fresh_on_handout` makes Voilà's kernel manager
count the handout as the kernel's activity, so the page gets the whole timeout to connect.
Voilà also keeps the request information of every preheated page it hands out, for the page's
script to ask for, and never forgets it (`RequestInfoSocketHandler._cache`); the same managers
drop it when the kernel ends.

Each kernel's manager looks for an event logger on its manager's parent, Voilà's application,
which has none, and so makes its own; every event logger registers a logger under a name of its
own in `logging`, which keeps it for the life of the process: one more logger for every kernel
the server ever started. `one_event_logger` gives Voilà's application one event logger, shared
by all its kernels.

Voilà renders each page with an exporter of its own, whose Jinja environment reads and compiles
Voilà's and nbconvert's templates again: under a class, nearly half of Voilà's own CPU went to
compiling the same templates (py-spy, docs/performance.md). `shares_compiled_templates` gives
every such environment one in-memory cache of compiled templates (Jinja's bytecode cache: a
template is compiled again only when its source changes).

Voilà sends a page from a task that stops silently at the first exception, leaving the page
open for ever behind its spinner (a kernel that died or was culled before it was ready does
this): `ends_on_failure` ends such a page with a message that the template shows. A page handed
a preheated kernel can also fail in Voilà's handler itself, before any of it is sent (the pool's
kernel could not be started or prepared): Tornado then answers with its English error page.
`retries_on_failure` asks such a page once more, and ends a page that still fails with a
message in French, with a link that reloads it (its address, query included, unchanged)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from typing import Any

from jinja2 import BytecodeCache

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


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory, for every page of the process (keyed by Jinja by
    template name and file, and checked by it against the template's source)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the source has changed

    def dump_bytecode(self, bucket: Any) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


def shares_compiled_templates(exporter_class: type) -> None:
    """Give every Jinja environment that `exporter_class` (Voilà's exporter) creates the same
    cache of compiled templates."""
    cache = CompiledTemplates()
    original = exporter_class._create_environment

    def create_environment(self: Any) -> Any:
        environment = original(self)
        environment.bytecode_cache = cache
        return environment

    exporter_class._create_environment = create_environment


def fresh_on_handout(factory: Callable[..., type]) -> Callable[..., type]:
    """Voilà's kernel manager factory, whose managers mark a preheated kernel active when they
    hand it to a page, and forget its page's request information when the kernel ends."""
    from jupyter_server._tz import utcnow
    from voila.request_info_handler import RequestInfoSocketHandler

    def make(*args: Any, **kwargs: Any) -> type:
        manager = factory(*args, **kwargs)
        if not hasattr(manager, "get_rendered_notebook"):
            return manager  # no preheating: every kernel starts with its page

        class HandoutManager(manager):
            async def get_rendered_notebook(self, *args: Any, **kwargs: Any):
                task, rendered, kernel_id = await super().get_rendered_notebook(*args, **kwargs)
                self.get_kernel(kernel_id).last_activity = utcnow()
                return task, rendered, kernel_id

            async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
                try:
                    await super().shutdown_kernel(kernel_id, *args, **kwargs)
                finally:
                    RequestInfoSocketHandler._cache.pop(kernel_id, None)

        return HandoutManager

    return make


# What a page receives in place of its remaining cells when it cannot be prepared: the template's
# arrival.js shows it as a banner with « Recharger la page ».
FAILED_PAGE = ('<script>window.cbPageFailed && window.cbPageFailed();</script>'
               '<p class="cb-page-failed">Cette page n\'a pas pu être préparée : rechargez-la.</p>')


def ends_on_failure(renderer_class: type) -> None:
    """Make `renderer_class` (Voilà's notebook renderer) end a page that fails while it is sent,
    instead of leaving it open for ever. Voilà's handler reads the page from a task that stops at
    the first exception (a kernel that dies or is culled before it is ready, an error in the
    template) without telling the handler, which then sends a heartbeat every ten seconds and
    never ends the response: the page's spinner turns for ever. Here the exception is logged and
    the page receives FAILED_PAGE, then ends."""
    original = renderer_class.generate_content_generator

    def generate(self: Any, *args: Any, **kwargs: Any):
        pieces = original(self, *args, **kwargs)

        async def guarded():
            try:
                async for piece in pieces:
                    yield piece
            except Exception:
                self.log.exception("casebook: the page could not be prepared; it is told so")
                yield FAILED_PAGE, {}

        return guarded()

    renderer_class.generate_content_generator = generate


# What a page receives when it fails twice before anything of it was sent: a page of its own,
# since the template that would show FAILED_PAGE has not been sent; `href=""` reloads the page's
# own address.
FAILED_ALONE = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<title>Page non préparée</title></head><body><main>'
                '<h1>Cette page n\'a pas pu être préparée</h1>'
                '<p>Le serveur est peut-être très occupé. <a href="">Recharger la page</a></p>'
                '</main></body></html>')


def retries_on_failure(handler_class: type) -> None:
    """Make `handler_class` (Voilà's page handler) ask a page once more when it fails before any
    of it was sent, and end it with FAILED_ALONE when it fails again, or with FAILED_PAGE when it
    fails after its beginning was sent. What Tornado answers as the request's fault (a notebook
    that does not exist, 4xx) goes through unchanged."""
    from tornado.web import HTTPError

    original = handler_class.get_generator

    async def get_generator(self: Any, *args: Any, **kwargs: Any):
        for attempt in (1, 2):
            sent = False
            try:
                async for piece in original(self, *args, **kwargs):
                    sent = True
                    yield piece
                return
            except Exception as error:
                if isinstance(error, HTTPError) and error.status_code < 500:
                    raise
                self.log.exception("casebook: the page could not be prepared (attempt %d)", attempt)
                if sent:
                    yield FAILED_PAGE
                    return
        yield FAILED_ALONE

    handler_class.get_generator = get_generator


def one_event_logger(app_class: type) -> None:
    """Give `app_class` (Voilà's application) one event logger for all its kernels' managers,
    unless it has one of its own."""
    if not hasattr(app_class, "event_logger"):
        from jupyter_events.logger import EventLogger

        app_class.event_logger = EventLogger()


def main() -> None:
    """Run Voilà with the command line given: preheated kernels marked active when handed out,
    templates compiled once for all pages, a page that fails before it is sent asked once more,
    one that fails while it is sent ended with a message, one event logger for all kernels,
    memory released every `RELEASE_EVERY` seconds."""
    import voila.app
    import voila.exporter
    import voila.handler
    import voila.notebook_renderer
    from tornado.ioloop import PeriodicCallback

    voila.app.voila_kernel_manager_factory = fresh_on_handout(voila.app.voila_kernel_manager_factory)
    ends_on_failure(voila.notebook_renderer.NotebookRenderer)
    shares_compiled_templates(voila.exporter.VoilaExporter)
    retries_on_failure(voila.handler.VoilaHandler)
    one_event_logger(voila.app.Voila)
    PeriodicCallback(releaser(), RELEASE_EVERY * 1000).start()
    voila.app.main()


if __name__ == "__main__":
    main()
