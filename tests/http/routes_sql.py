"""Routes for the SQL tests of HTTP JSON sources (read_http_json, --sources; see
http_test_server.py). Records are deterministic: product(i) for i in 0..TOTAL-1.

  /sql/products?page=P&per_page=S   {"data":[...],"meta":{"total":TOTAL}}, pages from 1;
                                    needs the header X-Api-Key: k-123 (else 401)
  /sql/categories                   a bare array of {"code","label"}; needs
                                    Authorization: Bearer t-456 (else 401)
  /sql/drift                        NDJSON: {"id":1,"v":10}, {"id":2,"v":"ten"}, {"id":3,"v":30}
"""

TOTAL = 25
CATEGORIES = ["tools", "toys", "food"]


def product(i):
    return {
        "id": i + 1,
        "name": f"p{i + 1}",
        "category": CATEGORIES[i % 3],
        "price": f"{(i * 7 % 20) + 0.25 * (i % 4):.2f}",
        "created": f"2024-01-{(i % 28) + 1:02d}T10:{i % 60:02d}:00",
        "active": i % 5 != 0,
    }


def products(request):
    if request.headers.get("X-Api-Key") != "k-123":
        request.send_json(401, {"error": "bad api key"})
        return
    page = int(request.query.get("page", "1"))
    size = int(request.query.get("per_page", "10"))
    start = (page - 1) * size
    data = [product(i) for i in range(start, min(TOTAL, start + size))]
    request.send_json(200, {"data": data, "meta": {"total": TOTAL}})


def categories(request):
    if request.headers.get("Authorization") != "Bearer t-456":
        request.send_json(401, {"error": "bad token"})
        return
    request.send_json(200, [{"code": c, "label": c.upper()} for c in CATEGORIES])


def drift(request):
    body = '{"id":1,"v":10}\n{"id":2,"v":"ten"}\n{"id":3,"v":30}\n'
    request.send(200, body, "application/x-ndjson")


ROUTES = {"/sql/products": products, "/sql/categories": categories, "/sql/drift": drift}
