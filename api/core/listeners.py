"""The listening sockets of `confrere serve --workers N`: on Linux every process listens on a
socket of its own on the one port (SO_REUSEPORT), and the kernel spreads new connections
evenly over them.

uvicorn's default is one socket bound by the parent and shared by every process. Whichever
process wakes first then accepts every connection waiting, so a burst of keep-alive
connections (a proxy's upstream pool, a load generator) can stay on one process for good while
the others idle: measured with wrk, 16 connections split 16/0 in one run out of six, and two
processes served no more than one.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from uvicorn.config import STARTUP_FAILURE

#: Whether the kernel balances the connections to one port over the sockets listening on it.
#: Linux does; macOS's and the BSDs' SO_REUSEPORT hand every connection to one socket.
BALANCED = sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


class PortTaken(Exception):
    """Another program already listens on the address."""


class SharedPort(socket.socket):
    """The supervising process's hold on the port: bound, so that no other program can take
    it, and never listening, so that the kernel hands it no connection.

    Handed to a worker process (uvicorn pickles the sockets it gives each one it starts, and
    restarts), it arrives as a listening socket of the worker's own on the same address.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        host, port = self.getsockname()[:2]
        return (_own_socket, (self.family, host, port))


def share_port(host: str, port: int) -> SharedPort:
    """Reserve `host:port` for the worker processes' sockets (port 0: one the kernel picks,
    which every worker then shares).

    Raises PortTaken when another program listens there: SO_REUSEPORT alone would let a
    second `confrere serve` of the same user join the port and take half its connections.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = (host.strip("[]"), port)
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise PortTaken(f"cannot listen on {host}:{port}: {error.strerror}") from None
    reserved = SharedPort(family, socket.SOCK_STREAM)
    _allow_sharing(reserved)
    try:
        reserved.bind(address)
    except OSError as error:
        reserved.close()
        raise PortTaken(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return reserved


def _allow_sharing(sock: socket.socket) -> None:
    # SO_REUSEADDR too: a restart binds while the last run's connections are in TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)


def _own_socket(family: socket.AddressFamily, host: str, port: int) -> socket.socket:
    """A worker's own socket on the shared address (uvicorn listens on it)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    _allow_sharing(sock)
    try:
        sock.bind((host, port))
    except OSError as error:
        # Logging is not set up yet in a starting worker. The exit code makes the supervisor
        # stop rather than start the worker again and again.
        print(f"cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)
    return sock
