# JupyterHub for a council's workbook service (docs/deploy.md is the recipe).
#
# Every setting that differs between the demonstration (`systemic-workbook hub`) and a council's
# service is read from the environment, so this one file serves both:
#   WORKBOOK_HUB_DEMO=1            dummy sign-in and local processes (never in production)
#   WORKBOOK_HUB_IP / _PORT        where the hub listens (127.0.0.1:8000 unless set)
#   WORKBOOK_HUB_SUPERVISORS       comma-separated user names who may run sessions (demo)
#   WORKBOOK_STORE_SUPERVISOR      the store address supervisors' notebooks write to
#   WORKBOOK_STORE_VIEWER          the read-only store address participants' pages open
#   WORKBOOK_HUB_STATE             folder for the hub's own database and cookie secret
#   WORKBOOK_ROOM_PLACES           kernels each room keeps ready (participants + spares)
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from widgets.jupyter.hub import ROOM_PREFIX, RoomClients, WorkbookSpawnerMixin

c = get_config()  # type: ignore[name-defined]  # noqa: F821

DEMO = os.environ.get("WORKBOOK_HUB_DEMO") == "1"
STATE = Path(os.environ.get("WORKBOOK_HUB_STATE", "/var/lib/systemic-workbook-hub"))
HERE = Path(__file__).resolve().parent
SUPERVISORS = [n for n in os.environ.get("WORKBOOK_HUB_SUPERVISORS", "").split(",") if n]

# -- where the hub listens -------------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("WORKBOOK_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("WORKBOOK_HUB_PORT", "8000"))
c.JupyterHub.public_url = os.environ.get(
    "WORKBOOK_HUB_PUBLIC_URL", f"http://{c.JupyterHub.ip}:{c.JupyterHub.port}"
)
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("WORKBOOK_HUB_API_PORT", "8081"))
PROXY_API_PORT = os.environ.get("WORKBOOK_HUB_PROXY_API_PORT", "8001")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# -- sign-in ---------------------------------------------------------------------------------
if DEMO:
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
else:  # Entra ID through OAuthenticator, reading app roles (docs/deploy.md)
    c.JupyterHub.authenticator_class = "azuread"
    c.AzureAdOAuthenticator.tenant_id = os.environ.get("AAD_TENANT_ID", "")
    c.AzureAdOAuthenticator.oauth_callback_url = os.environ.get("OAUTH_CALLBACK_URL", "")
    c.AzureAdOAuthenticator.client_id = os.environ.get("AAD_CLIENT_ID", "")
    c.AzureAdOAuthenticator.client_secret = os.environ.get("AAD_CLIENT_SECRET", "")
    c.AzureAdOAuthenticator.username_claim = "preferred_username"
    # App roles arrive in the "roles" claim; the "groups" claim is dropped for people in more
    # than 200 groups, so it is never used here.
    c.AzureAdOAuthenticator.user_groups_claim = "roles"
    c.AzureAdOAuthenticator.manage_groups = True
    c.AzureAdOAuthenticator.allowed_groups = {"Workbook.Supervisor", "Workbook.Participant"}
    c.AzureAdOAuthenticator.admin_groups = {"Workbook.Admin"}

# -- who may do what -------------------------------------------------------------------------
# Everyone signed in may only read their own name and accept a share: participants get no
# JupyterLab of their own. Supervisors may start their own servers (their JupyterLab and the
# rooms of their sessions) and share a room. The admin role is cut down to what running the
# service needs (docs/deploy.md).
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["read:users:name!user", "read:users:groups!user"]},
    {
        "name": "supervisor",
        "scopes": ["self", "shares!user"],
        "users": SUPERVISORS,
        "groups": ["Workbook.Supervisor"] if not DEMO else [],
    },
]
c.JupyterHub.allow_named_servers = True
c.JupyterHub.named_server_limit_per_user = 10
c.JupyterHub.default_url = "/hub/home"


def _server_token_scopes(spawner):  # noqa: ANN001, ANN202
    """A room's token can only check who is signed in; a supervisor's can also open rooms."""
    if spawner.name.startswith(ROOM_PREFIX):
        return ["users:activity!server", "access:servers!server"]
    return ["users:activity!user", "access:servers!server", "servers!user", "shares!user"]


c.Spawner.server_token_scopes = _server_token_scopes

# -- servers ---------------------------------------------------------------------------------


if DEMO:  # every server runs as the hub's own user: a demonstration on one laptop only
    from jupyterhub.spawner import SimpleLocalProcessSpawner as BaseSpawner
else:  # each supervisor's server in its own systemd unit, with memory limits (docs/deploy.md)
    from systemdspawner import SystemdSpawner as BaseSpawner


class WorkbookSpawner(WorkbookSpawnerMixin, BaseSpawner):
    """The supervisor's JupyterLab, or a room's Voila, by the server's name."""


c.JupyterHub.spawner_class = WorkbookSpawner
if DEMO:
    c.WorkbookSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120
c.Spawner.mem_limit = os.environ.get("WORKBOOK_SERVER_MEM_LIMIT", "2G")
c.Spawner.environment = {"JUPYTERHUB_SINGLEUSER_EXTENSION": "1"}
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
if DEMO and os.geteuid() == 0:  # containers and CI machines run as root
    c.Spawner.args = ["--ServerApp.allow_root=True"]
WorkbookSpawner.room_places = int(os.environ.get("WORKBOOK_ROOM_PLACES", "12"))
WorkbookSpawner.store_for_rooms = os.environ.get("WORKBOOK_STORE_VIEWER", "")
WorkbookSpawner.store_for_supervisors = os.environ.get("WORKBOOK_STORE_SUPERVISOR", "")
# Rooms answer only to the hub's public name (and loopback): a page elsewhere that rebinds its
# name to this machine is refused.
WorkbookSpawner.room_hosts = tuple(
    h for h in [urlsplit(c.JupyterHub.public_url).hostname or "",
                *os.environ.get("WORKBOOK_ROOM_HOSTS", "").split(",")] if h
)

# A participant accepts the invitation once, on the hub's page; the room does not ask again.
c.JupyterHub.tornado_settings = {"oauth_no_confirm_list": RoomClients()}

# -- services --------------------------------------------------------------------------------
# The room keeper closes the room of every session that has ended (widgets/jupyter/room_keeper.py);
# the idle culler stops supervisors' servers and rooms nobody has used for two hours.
c.JupyterHub.services = [
    {
        "name": "room-keeper",
        "command": [sys.executable, "-m", "widgets.jupyter.room_keeper"],
        "environment": {
            "SYSTEMIC_WORKBOOK_STORE": os.environ.get("WORKBOOK_STORE_VIEWER", ""),
            "WORKBOOK_ROOM_KEEPER_INTERVAL": os.environ.get("WORKBOOK_ROOM_KEEPER_INTERVAL", "30"),
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        },
    },
]
c.JupyterHub.load_roles.append(
    {
        "name": "room-keeper",
        "scopes": ["list:users", "read:servers", "delete:servers", "shares"],
        "services": ["room-keeper"],
    }
)
if not DEMO:
    c.JupyterHub.services.append(
        {"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                            "--timeout=7200", "--remove-named-servers"]}
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )
