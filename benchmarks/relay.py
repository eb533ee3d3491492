"""A loopback TCP relay for the benchmarks that stand between a browser and the server.

:class:`LoopbackRelay` listens on a free port of 127.0.0.1 and, for every connection the
browser opens, opens one to the target server and hands both ends to :meth:`relay`, which a
subclass defines (``bench_map.LatencyRelay`` delays the bytes, ``bench_load.FrameTap`` reads
the websocket frames as they pass). It keeps the connections' bookkeeping in one place: the
open connections are cut, and their tasks awaited, when the relay stops.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class LoopbackRelay:
    """A relay to the server of ``target`` (a URL), run in the caller's asyncio loop between
    :meth:`start` and :meth:`stop`; ``url`` is ``target`` with the relay's address."""

    def __init__(self, target: str):
        parsed = urlsplit(target)
        self.scheme, self.host = parsed.scheme or "http", parsed.hostname
        self.port = parsed.port or (443 if self.scheme == "https" else 80)
        self.listen_port: int | None = None
        self._writers: set = set()  # both ends of every open connection
        self._handlers: set = set()  # the task of every open connection

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.listen_port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.listen_port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening; cut every open connection and let its relay end."""
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    async def relay(self, client_reader, client_writer, server_reader, server_writer) -> None:
        """Carry one connection's bytes both ways until both ends are done."""
        raise NotImplementedError

    async def _handle(self, client_reader, client_writer) -> None:
        self._handlers.add(asyncio.current_task())
        writers = [client_writer]
        try:
            server_reader, server_writer = await asyncio.open_connection(self.host, self.port)
            writers.append(server_writer)
            self._writers.update(writers)
            await self.relay(client_reader, client_writer, server_reader, server_writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # a connection the browser opened and dropped, or the relay stopping
        finally:
            self._writers.difference_update(writers)
            for writer in writers:
                writer.close()
            self._handlers.discard(asyncio.current_task())
