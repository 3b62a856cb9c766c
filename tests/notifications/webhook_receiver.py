"""A chat service for the tests: an HTTP server on 127.0.0.1 (an ephemeral port, in a thread) that records
every POST and answers with the statuses it is told to, in order (200 once they run out)."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict
    body: dict
    status: int


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        receiver: Receiver = self.server.receiver
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with receiver.lock:
            if any(self.path.endswith(token) for token in receiver.refusing):
                status = 500
            else:
                status = receiver.answers.popleft() if receiver.answers else 200
            receiver.posts.append(Post(self.path, dict(self.headers), json.loads(raw), status))
        if receiver.delay:
            time.sleep(receiver.delay)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"ok" if status < 300 else b"invalid_token")

    def log_message(self, *args):
        pass


class Receiver:
    """`url(token)`: an address on this receiver; `answer(500, 200)`: the next answers; `refusing`: the tokens
    whose address always answers 500; `posts`: what came."""

    def __init__(self):
        self.posts: list[Post] = []
        self.answers: deque[int] = deque()
        self.refusing: set[str] = set()  # tokens whose address always answers 500
        self.delay = 0.0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.receiver = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, token: str = "T0001/B0001/s3cr3tT0k3n") -> str:
        return f"http://127.0.0.1:{self.port}/services/{token}"

    def answer(self, *statuses: int) -> None:
        self.answers.extend(statuses)

    def bodies(self, token: str) -> list[dict]:
        return [post.body for post in self.posts if post.path.endswith(token)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
