"""The hub's sign-in in front of a room's Voila (jhsingle-native-proxy), trusting the hub's origin.

``jhsingle-native-proxy`` (0.8.3) checks the hub's sign-in and proxies HTTP
and websockets to the room's Voila. Since tornado 6.6 a websocket's origin is
trusted only if it is listed in the application's ``trusted_origins``
setting, and the proxy asks about every origin it sees, so every page's
websocket was refused and the live page never came up. This runs the proxy
with one setting added: the hub's public origin (from
``$JUPYTERHUB_PUBLIC_URL``, which the hub gives every server) is trusted, and
no other.

    python -m widgets.jupyter.room_proxy [jhsingle-native-proxy options] -- voila …

>>> hub_origins({"JUPYTERHUB_PUBLIC_URL": "https://workbook.example.gov.uk/user/sam/room-4f2a/"})
{'https://workbook.example.gov.uk'}
>>> hub_origins({})
set()
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["hub_origins", "main"]


def hub_origins(environ: Mapping[str, str]) -> set[str]:
    """The origins pages of this room come from: the hub's public address."""
    found = set()
    for name in ("JUPYTERHUB_PUBLIC_URL", "JUPYTERHUB_PUBLIC_HUB_URL"):
        parts = urlsplit(environ.get(name, ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            found.add(f"{parts.scheme}://{parts.netloc}")
    return found


def main() -> Any:
    from jhsingle_native_proxy import main as proxy

    make_app = proxy.make_app

    def make_trusting_app(*args: Any, **kwargs: Any) -> Any:
        app = make_app(*args, **kwargs)
        app.settings["trusted_origins"] = hub_origins(os.environ)
        return app

    proxy.make_app = make_trusting_app
    return proxy.run()


if __name__ == "__main__":
    sys.exit(main())
