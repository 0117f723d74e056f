#!/usr/bin/env python3
"""Writes the SMTP benchmark's prebuilt messages: 100 multipart/alternative messages of about 20 KB, CRLF.

Usage: gen_smtp.py OUT_FOLDER [--messages 100] [--kilobytes 20]

Both `digest-bench smtp` and `peer_smtp.py` send these files in turn, so they put the same bytes on the wire.
"""
import argparse
import email.policy
import os
import random
from email.message import EmailMessage

WORDS = ("stöd bidrag lån innovation export hållbarhet företag utlysning ansökan projekt klimat energi seminarium "
         "digitalisering kompetens landsbygd forskning utveckling samverkan region dalarna").split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--kilobytes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=49)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for index in range(args.messages):
        paragraphs = []
        while sum(len(p) for p in paragraphs) < args.kilobytes * 1000 * 0.42:
            paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + ".")
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
        message["To"] = f"Läsare {index} <reader{index}@example.com>"
        message["Subject"] = f"Vecka 49: {rng.randrange(2, 30)} nya utlysningar"
        message["Message-ID"] = f"<bench.{index}@example.se>"
        message["Date"] = "Tue, 01 Dec 2026 08:00:00 +0100"
        message.set_content("\n\n".join(paragraphs) + "\n.\n")  # a lone dot, to be stuffed on the wire
        message.add_alternative("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>",
                                subtype="html")
        with open(os.path.join(args.out, f"msg-{index:03d}.eml"), "wb") as handle:
            handle.write(message.as_bytes())


if __name__ == "__main__":
    main()
