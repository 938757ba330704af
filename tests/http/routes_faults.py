"""Fault routes for the HTTP client tests (see http_test_server.py for the registration API).

Counters are keyed by a client-given `id`, so each test uses its own id and reads how many
requests the server saw with /count?id=...

  /status?code=404&body=text        a fixed status and body
  /flaky?id=X&failures=N&status=503 the first N requests answer `status`, later ones 200
                                    {"attempt": n}
  /throttle?id=X&seconds=S[&date=1][&times=1]
                                    the first `times` requests answer 429 with Retry-After: S
                                    (or an HTTP-date S seconds ahead with date=1), then 200
  /hang?id=X&ms=M[&times=1]         the first `times` requests wait M ms before answering
  /close_once?id=X                  the first request closes the connection without an answer
  /count?id=X                       {"count": requests seen with that id}
  /cut?length=L&send=S              Content-Length L, S bytes sent, then the connection closes
  /slow?chunks=N&delay_ms=D&size=B[&first_delay_ms=F]
                                    a chunked body of N chunks of B bytes, D ms apart (and
                                    before the first one, or F ms there)
  /redirect?to=URL[&status=302]     a redirect to URL
  /loop                             a redirect to itself (endless)
  /echo                             {"headers": {...}, "client_port", "connection_id", "path"}
  /large?id=X&bytes=N[&chunk=65536] a chunked body of N bytes, byte k = k % 251; the bytes
                                    written so far are readable at /progress?id=X
  /progress?id=X                    {"sent": bytes of /large written to the socket so far}
"""

import email.utils
import time

PATTERN = bytes(range(251)) * (1 + (1 << 20) // 251 + 1)


def write_chunk(request, data):
    request.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
    request.wfile.flush()


def end_chunks(request):
    request.wfile.write(b"0\r\n\r\n")
    request.wfile.flush()


def start_chunked(request, status=200, content_type="application/octet-stream"):
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Transfer-Encoding", "chunked")
    request.end_headers()
    request.wfile.flush()


def status(request):
    request.send(int(request.query.get("code", "200")), request.query.get("body", ""), "text/plain")


def flaky(request):
    n = request.count(request.query["id"])
    if n <= int(request.query.get("failures", "1")):
        request.send(int(request.query.get("status", "503")), f"failure {n}", "text/plain")
    else:
        request.send_json(200, {"attempt": n})


def throttle(request):
    n = request.count(request.query["id"])
    seconds = int(request.query.get("seconds", "1"))
    if n <= int(request.query.get("times", "1")):
        if request.query.get("date") == "1":
            value = email.utils.formatdate(time.time() + seconds, usegmt=True)
        else:
            value = str(seconds)
        request.send(429, "slow down", "text/plain", {"Retry-After": value})
    else:
        request.send_json(200, {"attempt": n})


def hang(request):
    n = request.count(request.query["id"])
    if n <= int(request.query.get("times", "1")):
        time.sleep(int(request.query.get("ms", "1000")) / 1000.0)
    request.send_json(200, {"attempt": n})


def close_once(request):
    n = request.count(request.query["id"])
    if n == 1:
        request.close_connection = True
        return
    request.send_json(200, {"attempt": n})


def count(request):
    with request.lock:
        value = request.state.get(request.query["id"], 0)
    request.send_json(200, {"count": value})


def cut(request):
    length = int(request.query.get("length", "1000"))
    sent = int(request.query.get("send", "300"))
    request.send_response(200)
    request.send_header("Content-Type", "application/octet-stream")
    request.send_header("Content-Length", str(length))
    request.end_headers()
    request.wfile.write(PATTERN[:sent])
    request.wfile.flush()
    request.close_connection = True


def slow(request):
    chunks = int(request.query.get("chunks", "5"))
    delay = int(request.query.get("delay_ms", "100")) / 1000.0
    size = int(request.query.get("size", "10"))
    first_delay = int(request.query.get("first_delay_ms", "-1")) / 1000.0
    start_chunked(request)
    for i in range(chunks):
        time.sleep(first_delay if i == 0 and first_delay >= 0 else delay)
        write_chunk(request, PATTERN[i * size % 251:][:size])
    end_chunks(request)


def redirect(request):
    code = int(request.query.get("status", "302"))
    request.send(code, "", "text/plain", {"Location": request.query["to"]})


def loop(request):
    request.send(302, "", "text/plain", {"Location": "/loop"})


def echo(request):
    request.send_json(200, {
        "headers": {name.lower(): value for name, value in request.headers.items()},
        "client_port": request.client_port,
        "connection_id": request.connection_id,
        "path": request.path,
    })


def large(request):
    key = "sent:" + request.query["id"]
    total = int(request.query["bytes"])
    chunk = int(request.query.get("chunk", "65536"))
    start_chunked(request)
    offset = 0
    while offset < total:
        n = min(chunk, total - offset)
        write_chunk(request, PATTERN[offset % 251:offset % 251 + n])
        offset += n
        with request.lock:
            request.state[key] = offset
    end_chunks(request)


def progress(request):
    with request.lock:
        value = request.state.get("sent:" + request.query["id"], 0)
    request.send_json(200, {"sent": value})


ROUTES = {
    "/status": status,
    "/flaky": flaky,
    "/throttle": throttle,
    "/hang": hang,
    "/close_once": close_once,
    "/count": count,
    "/cut": cut,
    "/slow": slow,
    "/redirect": redirect,
    "/loop": loop,
    "/echo": echo,
    "/large": large,
    "/progress": progress,
}
