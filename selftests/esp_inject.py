#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read ESP frames from a pcap file, show them, and send them again.

vesp_esp.sh captures ESP on an underlay link with tcpdump and uses this
to replay a packet, to send it with one bit flipped, or with another SPI.
Only the standard library: it must start fast under emulation.

  esp_inject.py list PCAP
      one line per ESP frame: index, SPI (hex), sequence number, length
  esp_inject.py send IFACE PCAP [--frame N] [--spi SPI] [--flip OFFSET]
                    [--saddr ADDR] [--repeat N]
      send frame N (default: every frame) out of IFACE as captured, with
      the SPI replaced, or with the lowest bit of the byte OFFSET bytes
      after the start of the ESP header flipped (from its end if OFFSET
      is negative: -1 is the last byte of the ICV), or from another outer
      source address (the IPv4 header checksum made right again), all of
      it N times; prints how many frames were sent
"""

import argparse
import socket
import struct
import sys

ETH_HLEN = 14
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
IPPROTO_ESP = 50
LINKTYPE_ETHERNET = 1


def read_pcap(path):
    """Return the frames of a classic pcap file (what tcpdump -w writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError(f"{path}: no pcap header")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a pcap file (pcapng?)")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != LINKTYPE_ETHERNET:
        raise ValueError(f"{path}: link type {linktype}, not Ethernet")
    frames = []
    off = 24
    while off + 16 <= len(data):
        incl_len = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        off += 16
        frames.append(bytearray(data[off:off + incl_len]))
        off += incl_len
    return frames


def esp_offset(frame):
    """Offset of the ESP header in an Ethernet frame, or None."""
    if len(frame) < ETH_HLEN:
        return None
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype == ETH_P_IP and len(frame) >= ETH_HLEN + 20:
        ihl = (frame[ETH_HLEN] & 0x0F) * 4
        proto = frame[ETH_HLEN + 9]
        off = ETH_HLEN + ihl
    elif ethertype == ETH_P_IPV6 and len(frame) >= ETH_HLEN + 40:
        proto = frame[ETH_HLEN + 6]
        off = ETH_HLEN + 40
    else:
        return None
    if proto != IPPROTO_ESP or len(frame) < off + 8:
        return None
    return off


def ipv4_checksum(header):
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) | header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def set_saddr(frame, addr):
    """Give the frame's outer IP header another source address."""
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype == ETH_P_IP:
        ihl = (frame[ETH_HLEN] & 0x0F) * 4
        frame[ETH_HLEN + 12:ETH_HLEN + 16] = socket.inet_pton(socket.AF_INET,
                                                             addr)
        frame[ETH_HLEN + 10:ETH_HLEN + 12] = b"\0\0"
        csum = ipv4_checksum(frame[ETH_HLEN:ETH_HLEN + ihl])
        frame[ETH_HLEN + 10:ETH_HLEN + 12] = struct.pack("!H", csum)
    else:
        frame[ETH_HLEN + 8:ETH_HLEN + 24] = socket.inet_pton(socket.AF_INET6,
                                                            addr)


def esp_frames(path):
    frames = []
    for frame in read_pcap(path):
        off = esp_offset(frame)
        if off is not None:
            frames.append((frame, off))
    return frames


def cmd_list(args):
    for i, (frame, off) in enumerate(esp_frames(args.pcap)):
        spi, seq = struct.unpack("!II", frame[off:off + 8])
        print(f"{i} 0x{spi:08x} {seq} {len(frame) - off}")
    return 0


def cmd_send(args):
    frames = esp_frames(args.pcap)
    if args.frame is not None:
        if args.frame >= len(frames):
            print(f"no ESP frame {args.frame} in {args.pcap} "
                  f"({len(frames)} there)", file=sys.stderr)
            return 1
        frames = [frames[args.frame]]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((args.iface, 0))
    sent = 0
    for frame, off in frames:
        if args.spi is not None:
            frame[off:off + 4] = struct.pack("!I", args.spi)
        if args.flip is not None:
            esp_len = len(frame) - off
            if not -esp_len <= args.flip < esp_len:
                print(f"offset {args.flip} is outside the ESP packet "
                      f"({esp_len} bytes)", file=sys.stderr)
                return 1
            frame[off + args.flip % esp_len] ^= 1
        if args.saddr is not None:
            set_saddr(frame, args.saddr)
        for _ in range(args.repeat):
            sock.send(frame)
            sent += 1
    print(sent)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("list", help="show the ESP frames of a pcap file")
    p.add_argument("pcap")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("send", help="send ESP frames of a pcap file")
    p.add_argument("iface")
    p.add_argument("pcap")
    p.add_argument("--frame", type=int, help="only this frame (from 0)")
    p.add_argument("--spi", type=lambda s: int(s, 0), help="replace the SPI")
    p.add_argument("--flip", type=int,
                   help="flip a bit this many bytes into the ESP packet")
    p.add_argument("--saddr", help="another outer source address")
    p.add_argument("--repeat", type=int, default=1,
                   help="send each frame this many times")
    p.set_defaults(func=cmd_send)
    args = parser.parse_args()
    try:
        return args.func(args)
    except (OSError, ValueError) as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
