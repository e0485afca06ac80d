"""Real outages for tests: a port nothing listens on, a redis-server of the test's own, and a TCP proxy to a real
server (PostgreSQL, Redis) that can refuse new connections and drop the open ones, or hold everything sent
through it as a network that loses packets does, then come back.
"""

import contextlib
import socket
import subprocess
import threading
import time

import redis


def free_port():
    """A port that was just free; nothing listens on it once the socket is closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CuttableProxy:
    """A TCP proxy to a real server that can refuse new connections and drop open ones, then come back."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.sockets = []
        self.lock = threading.Lock()
        self.listener = None
        self.flowing = threading.Event()
        self.flowing.set()
        self.restore()

    def hold(self):
        """Keep the open connections open but pass nothing on (a network that drops every packet)."""
        self.flowing.clear()

    def release(self):
        self.flowing.set()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        with self.lock:
            # shutdown() wakes the thread blocked in accept(), so the port is really closed.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def redis_server(port):
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if client.ping():
                    break
            time.sleep(0.05)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)
