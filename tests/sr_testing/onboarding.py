"""Onboarding through the real command and pages: found an organisation, join by
invitation with a TOTP code computed from the secret the page shows."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from safereport.accounts.models import Organisation, StaffUser

NEW_PASSWORD = "copper kettle morning 7"


@dataclass
class FoundedOrg:
    organisation: Organisation
    admin_link: str
    recovery_secret: str
    output: str


def found(name: str = "Harbour Women's Aid", *extra: str) -> FoundedOrg:
    out = io.StringIO()
    call_command(
        "organisation",
        "create",
        "--kind",
        "support_org",
        "--name",
        name,
        "--areas",
        "Leeds,Bradford",
        "--languages",
        "en,pl",
        "--referral-kinds",
        "",
        *extra,
        stdout=out,
    )
    text = out.getvalue()
    link = re.search(r"(http\S+/staff/join/\S+/)", text)
    secret = re.search(r"^\s+([a-z2-7]{4}(?:-[a-z2-7]{1,4}){12})$", text, re.M)
    assert link and secret, text
    return FoundedOrg(Organisation.objects.get(name=name), link.group(1), secret.group(1), text)


def path_of(link: str) -> str:
    return link[link.index("/staff/join/") :]


def secret_on(page: str) -> str:
    found = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert found, "the join page shows the authenticator secret as text"
    return found.group(1).replace(" ", "")


def code_for(secret_base32: str, *, offset: int = 0) -> str:
    padded = secret_base32 + "=" * (-len(secret_base32) % 8)
    totp = TOTP(base64.b32decode(padded))
    return f"{(totp.token() + offset) % 1_000_000:06d}"


@dataclass
class Joined:
    response: object
    backup_codes: list[str]


def join(
    client: Client,
    link: str,
    *,
    username: str | None,
    password: str = NEW_PASSWORD,
    again: str | None = None,
    wrong_code: bool = False,
) -> Joined:
    """Open the invitation, read the secret, type a code from it, and submit."""
    path = path_of(link)
    page = client.get(path)
    assert page.status_code == 200, page.content.decode()[:500]
    code = code_for(secret_on(page.content.decode()), offset=500_000 if wrong_code else 0)
    data = {"password": password, "again": again or password, "code": code}
    if username is not None:
        data["username"] = username
    response = client.post(path, data)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    return Joined(response, codes)


def sign_in_with(client: Client, user: StaffUser, code: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("staff:login"), {"username": user.username, "password": password, "code": code}
    )
