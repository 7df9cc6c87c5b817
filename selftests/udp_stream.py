#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A numbered UDP stream: send it, receive it, say what arrived.

vesp_path.sh and bench/failover.sh send a stream through a tunnel while a
path is cut, and read from the receiver's report how many packets were
lost, whether any came out of order, and when. Only the standard library:
it must start fast under emulation.

  udp_stream.py send DEST PORT --rate PPS --count N [--bind ADDR]
      send N packets at PPS packets a second; packet i carries i (from 0)
      and the sender's clock; prints how many were sent
  udp_stream.py recv ADDR PORT --idle SECONDS [--log FILE] [--ready FILE]
      receive until no packet came for SECONDS after the first one (or
      for 4 x SECONDS before it), then print one line of key=value pairs:
      received, first, last, lost (numbers missing between first and
      last), reordered (packets with a lower number than one before),
      duplicates, longest_gap (most consecutive numbers missing),
      gap_start (the number after which that gap began); with --log, one
      "number arrival_seconds" line per packet; --ready FILE is created
      once the socket is bound
  udp_stream.py summarize LOG
      the same report line for a --log file
"""

import argparse
import socket
import struct
import sys
import time

HEADER = struct.Struct("!Qd")
PAYLOAD_LEN = 64


def cmd_send(args):
    family = socket.AF_INET6 if ":" in args.dest else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    if args.bind:
        sock.bind((args.bind, 0))
    pad = bytes(PAYLOAD_LEN - HEADER.size)
    interval = 1.0 / args.rate
    start = time.monotonic()
    sent = 0
    for i in range(args.count):
        due = start + i * interval
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        try:
            sock.sendto(HEADER.pack(i, time.monotonic()) + pad,
                        (args.dest, args.port))
            sent += 1
        except OSError:
            # No route or no carrier for a moment: the stream goes on.
            pass
    print(sent)
    return 0


def summarize(numbers):
    """The report of the numbers received, in order of arrival."""
    report = {"received": len(numbers), "first": -1, "last": -1, "lost": 0,
              "reordered": 0, "duplicates": 0, "longest_gap": 0,
              "gap_start": -1}
    if not numbers:
        return report
    seen = set()
    highest = -1
    for n in numbers:
        if n in seen:
            report["duplicates"] += 1
            continue
        seen.add(n)
        if n < highest:
            report["reordered"] += 1
        highest = max(highest, n)
    ordered = sorted(seen)
    report["first"] = ordered[0]
    report["last"] = ordered[-1]
    report["lost"] = ordered[-1] - ordered[0] + 1 - len(ordered)
    for a, b in zip(ordered, ordered[1:]):
        if b - a - 1 > report["longest_gap"]:
            report["longest_gap"] = b - a - 1
            report["gap_start"] = a
    return report


def cmd_recv(args):
    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind((args.addr, args.port))
    if args.ready:
        with open(args.ready, "w", encoding="ascii"):
            pass
    numbers = []
    arrivals = []
    sock.settimeout(4 * args.idle)
    while True:
        try:
            data = sock.recv(2048)
        except socket.timeout:
            break
        if len(data) < HEADER.size:
            continue
        numbers.append(HEADER.unpack_from(data)[0])
        arrivals.append(time.monotonic())
        sock.settimeout(args.idle)
    if args.log:
        with open(args.log, "w", encoding="ascii") as f:
            for n, t in zip(numbers, arrivals):
                f.write(f"{n} {t:.6f}\n")
    print(" ".join(f"{k}={v}" for k, v in summarize(numbers).items()))
    return 0


def cmd_summarize(args):
    numbers = []
    with open(args.log, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if parts:
                numbers.append(int(parts[0]))
    print(" ".join(f"{k}={v}" for k, v in summarize(numbers).items()))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("send", help="send a numbered stream")
    p.add_argument("dest")
    p.add_argument("port", type=int)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--bind")
    p.set_defaults(func=cmd_send)
    p = sub.add_parser("recv", help="receive a numbered stream")
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--idle", type=float, default=2.0)
    p.add_argument("--log")
    p.add_argument("--ready")
    p.set_defaults(func=cmd_recv)
    p = sub.add_parser("summarize", help="report on a receiver's log")
    p.add_argument("log")
    p.set_defaults(func=cmd_summarize)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
