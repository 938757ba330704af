"""Paginated JSON API routes for the HTTP JSON source tests (see http_test_server.py).

Every route serves the same TOTAL deterministic records, record(i) for i in 0..TOTAL-1, in one
pagination style. `chunk=B` sends the body chunked in B-byte pieces (cuts records anywhere);
`total=N` serves N records instead of TOTAL.

  /paged/offset?offset=O&limit=L      {"meta":{"total":N},"data":[...]}   (limit capped at 100)
  /paged/page?page=P&per_page=S       {"items":[...]}                       pages from 1
  /paged/cursor?cursor=C&limit=L      {"paging":{"next":C2|null},"data":[...]}  cursor first;
                                      C is opaque ("k~" + base-36 start + "/=")
  /paged/link?from=F&limit=L          a bare array; Link: <relative next>; rel="next", ...
  /paged/next?from=F&limit=L          {"data":[...],"links":{"next":"relative URL"|null}}
  /paged/ndjson?page=P&per_page=S     NDJSON records, pages from 1
  /paged/fail?mode=M&id=X&page=P&per_page=S
                                      page 2 misbehaves, per mode: malformed (the second
                                      record's "score" lacks its colon), flaky (500 twice per id, then 200),
                                      throttle (429 with Retry-After: 1 once per id), cut (the
                                      connection closes mid-body); other pages like /paged/page
  /paged/cross?page=P                 records {"id", "auth": the Authorization header seen or
                                      null}; page 1 links (next_url in "next") to page 2 on
                                      http://localhost:PORT (another origin than 127.0.0.1)
"""

import json

TOTAL = 1000


def record(i):
    return {
        "id": i,
        "name": f"n{i} \"q\" \\ ]}} é",
        "score": (i * 37 % 101) / 4,
        "tags": [f"t{i % 3}", "x"] if i % 2 == 0 else [],
        "nested": {"a": i % 7, "b": None if i % 5 == 0 else "b"},
    }


def total_of(request):
    return int(request.query.get("total", str(TOTAL)))


def records(request, start, count):
    end = min(total_of(request), start + count)
    return [record(i) for i in range(max(0, start), end)]


def send_body(request, body, headers=None, status=200):
    """Sends `body` (str) whole, or chunked in `chunk`-byte pieces when the query asks."""
    chunk = int(request.query.get("chunk", "0"))
    data = body.encode()
    if chunk <= 0:
        request.send(status, data, "application/json", headers)
        return
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Transfer-Encoding", "chunked")
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    for i in range(0, len(data), chunk):
        piece = data[i:i + chunk]
        request.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
    request.wfile.write(b"0\r\n\r\n")
    request.wfile.flush()


def offset(request):
    start = int(request.query.get("offset", "0"))
    limit = min(100, int(request.query.get("limit", "100")))
    send_body(request, json.dumps({"meta": {"total": total_of(request)},
                                   "data": records(request, start, limit)}))


def page_records(request):
    page = int(request.query.get("page", "1"))
    size = int(request.query.get("per_page", "100"))
    return records(request, (page - 1) * size, size)


def page(request):
    send_body(request, json.dumps({"items": page_records(request)}))


def encode_cursor(start):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        text = digits[start % 36] + text
        start //= 36
        if start == 0:
            return "k~" + text + "/="


def decode_cursor(cursor):
    assert cursor.startswith("k~") and cursor.endswith("/="), cursor
    return int(cursor[2:-2], 36)


def cursor(request):
    start = decode_cursor(request.query["cursor"]) if "cursor" in request.query else 0
    limit = int(request.query.get("limit", "100"))
    data = records(request, start, limit)
    end = start + len(data)
    next_cursor = encode_cursor(end) if end < total_of(request) else None
    send_body(request, json.dumps({"paging": {"next": next_cursor}, "data": data}))


def link(request):
    start = int(request.query.get("from", "0"))
    limit = int(request.query.get("limit", "100"))
    data = records(request, start, limit)
    end = start + len(data)
    links = [f'</paged/link?from=0&limit={limit}>; rel="first"']
    if end < total_of(request):
        links.append(f'<link?from={end}&limit={limit}&total={total_of(request)}>; rel="next"')
    links.append('<https://elsewhere.example/last>; rel=last; title="a, b; c"')
    send_body(request, json.dumps(data), {"Link": ", ".join(links)})


def next_url(request):
    start = int(request.query.get("from", "0"))
    limit = int(request.query.get("limit", "100"))
    data = records(request, start, limit)
    end = start + len(data)
    nxt = f"next?from={end}&limit={limit}" if end < total_of(request) else None
    send_body(request, json.dumps({"data": data, "links": {"self": request.path, "next": nxt}}))


def ndjson(request):
    send_body(request, "".join(json.dumps(r) + "\n" for r in page_records(request)))


def fail(request):
    mode = request.query["mode"]
    if int(request.query.get("page", "1")) != 2:
        page(request)
        return
    body = json.dumps({"items": page_records(request)})
    if mode == "malformed":
        # The colon after the second record's "score" goes missing.
        at = body.index('"score":', body.index('"score":') + 1) + len('"score"')
        send_body(request, body[:at] + body[at + 1:])
    elif mode == "flaky":
        n = request.count("flaky:" + request.query["id"])
        if n <= 2:
            request.send(500, f"failure {n}", "text/plain")
        else:
            send_body(request, body)
    elif mode == "throttle":
        n = request.count("throttle:" + request.query["id"])
        if n <= 1:
            request.send(429, "slow down", "text/plain", {"Retry-After": "1"})
        else:
            send_body(request, body)
    elif mode == "cut":
        data = body.encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data[:len(data) // 2])
        request.wfile.flush()
        request.close_connection = True
    else:
        request.send(400, f"unknown mode {mode}", "text/plain")


def cross(request):
    page_number = int(request.query.get("page", "1"))
    auth = request.headers.get("Authorization")
    data = [{"id": page_number * 10 + i, "auth": auth} for i in range(3)]
    port = request.server.server_address[1]
    nxt = f"http://localhost:{port}/paged/cross?page=2" if page_number == 1 else None
    send_body(request, json.dumps({"data": data, "next": nxt}))


ROUTES = {
    "/paged/offset": offset,
    "/paged/page": page,
    "/paged/cursor": cursor,
    "/paged/link": link,
    "/paged/next": next_url,
    "/paged/ndjson": ndjson,
    "/paged/fail": fail,
    "/paged/cross": cross,
}
