"""Serving one run: the single-server lock, the socket, uvicorn.

One server per run: several reviewers share it through their browsers (optimistic concurrency
per bead), and a second `review` on the same run is refused while the first lives.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from align.errors import AlignError, InputError
from align.review.load import alignment_file
from align.review.security import is_loopback, loopback_hosts

LOCK_NAME = "review.lock"


class ServerLock:
    """An flock on RUN_DIR/review.lock holding the server's pid and URL.

    Hand-written on fcntl (not filelock) because the holder's pid and URL must be readable in
    the file for the refusal message; the kernel drops the lock when the holder dies, even by
    SIGKILL, so a stale file never blocks a restart.
    """

    def __init__(self, run_dir: Path) -> None:
        self.path = Path(run_dir) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._holder(fd)
            os.close(fd)
            raise AlignError(
                f"another review server ({holder}) is already serving this run; "
                "open that one in your browser, or stop it first",
                path=self.path.parent,
            ) from None
        self.fd = fd
        self.write(None)

    @staticmethod
    def _holder(fd: int) -> str:
        """The running server's pid and URL as its lock file says."""
        try:
            info = json.loads(os.pread(fd, 4096, 0) or b"{}")
            return f"pid {info.get('pid')}, {info.get('url') or 'starting'}"
        except (OSError, ValueError):
            return "pid unknown"

    def write(self, url: str | None) -> None:
        """Record this process and its URL (without the token) in the lock file."""
        assert self.fd is not None
        data = json.dumps({"pid": os.getpid(), "url": url}).encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the flock
            self.fd = None


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one); InputError when the port is taken.

    Built by hand, not with socket.create_server: that leaves `proto` 0, and asyncio then skips
    TCP_NODELAY on accepted connections, which costs every keep-alive answer a 40 ms stall.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {error.strerror} (choose another --port)"
        ) from None
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    run_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    reviewer: str = "reviewer",
    announce: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> None:
    """Run the review server until interrupted; refuses a second server on the same run."""
    import uvicorn

    from align.review.app import create_app

    alignment_file(run_dir)  # a clear error before any lock file is made
    loopback = is_loopback(host)
    if not loopback and not token:
        token = secrets.token_urlsafe(24)
    lock = ServerLock(run_dir)
    lock.acquire()
    try:
        hosts = loopback_hosts(host) if loopback else None
        app = create_app(run_dir, token=token, reviewer=reviewer, allowed_hosts=hosts)
        sock = bind(host, port)
        url = _url(host, sock.getsockname()[1])
        lock.write(url)
        announce(f"reviewing {run_dir} at {url}" + (f"?token={token}" if token else ""))
        config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        lock.release()
