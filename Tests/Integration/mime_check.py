#!/usr/bin/env python3
"""Parse a rendered .eml with Python's email package and print a JSON summary.

Usage: mime_check.py MESSAGE.eml

The summary holds the decoded Subject, From display name and address, To, the header names in order, the content
types of all parts in order, the decoded text and HTML bodies (CRLF shown as LF), attachments (filename, content type, size and the
decoded text of text/* parts), the longest line in octets (without CRLF), whether every line ends in CRLF, and the
defects Python found with policy.default and policy.SMTP.
"""
import json
import sys
from email import policy
from email.parser import BytesParser


def defects_of(message):
    found = []
    for part in message.walk():
        found += [type(d).__name__ for d in part.defects]
        for value in part.values():
            found += [type(d).__name__ for d in getattr(value, "defects", [])]
    return found


def main():
    if len(sys.argv) != 2:
        print("usage: mime_check.py MESSAGE.eml", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as handle:
        raw = handle.read()

    message = BytesParser(policy=policy.default).parsebytes(raw)
    smtp_message = BytesParser(policy=policy.SMTP).parsebytes(raw)

    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines = lines[:-1]
    all_crlf = raw.endswith(b"\r\n") and all(line.endswith(b"\r") for line in lines) and b"\r" not in raw.replace(b"\r\n", b"")
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    header_lines = header_block.split(b"\r\n")

    def address_list(header):
        value = message[header]
        if value is None:
            return []
        return [{"name": a.display_name, "address": a.addr_spec} for a in value.addresses]

    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    attachments = []
    for part in message.iter_attachments():
        entry = {
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "disposition": part.get_content_disposition(),
            "params": dict(part["content-type"].params),
        }
        payload = part.get_payload(decode=True) or b""
        entry["size"] = len(payload)
        if part.get_content_maintype() == "text":
            entry["text"] = payload.decode("utf-8", "replace")
        attachments.append(entry)

    summary = {
        "subject": str(message["subject"]) if message["subject"] is not None else None,
        "from": address_list("from"),
        "to": address_list("to"),
        "reply_to": address_list("reply-to"),
        "message_id": str(message["message-id"]),
        "date": str(message["date"]),
        "date_parsed": message["date"].datetime.isoformat() if message["date"] is not None and message["date"].datetime else None,
        "header_names": list(message.keys()),
        "headers": {k.lower(): str(v) for k, v in message.items()},
        "content_types": [part.get_content_type() for part in message.walk()],
        "text": text_part.get_content().replace("\r\n", "\n") if text_part is not None else None,
        "html": html_part.get_content().replace("\r\n", "\n") if html_part is not None else None,
        "attachments": attachments,
        "max_line_length": max((len(line.rstrip(b"\r")) for line in lines), default=0),
        "max_header_line_length": max((len(line) for line in header_lines), default=0),
        "all_crlf": all_crlf,
        "ascii_only": all(byte < 128 for byte in raw),
        "defects": defects_of(message),
        "smtp_defects": defects_of(smtp_message),
        "smtp_subject": str(smtp_message["subject"]) if smtp_message["subject"] is not None else None,
    }
    json.dump(summary, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
