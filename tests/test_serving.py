"""How the participants' server starts: one notebook, loopback, no surprises, a token to share."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from systemic import serving
from systemic.cli import main
from systemic.errors import WorkbookError
from systemic.store import Store
from tests.conftest import free_port


def _options(cmd: list[str]) -> dict[str, str]:
    return dict(a[2:].split("=", 1) for a in cmd if a.startswith("--") and "=" in a)


def test_the_dashboard_is_served_alone_on_loopback_with_nothing_else_reachable() -> None:
    cmd = serving.voila_command(port=8866)
    options = _options(cmd)
    assert cmd[cmd.index(serving.ROOM_MODULE) + 1] == str(serving.DASHBOARD), (
        "one notebook, not a folder")
    assert serving.DASHBOARD.suffix == ".ipynb"
    assert options["Voila.ip"] == "127.0.0.1"
    assert options["Voila.port_retries"] == "0", "a busy port is an error, not a silent move"
    assert options["strip_sources"] == "True" and options["show_tracebacks"] == "False"
    assert options["VoilaConfiguration.file_allowlist"] == "[]"
    assert options["template"] == serving.ROOM_TEMPLATE, "the dashboard's light front end"
    assert options["VoilaConfiguration.allow_template_override"] == "NO"
    assert int(options["MappingKernelManager.cull_idle_timeout"]) > 0, "idle kernels are culled"
    assert "token" not in options and "preheat_kernel" not in options


def test_the_page_may_load_nothing_from_elsewhere() -> None:
    policy = serving.CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy, "no other site is allowed"
    template = (serving.JUPYTER_DATA / "voila" / "templates" / serving.TEMPLATE / "index.html.j2")
    assert "cdn.jsdelivr.net" in template.read_text(), "the CDN links are filtered out by name"


def test_sharing_needs_a_token_and_gives_no_login_page() -> None:
    options = _options(serving.voila_command(port=8866, ip="192.168.1.20", token="abc"))
    assert options["token"] == "abc"
    assert options["Voila.identity_provider_class"] == serving.TOKEN_ONLY
    assert len({serving.new_token() for _ in range(20)}) == 20


def test_kernels_are_pre_heated_for_the_participants_expected() -> None:
    options = _options(serving.voila_command(port=8866, pool_size=10))
    assert options["preheat_kernel"] == "True" and options["pool_size"] == "10"
    assert float(options["VoilaKernelManager.fill_delay"]) > 0
    # Voila refuses pre-heating with either of these, so neither is ever set.
    assert "progressive_rendering" not in options
    assert not any("prelaunch_hook" in k for k in options)


def test_the_join_link_carries_the_token_and_the_probe_starts_no_kernel() -> None:
    assert serving.join_url("10.1.2.3", 8866, "a b") == "http://10.1.2.3:8866/?token=a+b"
    assert serving.join_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert serving.join_url("fe80::1", 80, "t") == "http://[fe80::1]:80/?token=t"
    assert serving.probe_url("127.0.0.1", 9).endswith("/voila/static/voila.js")


def test_the_qr_code_is_a_square_of_text_and_differs_by_link() -> None:
    one = serving.qr_code("http://10.1.2.3:8866/?token=one")
    two = serving.qr_code("http://10.1.2.3:8866/?token=two")
    lines = one.splitlines()
    assert one != two
    assert len({len(line) for line in lines}) == 1
    # Two rows of modules per line of text: roughly square.
    assert abs(len(lines[0]) - 2 * len(lines)) <= 2
    assert set(one) <= set("█▀▄\xa0 \n")


def test_the_room_address_is_a_network_address_or_a_plain_message() -> None:
    try:
        address = serving.room_address()
    except WorkbookError as e:
        assert "--address" in str(e)
    else:
        ip = ipaddress.ip_address(address)
        assert not ip.is_loopback and not ip.is_unspecified


def test_another_address_without_share_is_refused(tmp_path: Path, capsys) -> None:
    store = tmp_path / "w.db"
    Store.open(store).close()
    assert main(["serve", "--store", str(store), "--address", "10.9.9.9"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--share" in err[0]
    assert main(["serve", "--store", str(store), "--participants", "-1"]) == 2
    assert "--participants" in capsys.readouterr().err


def test_a_session_not_in_the_store_is_refused_before_anything_starts(tmp_path: Path,
                                                                      capsys) -> None:
    store = tmp_path / "w.db"
    Store.open(store).close()
    assert main(["serve", "--store", str(store), "--session", "nosuch", "--port",
                 str(free_port())]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["systemic-workbook: There is no session 'nosuch' in this store — choose one "
                   "from the list of sessions."]


@pytest.mark.parametrize("command", ["serve", "demo", "plenary", "hub"])
def test_a_port_no_server_can_listen_on_is_refused(command: str, capsys) -> None:
    # Tornado would take 99999 modulo 65,536 and the address printed would lead nowhere.
    with pytest.raises(SystemExit) as stopped:
        main([command, "--port", "99999"])
    assert stopped.value.code == 2
    assert "--port: must be a number from 1 to 65535, not 99999" in capsys.readouterr().err


def test_a_busy_port_is_an_error_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "w.db"
    Store.open(store).close()
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        proc = subprocess.run(
            [sys.executable, "-m", "systemic.cli", "serve", "--store", str(store),
             "--port", str(port), "--participants", "0"],
            capture_output=True, text=True, timeout=120, env={**os.environ},
        )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is in use already" in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "Participants can join" not in proc.stdout


def test_a_port_another_server_answers_on_is_refused_before_the_demo_starts(
    tmp_path: Path, capsys
) -> None:
    # A JupyterLab of one's own on 8888 answered the demo's probe in place of its own, and
    # the demo printed an address (with a token) that led to it.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert main(["demo", "--check", "--store", str(tmp_path / "w.db"),
                     "--lab-port", str(busy), "--port", str(free_port())]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"port {busy} on 127.0.0.1 is in use already" in err[0]
    assert "--lab-port" in err[0]
    assert not (tmp_path / "w.db").exists(), "nothing is started, not even the demo's session"


@pytest.mark.parametrize("flag", ["--share", "--participants", "--address"])
def test_serve_explains_its_options(flag: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert flag in capsys.readouterr().out
