"""A real SMTP server on a local port, in a thread, for tests of what a slow or broken mail server does.

`HangingSMTPServer` accepts connections and says nothing (a mail server that hangs) until
`answer()` is called; from then on it speaks enough SMTP to accept messages, including on the
connections it held. It counts the connections it accepted and keeps the messages it received.

With `withhold_reply_to=n` it keeps the n-th message it receives but never answers its end of data (a
server that accepted the message while the sender is cut off before hearing so); `withheld` is set then.
"""

import socket
import threading


class HangingSMTPServer:
    def __init__(self, withhold_reply_to=None):
        self.withhold_reply_to = withhold_reply_to
        self.withheld = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.messages = []
        self.answering = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def answer(self):
        self.answering.set()

    def close(self):
        self.closed.set()
        self.answering.set()
        self.sock.close()

    def _accept(self):
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            self.answering.wait()
            if self.closed.is_set():
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 test ESMTP\r\n")
            data = None
            for raw in reader:
                if data is not None:
                    if raw in (b".\r\n", b".\n"):
                        with self.lock:
                            self.messages.append(b"".join(data).decode("utf-8", "replace"))
                            withhold = len(self.messages) == self.withhold_reply_to
                        if withhold:
                            self.withheld.set()
                            self.closed.wait()
                            return
                        data = None
                        conn.sendall(b"250 OK\r\n")
                    else:
                        data.append(raw)
                    continue
                command = raw[:4].upper()
                if command == b"QUIT":
                    conn.sendall(b"221 Bye\r\n")
                    return
                if command == b"DATA":
                    data = []
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                    conn.sendall(b"250 OK\r\n")
