"""Sign-in for the participants' server when it is shared on the room's network: the token or 403.

Jupyter's usual sign-in sends a visitor without the token to a login page
where a token can be typed. The participants' server has no use for it: the
join link (and its QR code) carries the token, and a request without it, or
without the cookie the link leaves behind, gets 403 and nothing else — no
page, no form, no kernel (``systemic-workbook serve --share``).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider
from tornado import web

__all__ = ["TokenOnlyIdentityProvider"]


class TokenOnlyIdentityProvider(PasswordIdentityProvider):
    """Token in the link (or its cookie), else 403; no login or logout pages."""

    @property
    def login_available(self) -> bool:
        return False

    def get_handlers(self) -> list[tuple[str, object]]:
        return []

    async def _get_user(self, handler: web.RequestHandler) -> Any:
        user = await super()._get_user(handler)
        if user is None and self.token:
            raise web.HTTPError(403)
        return user
