"""How the loopback test servers (smtp_server.py, http_server.py) end: never outliving the test that started them."""
import os
import signal
import sys
import threading


def exit_with_parent():
    """Exit on SIGTERM even if it was ignored by the parent, and when stdin closes (the test process is gone)."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    if not sys.stdin.isatty():
        threading.Thread(target=watch, daemon=True).start()
