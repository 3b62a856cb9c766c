"""The one PDF path: a Django template under `templates/pdf/` rendered by WeasyPrint.

Called from a service or a Celery task, never from a view: rendering takes a second or more and belongs in
the background. Resources are fetched only from the local file system under `base_url` (and any
`allowed_roots`) or from `data:` URLs: a document never reaches the network, so a value typed into a record
cannot make the renderer fetch an internal address.
"""

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO; a worker's log should show documents, not their steps.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# Where HarfBuzz cannot subset fonts WeasyPrint falls back to fontTools, whose subsetter logs every table
# and glyph set it touches at INFO: thousands of lines per document under the project's INFO root logger.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class PDFRenderError(RuntimeError):
    """The template could not be rendered to a PDF."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves `data:` URLs and files under the allowed roots; refuses everything else."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("file", "data"))
            self._roots = [root.resolve() for root in roots]

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self._roots):
                    raise ValueError(f"refusing to read {path}: outside the document roots")
            elif not url.startswith("data:"):
                raise ValueError(f"refusing to fetch {url[:60]}: documents never reach the network")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint builds a document, then free its garbage.

    WeasyPrint allocates millions of small objects; with the collector on, every 700 allocations trigger a
    collection, and the full ones walk the whole process heap (Django, the apps: ~280,000 objects in a
    worker) again and again: over a third of the CPU time of a 34-page determination. With the collector
    off, everything the rendering allocates stays in the youngest generation, so collecting that generation
    alone afterwards frees the document's reference cycles (~220,000 objects for that determination)
    without walking the rest of the heap. The price is a higher peak while rendering (about 45 MB more for
    that determination); afterwards memory is back where it was. The collector is process-wide: with two
    renderings in threads at once, one may run with it on again, which costs time, never correctness.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if was_enabled:
            gc.enable()


# Tagged PDF (PDF/UA-1): headings, tables and reading order reach screen readers, the document's language and
# title are declared. It costs about a quarter more rendering time and a larger file; a FINAL document is
# sealed after this, as an incremental update that leaves the tags in place.
PDF_VARIANT = "pdf/ua-1"


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(
    template_name: str, context: dict, *, base_url: str | Path, allowed_roots: tuple[Path, ...] = ()
) -> bytes:
    """Render `template_name` with `context` to PDF bytes.

    `base_url` is the directory relative URLs resolve against (e.g. the static directory, for CSS and
    images); files may be read only there and under `allowed_roots` (e.g. the logo's folder).
    """
    # WeasyPrint takes about a second to import: only the worker that renders pays for it.
    from weasyprint import HTML

    base = Path(base_url)
    html = render_html(template_name, context)
    fetcher = _fetcher_class()([base, *allowed_roots])
    try:
        with _collector_paused():
            return HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher).write_pdf(
                pdf_variant=PDF_VARIANT
            )
    except Exception as exc:  # WeasyPrint raises many types; the caller records one failure
        raise PDFRenderError(f"{template_name}: {exc}") from exc
