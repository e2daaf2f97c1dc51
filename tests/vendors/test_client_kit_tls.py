"""Every vendor client shares the process's one TLS context (building one reads the whole CA
bundle), and a company CA given in SSL_CERT_FILE, or verify=False, still works as with a client
of httpx's own: checked by real handshakes with a server on 127.0.0.1 whose certificate a
throwaway CA signed."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import trustme

from agencydesk.vendors.client_kit.tls import new_http_client, shared_tls_context


@pytest.fixture(scope="module")
def company_ca() -> trustme.CA:
    return trustme.CA()


@pytest_asyncio.fixture
async def tls_server(company_ca: trustme.CA) -> AsyncIterator[str]:
    """An HTTPS server on 127.0.0.1 with a certificate only ``company_ca`` vouches for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    company_ca.issue_cert("127.0.0.1").configure_cert(context)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"https://127.0.0.1:{port}/"


def context_of(client: httpx.AsyncClient) -> ssl.SSLContext:
    # httpx keeps the context in its transport's connection pool (httpcore).
    return client._transport._pool._ssl_context  # type: ignore[attr-defined,no-any-return]


@pytest.mark.asyncio
async def test_two_clients_share_the_one_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with new_http_client() as first, new_http_client(timeout=30) as second:
        assert context_of(first) is context_of(second) is shared_tls_context()
        assert shared_tls_context().verify_mode == ssl.CERT_REQUIRED
        assert shared_tls_context().check_hostname


@pytest.mark.asyncio
async def test_a_company_ca_in_ssl_cert_file_still_applies(
    tls_server: str, company_ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    async with new_http_client() as http:  # the public CAs do not know the company's
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await http.get(tls_server)

    ca_file = tmp_path / "company-ca.pem"
    company_ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    async with new_http_client() as http, new_http_client() as other:
        assert (await http.get(tls_server)).text == "ok"
        assert context_of(other) is context_of(http)  # shared for this CA file too


@pytest.mark.asyncio
async def test_verify_off_and_a_context_of_its_own_are_kept(
    tls_server: str, company_ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with new_http_client(verify=False) as http:
        assert (await http.get(tls_server)).text == "ok"
    own = ssl.create_default_context()
    company_ca.configure_trust(own)
    async with new_http_client(verify=own) as http:
        assert context_of(http) is own
        assert (await http.get(tls_server)).text == "ok"
