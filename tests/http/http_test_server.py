"""A loopback HTTP/1.1 server for Quiver's HTTP client and HTTP JSON source tests.

Usage: python3 http_test_server.py
  Binds 127.0.0.1 on a free port, prints the port on the first line of stdout (then flushes),
  serves until its stdin is closed (the test that started it exits or closes the pipe), then
  exits. Python standard library only.

Routes are pluggable. The server imports every module named routes_*.py next to this file;
each module defines

    ROUTES = {"/path": handler, ...}

and `handler(request)` answers a GET of that path (the query string is not part of the key).
`request` is the http.server.BaseHTTPRequestHandler of the request, with extras:

    request.query             dict: query parameter -> first value (strings)
    request.route_path        the path without the query string
    request.state             one dict shared by every request of the server (use request.lock)
    request.lock              a threading.Lock guarding request.state
    request.count(key)        increments the counter `key` in state and returns its new value
    request.connection_id     1, 2, ... per accepted TCP connection (keep-alive reuse is visible)
    request.client_port       the client's TCP port
    request.send(status, body, content_type="application/json", headers=None)
                              sends a complete answer with Content-Length (keeps the connection)
    request.send_json(status, value, headers=None)
                              the same with json.dumps(value)

A handler may also write a raw answer itself (send_response/send_header/end_headers and
self.wfile), e.g. to send a chunked body, stall or cut the connection; after a cut it sets
request.close_connection = True. Handlers raise nothing on a client that went away: the server
ignores BrokenPipeError/ConnectionResetError.

Built-in route: /routes lists the registered paths (a JSON array).
"""

import glob
import importlib.util
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


def load_routes():
    routes = {}
    for path in sorted(glob.glob(os.path.join(HERE, "routes_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for route, handler in getattr(module, "ROUTES", {}).items():
            if route in routes:
                raise SystemExit(f"route {route} registered twice (second in {path})")
            routes[route] = handler
    return routes


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1
            self.connection_id = self.server.connections
        self.client_port = self.client_address[1]

    def log_message(self, format, *args):  # quiet
        pass

    @property
    def state(self):
        return self.server.state

    @property
    def lock(self):
        return self.server.lock

    def count(self, key):
        with self.server.lock:
            value = self.server.state.get(key, 0) + 1
            self.server.state[key] = value
            return value

    def send(self, status, body, content_type="application/json", headers=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status, value, headers=None):
        self.send(status, json.dumps(value), "application/json", headers)

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)
        self.route_path = parsed.path
        self.query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        try:
            if self.route_path == "/routes":
                self.send_json(200, sorted(self.server.routes))
                return
            handler = self.server.routes.get(self.route_path)
            if handler is None:
                self.send_json(404, {"error": f"no route {self.route_path}"})
                return
            handler(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = routes
        self.state = {}
        self.lock = threading.Lock()
        self.connections = 0

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    server = Server(load_routes())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # returns at EOF: the test closed our stdin or exited
    server.shutdown()


if __name__ == "__main__":
    main()
