"""The request handler of :class:`~newscrawler.snapshot.faults.FaultServer`: acts out each decided fault."""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import Protocol

from newscrawler.snapshot.manifest import Answer, Snapshot

ERROR_PAGE = b"<html><head><title>Service Unavailable</title></head><body><h1>Server Error</h1></body></html>"


class _Log(Protocol):
    def add(self, client: str, path: str, what: str) -> None: ...


class _Plan(Protocol):
    stall_s: float


class FaultActor(Protocol):
    """What the handler asks of its server (:class:`~newscrawler.snapshot.faults.FaultServer`)."""

    requests: list[str]
    snapshot: Snapshot

    @property
    def log(self) -> _Log: ...
    @property
    def plan(self) -> _Plan: ...
    def decide(self, client: str, raw_path: str) -> str: ...
    def answer(self, raw_path: str) -> Answer: ...
    def retry_after_for(self, client: str) -> str: ...
    def is_story(self, raw_path: str) -> bool: ...


def fault_handler(server: FaultActor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/8.5"

        def do_GET(self) -> None:
            client = self.client_address[0]
            what = server.decide(client, self.path)
            if what == "soft" and not server.is_story(self.path):
                what = "ok"
            server.log.add(client, self.path, what)
            server.requests.append(self.path)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._act(what)

        def _act(self, what: str) -> None:
            kind, _, value = what.partition(":")
            if kind in ("500", "502", "503"):
                self._send(int(kind), {"Content-Type": "text/html"}, ERROR_PAGE)
            elif kind in ("429", "in_retry_after_window"):
                self._send(
                    429,
                    {
                        "Content-Type": "text/html",
                        "Retry-After": value or server.retry_after_for(self.client_address[0]),
                    },
                    b"",
                )
            elif kind == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
            elif kind == "stall":
                time.sleep(server.plan.stall_s)
                self._send_answer(server.answer(self.path))
            elif kind == "soft":
                self._send(200, {"Content-Type": "text/html; charset=utf-8"}, server.snapshot.resolve("/-/-").body)
            elif kind == "empty":
                self._send(200, {"Content-Type": "text/html; charset=utf-8"}, b"")
            elif kind == "chunked":
                self._broken_chunks(server.answer(self.path).body)
            elif kind == "truncate":
                answer = server.answer(self.path)
                self._send(answer.status, answer.headers, answer.body, cut=max(1, len(answer.body) // 2))
            else:
                self._send_answer(server.answer(self.path))

        def _broken_chunks(self, body: bytes) -> None:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
            first = body[: len(body) // 2]
            self.wfile.write(head + b"%x\r\n" % len(first) + first + b"\r\nnot-a-chunk-size\r\n")
            self.wfile.flush()
            self.close_connection = True

        def _send_answer(self, answer: Answer) -> None:
            self._send(answer.status, answer.headers, answer.body)

        def _send(self, status: int, headers: Mapping[str, str], body: bytes, cut: int | None = None) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "content-length" not in {n.lower() for n in headers}:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                self.wfile.flush()
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
