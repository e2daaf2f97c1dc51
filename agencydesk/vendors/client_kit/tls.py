"""The process's one TLS context for talking to vendors.

httpx builds a new ``ssl.SSLContext`` for every client made without one, and building it reads
the whole CA bundle (about 50 ms of CPU each time): the app makes a client per sync, search,
sign-in and re-sync. One context, built on first use, serves every client; an SSLContext is
meant to be shared by many connections. It is the context httpx itself would build
(``httpx.create_ssl_context``), so ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (a company's own CA,
e.g. behind an inspecting proxy) still apply as they do to a client of our own: a context is
kept per value of those two variables, so changing them takes effect for the next client.
"""

from __future__ import annotations

import os
import ssl
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # httpx is imported on first use: the first window loads none of it
    import httpx

_contexts: dict[tuple[str | None, str | None], ssl.SSLContext] = {}
_lock = threading.Lock()  # clients are made on the loop and on worker threads


def shared_tls_context() -> ssl.SSLContext:
    """The verifying context for the current ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``."""
    key = (os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)
    with _lock:
        context = _contexts.get(key)
        if context is None:
            import httpx

            context = _contexts[key] = httpx.create_ssl_context()
        return context


def new_http_client(**options: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` on the shared context. An explicit ``verify`` (a context of its
    own, or False for a test server) is kept; so is a ``transport``, which needs none."""
    if "verify" not in options and "transport" not in options:
        options["verify"] = shared_tls_context()
    import httpx

    return httpx.AsyncClient(**options)
