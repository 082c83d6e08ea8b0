"""A local HTTP server that answers like Kolada's API v3, started by the test: a route
table of path (with query) -> (status, body bytes, delay in seconds)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def page(values, next_url=None, *, next_key="next_url") -> bytes:
    body = {"count": len(values), next_key: next_url, "previous_url": None, "values": values}
    return json.dumps(body).encode()


def entry(kpi, area, year, total, women=None, men=None, status=None) -> dict:
    cells = [{"gender": "T", "value": total, "count": 1, "status": status}]
    if women is not None:
        cells.append({"gender": "K", "value": women, "count": 1, "status": None})
    if men is not None:
        cells.append({"gender": "M", "value": men, "count": 1, "status": None})
    return {"kpi": kpi, "municipality": area, "period": year, "values": cells}


class KoladaServer:
    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                status, body, delay = server.routes.get(self.path, (404, b'{"error":"x"}', 0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v3"

    def route(self, path: str, body: bytes, status: int = 200, delay: float = 0) -> None:
        self.routes[path] = (status, body, delay)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
