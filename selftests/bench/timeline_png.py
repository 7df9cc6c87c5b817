#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw a stream's arrivals across a cut as a PNG bar chart.

  timeline_png.py LOG CUT_SECONDS OUT.png [--bin-ms 10] [--before 0.5]
                  [--after 1.5]

LOG holds "number arrival_seconds" lines (udp_stream.py recv --log);
CUT_SECONDS is the moment of the cut on the same clock. Each bar is the
packets that arrived in one bin; a red line marks the cut. Only the
standard library (zlib), since the VM has no plotting package; the text
is left to the caption that uses the picture.
"""

import argparse
import struct
import sys
import zlib

WIDTH_PER_BIN = 4
HEIGHT = 240
MARGIN = 10
WHITE = (255, 255, 255)
BAR = (40, 90, 160)
CUT = (200, 30, 30)
AXIS = (0, 0, 0)
GRID = (220, 220, 220)


def png(width, height, rows):
    """A PNG file (8-bit RGB) of @rows, each a bytearray of width * 3."""
    raw = b"".join(b"\0" + bytes(row) for row in rows)

    def chunk(kind, data):
        body = kind + data
        return (struct.pack("!I", len(data)) + body +
                struct.pack("!I", zlib.crc32(body) & 0xFFFFFFFF))

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log")
    parser.add_argument("cut", type=float)
    parser.add_argument("out")
    parser.add_argument("--bin-ms", type=float, default=10.0)
    parser.add_argument("--before", type=float, default=0.5)
    parser.add_argument("--after", type=float, default=1.5)
    args = parser.parse_args()

    start = args.cut - args.before
    bins = int((args.before + args.after) * 1000 / args.bin_ms)
    counts = [0] * bins
    with open(args.log, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2:
                continue
            i = int((float(parts[1]) - start) * 1000 / args.bin_ms)
            if 0 <= i < bins:
                counts[i] += 1
    top = max(max(counts), 1)
    width = bins * WIDTH_PER_BIN + 2 * MARGIN
    height = HEIGHT + 2 * MARGIN
    rows = [bytearray(WHITE * width) for _ in range(height)]

    def put(x, y, color):
        if 0 <= x < width and 0 <= y < height:
            rows[y][3 * x:3 * x + 3] = bytes(color)

    # Grid lines at each quarter of the highest bin.
    for q in range(1, 4):
        y = MARGIN + HEIGHT - q * HEIGHT // 4
        for x in range(MARGIN, width - MARGIN):
            put(x, y, GRID)
    for i, n in enumerate(counts):
        h = n * HEIGHT // top
        for dx in range(WIDTH_PER_BIN - 1):
            for y in range(MARGIN + HEIGHT - h, MARGIN + HEIGHT):
                put(MARGIN + i * WIDTH_PER_BIN + dx, y, BAR)
    cut_x = MARGIN + int(args.before * 1000 / args.bin_ms) * WIDTH_PER_BIN
    for y in range(MARGIN, MARGIN + HEIGHT):
        put(cut_x, y, CUT)
    for x in range(MARGIN, width - MARGIN):
        put(x, MARGIN + HEIGHT, AXIS)
    with open(args.out, "wb") as f:
        f.write(png(width, height, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
