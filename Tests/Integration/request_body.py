"""Reading a request's body in the loopback test servers (http_server.py, source_server.py)."""


def read_body(handler):
    """The body of the request `handler` (a BaseHTTPRequestHandler) is serving, by Content-Length or chunked;
    empty when there is neither."""
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        body = b""
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return body
            body += handler.rfile.read(size)
            handler.rfile.readline()
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
