#!/usr/bin/env python3
"""Verify every DKIM-Signature of a message with dkimpy, answering DNS from the command line.

Usage: dkim_verify.py MESSAGE.eml SELECTOR DOMAIN RECORD [SELECTOR DOMAIN RECORD ...]

RECORD is the TXT record text, e.g. "v=DKIM1; k=ed25519; p=...". The records are served through dkimpy's dnsfunc
hook for SELECTOR._domainkey.DOMAIN., so no network is used. Prints JSON {"signatures": n, "results": [bool, ...]}
and exits 0 when there is at least one signature and all verify, 1 otherwise; exits 3 with a line starting with
"SKIP:" when dkimpy (or PyNaCl, needed for ed25519) cannot be imported.
"""
import json
import sys

try:
    import dkim
    import nacl.signing  # noqa: F401  (dkimpy needs it for ed25519-sha256)
except ImportError as error:
    print(f"SKIP: {error}; install with `pip install dkimpy pynacl`")
    sys.exit(3)


def main():
    if len(sys.argv) < 5 or (len(sys.argv) - 2) % 3 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as handle:
        message = handle.read()
    records = {}
    rest = sys.argv[2:]
    for index in range(0, len(rest), 3):
        selector, domain, record = rest[index:index + 3]
        records[f"{selector}._domainkey.{domain}.".lower()] = record.encode()

    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        if not key.endswith("."):
            key += "."
        return records.get(key.lower())

    verifier = dkim.DKIM(message)
    count = sum(1 for line in message.split(b"\r\n\r\n", 1)[0].split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
    results = []
    errors = []
    for index in range(count):
        try:
            results.append(bool(verifier.verify(idx=index, dnsfunc=dnsfunc)))
        except Exception as error:  # report, don't crash
            results.append(False)
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"signatures": count, "results": results, "errors": errors}))
    return 0 if count > 0 and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
