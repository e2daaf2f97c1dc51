"""Reading a vendor's JWT claims (PyJWT, unverified: we never hold the vendor's key): who the
token is for and when it ends, including for a token that has already expired."""

from __future__ import annotations

import time

import jwt

from agencydesk.vendors.agencyzoom.client import jwt_expiry
from agencydesk.vendors.client_kit.auth import unverified_claims
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.conecrm.client import ConeCrmClient
from agencydesk.vendors.lofty.client import LoftyClient


def _token(claims: dict[str, object]) -> str:
    return jwt.encode(claims, "the vendor's key, which we never see", algorithm="HS256")


def test_claims_are_read_without_the_key_and_even_when_expired() -> None:
    exp = int(time.time()) - 3600
    assert unverified_claims(_token({"sub": "u-42", "exp": exp})) == {"sub": "u-42", "exp": exp}


def test_something_that_is_not_a_jwt_has_no_claims() -> None:
    for text in ("", "not-a-token", "a.b.c", "abc.@@@.def"):
        assert unverified_claims(text) == {}
    header, _payload, signature = _token({"sub": "x"}).split(".")
    assert unverified_claims(f"{header}.WzEsMl0.{signature}") == {}  # claims must be an object


def test_agencyzoom_expiry_is_the_exp_claim_on_our_clock() -> None:
    token = _token({"exp": int(time.time()) + 600})
    expires = jwt_expiry(token, clock=lambda: 1000.0)
    assert expires is not None
    assert 1000.0 + 590 < expires <= 1000.0 + 600
    assert jwt_expiry(_token({"sub": "x"})) is None  # no exp: the token says nothing
    assert jwt_expiry("garbage") is None


def test_conecrm_knows_whose_token_it_is_and_that_it_expired() -> None:
    token = _token({"sub": "77", "exp": int(time.time()) - 5})
    client = ConeCrmClient("http://127.0.0.1:9", new_http_client(), None, token=f" {token} ")
    assert client.token_claims["sub"] == "77"
    assert client.token_expired()


def test_lofty_token_lifetime_comes_from_its_own_iat_and_ext_in_milliseconds() -> None:
    issued_ms = 1_700_000_000_000  # Lofty's clock, which may differ from ours (L51)
    token = _token({"iat": issued_ms, "ext": issued_ms + 3_600_000})
    client = LoftyClient(
        "http://127.0.0.1:9", new_http_client(), None, api_key="k", clock=lambda: 50.0
    )
    assert client._expiry(token) == 50.0 + 3600
    assert client._expiry(_token({"iat": issued_ms})) is None
