"""Test-only: run a command as deploy/newscrawler.service would confine it, where systemd itself cannot run it
(no systemd as PID 1, as in containers and CI): a mount namespace (``unshare``) and ``setpriv``.

Emulated from the unit's directives: ``ProtectSystem=strict`` with ``ReadWritePaths=`` (every mount read-only
but the API file systems and the writable paths), ``PrivateTmp=`` (an empty /tmp), ``ProtectHome=`` (empty /home
and /root, but the interpreter bound back read-only when it lives there), ``User=`` (an unprivileged uid),
``NoNewPrivileges=``, an empty ``CapabilityBoundingSet=``. Needs root and ``unshare``/``setpriv`` (util-linux).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

#: The uid/gid the confined command runs as (nobody), for ``User=``.
UID = 65534

_SCRIPT = r"""
set -e
mount -t tmpfs tmpfs /mnt
for path in {keep}; do mkdir -p "/mnt$path"; mount --bind "$path" "/mnt$path"; done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /home
mount -t tmpfs -o mode=755 tmpfs /root
for path in {keep}; do mkdir -p "$path"; mount --move "/mnt$path" "$path"; done
for target in $(findmnt -rno TARGET | sort -u); do
  case "$target" in /proc*|/sys*|/dev*|/tmp|{writable_cases}) continue;; esac
  mount -o remount,bind,ro "$target" 2>/dev/null || true
done
for path in {readonly}; do mount -o remount,bind,ro "$path"; done
exec setpriv --reuid={uid} --regid={uid} --clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all {command}
"""


def available() -> bool:
    """Whether this machine can run :func:`confined` commands (root, util-linux)."""
    return os.geteuid() == 0 and all(shutil.which(tool) for tool in ("unshare", "setpriv", "findmnt"))


def confined(command: list[str], writable: list[Path]) -> list[str]:
    """``command`` confined as the unit confines its ``ExecStart``, ``writable`` the ``ReadWritePaths``."""
    interpreter = Path(sys.base_prefix).resolve()
    hidden = [interpreter] if interpreter.is_relative_to("/root") or interpreter.is_relative_to("/home") else []
    keep = [*map(str, writable), *map(str, hidden)]
    script = _SCRIPT.format(
        keep=" ".join(map(shlex.quote, keep)),
        writable_cases="|".join(shlex.quote(str(path)) for path in writable),
        readonly=" ".join(map(shlex.quote, map(str, hidden))),
        uid=UID,
        command=shlex.join(command),
    )
    return ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script]
