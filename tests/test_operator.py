"""What an operator and a scheduler see: Ctrl-C and SIGTERM under a real terminal, the shipped cron line on an
overlapping tick, exit statuses, one line per bad setting, the exit-status table in --help and the README."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from newscrawler import exitcodes
from newscrawler import settings as project_settings
from newscrawler.interrupts import first_notice
from newscrawler.settingchecks import SettingError, check_settings, kind_of
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import LOOPBACK, ROOT, SNAPSHOT, read_jsonl, run
from tests.support import sandbox

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def slow_site() -> Iterator[SnapshotServer]:
    """The snapshot answering each request after 0.2 s: a crawl lasts long enough to be interrupted."""
    with SnapshotServer(SNAPSHOT, delay=0.2) as server:
        yield server


class Terminal:
    """A command run with a pseudo-terminal as its controlling terminal (stdin and stderr), stdout piped."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        self.master, self.chunks = master, list[bytes]()
        self.proc = subprocess.Popen(
            [str(BIN / args[0]), *args[1:]],
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other side closed: the process has ended
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    def type_ctrl_c(self) -> None:
        os.write(self.master, b"\x03")  # the terminal's line discipline sends SIGINT to the foreground group

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        """Exit status, stdout, and what the terminal showed."""
        stdout = self.proc.communicate(timeout=timeout)[0].decode()
        self.reader.join(timeout=10)
        os.close(self.master)
        return self.proc.returncode, stdout, b"".join(self.chunks).decode("utf-8", "replace")


def cron_command(base_url: str, data: Path, log: Path) -> tuple[str, dict[str, str]]:
    """The command of deploy/newscrawler.cron's schedule line and its environment, with this checkout, this
    environment's ``newscrawler``, ``data`` and ``log`` in place of the installed paths, and ``base_url`` added."""
    lines = [line for line in (ROOT / "deploy" / "newscrawler.cron").read_text().splitlines() if line.strip()]
    env = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    [schedule] = [line for line in lines if not line.startswith("#") and "=" not in line.split()[0]]
    command = schedule.split(None, 6)[6]  # after minute, hour, day, month, weekday and user
    command = command.replace(".venv/bin/newscrawler crawl", f"{BIN / 'newscrawler'} crawl base_url={base_url}")
    command = command.replace("/opt/newscrawler", str(ROOT)).replace("/var/log/newscrawler", str(log))
    return command, {**env, "NEWSCRAWLER_DATA_DIR": str(data)}


def cron_tick(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """What cron runs (``sh -c``) and would mail (stdout and stderr)."""
    return subprocess.run(
        ["/bin/sh", "-c", command], env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def the_manifest(data: Path) -> dict[str, Any]:
    [path] = (data / "exports").rglob("*.manifest.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupted_run_and_an_overlapping_cron_tick(slow_site: SnapshotServer, tmp_path: Path, how: str) -> None:
    data, log = tmp_path / "data", tmp_path / "log"
    log.mkdir()
    crawl = Terminal(
        ["newscrawler", "crawl", f"base_url={slow_site.url}", *LOOPBACK, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"],
        {"NEWSCRAWLER_DATA_DIR": str(data)},
    )
    start = len(slow_site.requests)
    while len(slow_site.requests) < start + 40 and crawl.proc.poll() is None:
        time.sleep(0.05)
    command, env = cron_command(slow_site.url, data, log)
    tick = cron_tick(command, env)  # the first run still holds the crawl state
    assert (tick.returncode, tick.stdout, tick.stderr) == (0, "", "")  # nothing for cron to mail
    [skipped] = (log / "crawl.log").read_text().splitlines()
    assert skipped.startswith(f"skipped: another run is using the crawl state {data / 'state'}")
    crawl.type_ctrl_c() if how == "ctrl-c" else crawl.proc.send_signal(signal.SIGTERM)
    status, stdout, shown = crawl.finish()
    name = "SIGINT" if how == "ctrl-c" else "SIGTERM"
    lines = [line.strip().removeprefix("^C") for line in re.split(r"[\r\n]+", shown)]  # the terminal echoes ^C
    said = [line for line in lines if line and " requests |" not in line]  # not the progress line
    assert (status, stdout) == (exitcodes.INTERRUPTED, ""), shown[-3000:]
    assert said == [first_notice(name)] and "again to force" in said[0], shown[-3000:]  # one line, no traceback
    manifest = the_manifest(data)
    [export] = (data / "exports").rglob("*.jsonl")
    assert 0 < len(read_jsonl(export)) == manifest["records"]["total"] < 177
    results = manifest["monitors"]["results"]
    assert manifest["finishReason"] == "shutdown" and manifest["monitors"]["passed"]
    assert [n for n, r in results.items() if r.startswith("interrupted")] != []
    assert [r for r in results.values() if not r.startswith(("passed", "interrupted"))] == []
    failing = cron_tick(command.replace(slow_site.url, "http://127.0.0.1:9"), env)  # the wrapper does speak
    assert failing.stdout.startswith("newscrawler crawl failed with status 2"), failing


def test_a_second_signal_stops_at_once(slow_site: SnapshotServer, tmp_path: Path) -> None:
    data = tmp_path / "data"
    crawl = Terminal(
        ["newscrawler", "crawl", f"base_url={slow_site.url}", *LOOPBACK], {"NEWSCRAWLER_DATA_DIR": str(data)}
    )
    start = len(slow_site.requests)
    while len(slow_site.requests) < start + 20 and crawl.proc.poll() is None:
        time.sleep(0.05)
    crawl.proc.send_signal(signal.SIGTERM)
    while b"to force" not in b"".join(crawl.chunks) and crawl.proc.poll() is None:
        time.sleep(0.05)
    crawl.proc.send_signal(signal.SIGTERM)
    status, stdout, shown = crawl.finish()
    assert (status, stdout) == (exitcodes.INTERRUPTED, ""), shown[-3000:]
    assert "newscrawler: SIGTERM again: stopping now" in shown and "Traceback" not in shown, shown[-3000:]
    assert not list((data / "exports").rglob("*.jsonl"))  # not published: the next run fetches it again


@pytest.mark.parametrize(
    ("command", "setting"),
    [("newscrawler", "NEWSCRAWLER_WARC=yes"), ("scrapy", "DOWNLOAD_DELAY=abc"), ("newscrawler", "LOG_LEVEL=LOUD")],
)
def test_a_bad_setting_is_one_line_and_no_request(site: SnapshotServer, command: str, setting: str) -> None:
    args = ["crawl", f"base_url={site.url}"] if command == "newscrawler" else ["crawl", "baghdadpost"]
    before = len(site.requests)
    result = run([command, *args, *LOOPBACK[:-2], "-s", setting])
    assert (result.returncode, result.stdout) == (exitcodes.BAD_INPUT, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: setting {setting}: must be "), line
    assert len(site.requests) == before


@pytest.mark.parametrize(
    ("setting", "value", "ok"),
    [
        ("NEWSCRAWLER_WARC", "1", True),
        ("NEWSCRAWLER_WARC", "yes", False),
        ("NEWSCRAWLER_KNOWN_STREAK", "24", True),
        ("NEWSCRAWLER_KNOWN_STREAK", "-1", False),
        ("NEWSCRAWLER_KNOWN_STREAK", "2.5", False),
        ("NEWSCRAWLER_REBUILD_WORKERS", "-1", True),
        ("NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE", "0.5", True),
        ("NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE", "5", False),
        ("NEWSCRAWLER_MONITOR_COVERAGE", '{"headline": 0.9}', True),
        ("NEWSCRAWLER_MONITOR_COVERAGE", '{"headline": 2}', False),
        ("NEWSCRAWLER_MONITOR_COVERAGE", "headline", False),
        ("NEWSCRAWLER_REQUIRED_FIELDS", "headline,articleBody", True),
        ("NEWSCRAWLER_CDX_DELAY", "0", True),
        ("DOWNLOAD_DELAY", "abc", False),
        ("DOWNLOAD_DELAY", "-1", False),
        ("DOWNLOAD_TIMEOUT", "0", False),
        ("CONCURRENT_REQUESTS", "0", False),
        ("RETRY_TIMES", "0", True),
        ("ROBOTSTXT_OBEY", "False", True),
        ("LOG_LEVEL", "WARNING", True),
        ("LOG_LEVEL", "warn", False),
        ("CLOSESPIDER_TIMEOUT", "abc", True),  # not one of ours or documented: Scrapy's to judge
    ],
)
def test_setting_kinds(setting: str, value: str, ok: bool) -> None:
    settings = Settings({setting: value})
    if ok:
        check_settings(settings)
    else:
        with pytest.raises(SettingError, match=rf"^setting {setting}=.+: must be "):
            check_settings(settings)


def test_every_project_setting_has_a_kind_and_its_default_passes() -> None:
    names = [n for n in vars(project_settings) if n.startswith("NEWSCRAWLER_")]
    assert [n for n in names if kind_of(n, getattr(project_settings, n)) is None] == []
    check_settings(Settings({n: v for n, v in vars(project_settings).items() if n.isupper()}))


def test_exit_statuses_in_help_and_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    helps = [run(["newscrawler", "--help"]).stdout, run(["newscrawler", "crawl", "--help"]).stdout]
    for code, meaning in exitcodes.TABLE:
        assert all(f"  {code:<4} {meaning}" in text for text in helps), code
        assert re.search(rf"^\| \*\*{code}\*\* \|", readme, re.MULTILINE), code


def unit_directives(path: Path) -> dict[str, list[str]]:
    """``[Service]`` directives of a systemd unit file, each with its values in order."""
    directives: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "Service" and "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            directives.setdefault(name, []).append(value)
    return directives


def test_systemd_unit_is_confined_and_still_crawls_and_stops(
    site: SnapshotServer, slow_site: SnapshotServer, tmp_path: Path
) -> None:
    """The unit's hardening directives; ``systemd-analyze`` on it where installed; then its ExecStart, confined as
    the directives say (tests/support/sandbox.py: no systemd as PID 1 here), crawls and stops on SIGTERM."""
    unit = ROOT / "deploy" / "newscrawler.service"
    service = unit_directives(unit)
    [environment] = service["Environment"]
    installed_data = environment.split("NEWSCRAWLER_DATA_DIR=", 1)[1]
    assert service["ReadWritePaths"] == [installed_data]  # the data directory, nothing else
    for name, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes"}.items():
        assert service[name] == [value], name
    assert service["PrivateTmp"] == ["yes"] and service["CapabilityBoundingSet"] == [""]
    assert {"75", "130"} <= set(" ".join(service["SuccessExitStatus"]).split())
    [exec_start] = service["ExecStart"]
    installed = shlex.split(exec_start)
    command = [str(BIN / "newscrawler"), *installed[1:]]
    if shutil.which("systemd-analyze"):
        here = tmp_path / "newscrawler.service"
        here.write_text(unit.read_text(encoding="utf-8").replace(installed[0], command[0]), encoding="utf-8")
        verify = subprocess.run(["systemd-analyze", "verify", str(here)], capture_output=True, text=True, check=False)
        assert (verify.returncode, verify.stderr) == (0, "")
        security = subprocess.run(
            ["systemd-analyze", "security", "--offline=true", str(here)], capture_output=True, text=True, check=False
        )
        exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
        assert exposure is not None and float(exposure[1]) <= 2.0, security.stdout[-2000:]  # 9.2 unhardened
    if not sandbox.available():
        pytest.skip("confining the ExecStart needs root, unshare and setpriv")
    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, sandbox.UID, sandbox.UID)
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    done = subprocess.run(
        sandbox.confined([*command, f"base_url={site.url}", "edition=en", "sections=1", *LOOPBACK[:-2]], [data]),
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    crawl = subprocess.Popen(
        sandbox.confined([*command, f"base_url={slow_site.url}", *LOOPBACK[:-2]], [data]),
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    start = len(slow_site.requests)
    while len(slow_site.requests) < start + 30 and crawl.poll() is None:
        time.sleep(0.05)
    crawl.send_signal(signal.SIGTERM)  # as `systemctl stop` does
    stdout, stderr = crawl.communicate(timeout=120)
    assert (crawl.returncode, stdout) == (exitcodes.INTERRUPTED, ""), stderr[-3000:]
    assert first_notice("SIGTERM") in stderr.splitlines() and "Traceback" not in stderr, stderr[-3000:]
    assert len(list((data / "exports").rglob("*.manifest.json"))) == 2  # both runs published


def test_a_run_losing_the_race_for_the_state_is_skipped_too(site: SnapshotServer, tmp_path: Path) -> None:
    """Another run takes the lock after this one's preflight found it free (tests/support/locker.py)."""
    extensions = {**project_settings.EXTENSIONS, "tests.support.locker.TakeStateLock": 5}
    args = ["newscrawler", "crawl", f"base_url={site.url}", *LOOPBACK, "-s", f"EXTENSIONS={json.dumps(extensions)}"]
    result = run(args, env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert (result.returncode, result.stdout) == (exitcodes.SKIPPED, ""), result.stderr[-3000:]
    [line] = result.stderr.splitlines()
    assert line.startswith(f"skipped: another run is using the crawl state {tmp_path / 'state'}")
