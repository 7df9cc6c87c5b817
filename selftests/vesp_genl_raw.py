#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A raw client of the "vesp" generic netlink family, for selftests.

It sends exactly the request written on its command line, malformed or
not, and prints what the kernel answers: the errno and the extended ACK
(message and the attribute it points at), or the replies attribute by
attribute. Only the standard library: it runs wherever Python does.

Usage: vesp_genl_raw.py [OPTIONS] CMD [ATTR ...]
       vesp_genl_raw.py --batch < REQUESTS

With --batch, each line of standard input is one request (options, CMD
and ATTRs as shell words), all sent on one socket, and only the result
line of each is printed: many checks for the price of one process.

CMD is a command name (dev_get, peer_new, sa_get, ...) or number.
Each ATTR is one attribute of the current nest:

  NAME[:TYPE]=VALUE   NAME is a name of the nest's attributes or #NUMBER;
                      TYPE (u8 u16 u32 u64 str strz bin flag) overrides
                      the known one, to send a wrong length
  NAME[:TYPE]         a flag (or an attribute without payload)
  NAME{ ... }         a nest; "}" alone closes it. NAME!{ leaves out
                      NLA_F_NESTED.

VALUE: a number (0x.. allowed), a name where one fits (inet, inet6, in,
out, aes-gcm, chacha20-poly1305, aes-cbc-hmac-sha256, null-hmac-sha256,
soft, hard, seq), @IFNAME for the ifindex of a device, an IPv4/IPv6
address or 0x<hex> for binary, text for strings.

Options:
  --dump            NLM_F_DUMP
  --replace         NLM_F_REPLACE
  --flags N         more nlmsg_flags bits
  --quiet           do not print replies
  --forbid HEX      fail (exit 3) if these bytes, or any 8 of them in a
                    row, appear in a reply: in any attribute at any depth
                    or anywhere in the message (repeatable)

Output: replies as "PATH=VALUE" lines (nests as dotted paths, numbers in
decimal, binary in hex), each message ended by "--"; then one last line:
"ok", "done N" after a dump of N messages, or on failure
'ENAME "extack message" @path.of.attribute' (the @ part only when the
kernel pointed at an attribute; "missing=TYPE" when it named a missing
one). Exit status: 0 ok, 1 the kernel refused, 2 usage or socket error,
3 forbidden bytes found.
"""

import errno
import os
import shlex
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLM_F_REQUEST = 0x01
NLM_F_ACK = 0x04
NLM_F_REPLACE = 0x100
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSG_ERROR = 2
NLMSG_DONE = 3

NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

VESP_GENL_NAME = "vesp"
VESP_GENL_VERSION = 1

COMMANDS = {
    "dev_get": 1, "dev_set": 2, "peer_new": 3, "peer_del": 4,
    "peer_get": 5, "path_new": 6, "path_del": 7, "sa_new": 8,
    "sa_set": 9, "sa_del": 10, "sa_get": 11, "stats_get": 12,
    "peer_set": 15,
}

# Attribute sets from uapi/linux/vesp.h: name -> (type, kind, nested set).
STATS_NAMES = [
    "rx_unknown_spi", "rx_replay", "rx_auth_fail", "rx_bad_padding",
    "rx_bad_length", "rx_bad_next_header", "rx_policy", "rx_sa_expired",
    "tx_no_peer", "tx_no_sa", "tx_no_path", "tx_seq_exhausted",
    "tx_too_big", "tx_bad_protocol", "crypto_error",
]
SETS = {
    "top": {
        "ifindex": (1, "u32", None), "ifname": (2, "strz", None),
        "fwmark": (3, "u32", None), "peer_count": (4, "u32", None),
        "peer": (5, "nest", "peer"), "stats": (6, "nest", "stats"),
        "pad": (7, "bin", None), "flags": (8, "u32", None),
    },
    "peer": {
        "id": (1, "u32", None), "prefix": (2, "nest", "prefix"),
        "path": (3, "nest", "path"), "sa": (4, "nest", "sa"),
        "pad": (5, "bin", None), "liveness_interval": (6, "u32", None),
        "liveness_multiplier": (7, "u8", None),
        "hold_down": (8, "u32", None), "roaming": (9, "u8", None),
        "path_switches": (10, "u32", None),
    },
    "prefix": {
        "family": (1, "u16", None), "addr": (2, "bin", None),
        "len": (3, "u8", None),
    },
    "path": {
        "id": (1, "u32", None), "family": (2, "u16", None),
        "local": (3, "bin", None), "remote": (4, "bin", None),
        "priority": (5, "u32", None), "active": (6, "flag", None),
        "state": (7, "u8", None), "last_rx": (8, "u32", None),
        "heard_by_peer": (9, "flag", None), "probes_sent": (10, "u64", None),
        "probes_received": (11, "u64", None),
        "state_changes": (12, "u32", None), "pad": (13, "bin", None),
        "event": (14, "u8", None), "previous_id": (15, "u32", None),
        "previous_remote": (16, "bin", None),
    },
    "sa": {
        "spi": (1, "u32", None), "dir": (2, "u8", None),
        "alg": (3, "u32", None), "enc_key": (4, "bin", None),
        "auth_key": (5, "bin", None), "esn": (6, "flag", None),
        "replay_window": (7, "u32", None), "active": (8, "flag", None),
        "soft_bytes": (9, "u64", None), "hard_bytes": (10, "u64", None),
        "soft_packets": (11, "u64", None),
        "hard_packets": (12, "u64", None),
        "soft_seconds": (13, "u32", None),
        "hard_seconds": (14, "u32", None), "seq": (15, "u64", None),
        "packets": (16, "u64", None), "bytes": (17, "u64", None),
        "age": (18, "u32", None), "expire_reason": (19, "u8", None),
        "pad": (20, "bin", None),
    },
    "stats": dict((name, (i + 1, "u64", None))
                  for i, name in enumerate(STATS_NAMES)),
}
SETS["stats"]["pad"] = (16, "bin", None)

VALUE_NAMES = {
    "inet": socket.AF_INET, "inet6": socket.AF_INET6,
    "in": 1, "out": 2,
    "aes-gcm": 1, "chacha20-poly1305": 2, "aes-cbc-hmac-sha256": 3,
    "null-hmac-sha256": 4,
    "soft": 1, "hard": 2, "seq": 3,
}

# errno names where two share a number: the one the kernel code uses.
ERRNO_NAMES = dict(errno.errorcode)
ERRNO_NAMES[errno.EOPNOTSUPP] = "EOPNOTSUPP"

INT_FORMATS = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}


class UsageError(Exception):
    pass


def align(n):
    return (n + 3) & ~3


def pack_attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (align(len(payload)) - len(payload))


def number(text):
    if text in VALUE_NAMES:
        return VALUE_NAMES[text]
    if text.startswith("@"):
        return socket.if_nametoindex(text[1:])
    return int(text, 0)


def binary(text):
    if text.startswith("0x"):
        return bytes.fromhex(text[2:])
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_pton(family, text)
        except OSError:
            pass
    return text.encode()


def encode_value(kind, value):
    if kind in INT_FORMATS:
        return struct.pack(INT_FORMATS[kind], number(value))
    if kind == "str":
        return value.encode()
    if kind == "strz":
        return value.encode() + b"\0"
    if kind == "bin":
        return binary(value)
    if kind == "flag":
        return b""
    raise UsageError("unknown type %r" % kind)


def lookup(attr_set, name):
    """(type, kind, nested set) of NAME in ATTR_SET, or of #NUMBER."""
    if name.startswith("#"):
        return int(name[1:], 0), "bin", None
    if name not in SETS[attr_set]:
        raise UsageError("no attribute %r in the %s set" % (name, attr_set))
    return SETS[attr_set][name]


class Builder:
    """Builds nested attributes from words, noting where each one starts."""

    def __init__(self, words):
        self.words = list(words)
        self.pos = 0
        self.where = []  # (offset in the payload, dotted path)

    def build(self, attr_set, path, base):
        out = b""
        while self.pos < len(self.words):
            word = self.words[self.pos]
            self.pos += 1
            if word == "}":
                if attr_set == "top":
                    raise UsageError("unbalanced }")
                return out
            offset = base + len(out)
            if word.endswith("{"):
                name = word[:-1]
                nested_flag = NLA_F_NESTED
                if name.endswith("!"):
                    name, nested_flag = name[:-1], 0
                atype, _, nested = lookup(attr_set, name)
                full = path + [name]
                self.where.append((offset, ".".join(full)))
                inner = self.build(nested or attr_set, full, offset + 4)
                out += pack_attr(atype | nested_flag, inner)
                continue
            name, _, value = word.partition("=")
            name, _, kind = name.partition(":")
            atype, known_kind, _ = lookup(attr_set, name)
            kind = kind or known_kind
            if not value and "=" not in word:
                kind = "flag" if not kind or known_kind == "flag" else kind
            self.where.append((offset, ".".join(path + [name])))
            out += pack_attr(atype, encode_value(kind, value))
        if attr_set != "top":
            raise UsageError("missing }")
        return out


def parse_attrs(data):
    """(type, flags, payload) of each attribute in DATA."""
    attrs = []
    pos = 0
    while pos + 4 <= len(data):
        length, atype = struct.unpack_from("=HH", data, pos)
        if length < 4 or pos + length > len(data):
            break
        attrs.append((atype & NLA_TYPE_MASK, atype & ~NLA_TYPE_MASK,
                      data[pos + 4:pos + length]))
        pos += align(length)
    return attrs


def describe(attr_set, data, path, lines):
    names = dict((v[0], (k, v[1], v[2]))
                 for k, v in SETS.get(attr_set, {}).items())
    for atype, flags, payload in parse_attrs(data):
        name, kind, nested = names.get(atype, ("#%d" % atype, "bin", None))
        full = path + [name]
        if kind == "nest" or flags & NLA_F_NESTED:
            describe(nested, payload, full, lines)
            continue
        if kind in INT_FORMATS and \
                len(payload) == struct.calcsize(INT_FORMATS[kind]):
            text = str(struct.unpack(INT_FORMATS[kind], payload)[0])
        elif kind == "strz":
            text = payload.rstrip(b"\0").decode(errors="replace")
        elif kind == "flag" and not payload:
            text = "true"
        else:
            text = payload.hex()
        lines.append("%s=%s" % (".".join(full), text))


def all_payloads(attr_set, data):
    """Every attribute's payload, at any depth."""
    names = dict((v[0], v[2]) for v in SETS.get(attr_set, {}).values())
    for atype, flags, payload in parse_attrs(data):
        yield payload
        nested = names.get(atype)
        if nested or flags & NLA_F_NESTED:
            yield from all_payloads(nested, payload)


def forbidden_in(needle, haystack):
    """Is NEEDLE, or any 8 of its bytes in a row, within HAYSTACK?"""
    if len(needle) <= 8:
        return needle in haystack
    return any(needle[i:i + 8] in haystack
               for i in range(len(needle) - 7))


class Socket:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def send(self, family, flags, cmd, version, payload):
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + 4 + len(payload), family, flags,
                          self.seq, 0)
        msg += struct.pack("=BBH", cmd, version, 0) + payload
        self.sock.send(msg)
        return msg

    def messages(self):
        """Yields (type, flags, payload) of replies to the last request."""
        while True:
            data = self.sock.recv(1 << 20)
            pos = 0
            while pos + 16 <= len(data):
                length, mtype, flags, seq, _ = struct.unpack_from(
                    "=IHHII", data, pos)
                if length < 16:
                    return
                if seq == self.seq:
                    yield mtype, flags, data[pos + 16:pos + length]
                pos += align(length)


def parse_error(flags, payload, done=False):
    """errno, extack message, offset, missing type of an NLMSG_ERROR, or
    with DONE of an NLMSG_DONE, which carries no copy of the request."""
    err = -struct.unpack_from("=i", payload)[0]
    msg, offs, missing = None, None, None
    if flags & NLM_F_ACK_TLVS:
        if done:
            skip = 4
        else:
            orig_len = struct.unpack_from("=I", payload, 4)[0]
            skip = 4 + (16 if flags & NLM_F_CAPPED else align(orig_len))
        for atype, _, data in parse_attrs(payload[skip:]):
            if atype == NLMSGERR_ATTR_MSG:
                msg = data.rstrip(b"\0").decode(errors="replace")
            elif atype == NLMSGERR_ATTR_OFFS:
                offs = struct.unpack("=I", data)[0]
            elif atype == NLMSGERR_ATTR_MISS_TYPE:
                missing = struct.unpack("=I", data)[0]
    return err, msg, offs, missing


def resolve_family(sock):
    payload = pack_attr(CTRL_ATTR_FAMILY_NAME, VESP_GENL_NAME.encode() + b"\0")
    sock.send(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 1,
              payload)
    family = None
    for mtype, flags, data in sock.messages():
        if mtype == NLMSG_ERROR:
            err = parse_error(flags, data)[0]
            if err:
                raise OSError(err, "the vesp family: " + os.strerror(err))
            return family
        for atype, _, value in parse_attrs(data[4:]):
            if atype == CTRL_ATTR_FAMILY_ID:
                family = struct.unpack("=H", value)[0]
    return family


def parse_options(args):
    """Options off the front of ARGS: (flags, quiet, forbidden bytes)."""
    flags = NLM_F_REQUEST | NLM_F_ACK
    quiet = False
    forbid = []
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--dump":
            flags = (flags | NLM_F_DUMP) & ~NLM_F_ACK
        elif opt == "--replace":
            flags |= NLM_F_REPLACE
        elif opt == "--flags":
            flags |= int(args.pop(0), 0)
        elif opt == "--quiet":
            quiet = True
        elif opt == "--forbid":
            forbid.append(bytes.fromhex(args.pop(0)))
        else:
            raise UsageError("unknown option " + opt)
    return flags, quiet, forbid


def request(sock, family, args, out):
    """Sends one request; writes replies (unless quiet) and the result line
    to OUT. Returns the exit status."""
    flags, quiet, forbid = parse_options(args)
    if not args:
        raise UsageError("no command")
    cmd = args.pop(0)
    cmd = COMMANDS[cmd] if cmd in COMMANDS else int(cmd, 0)

    builder = Builder(args)
    # Attributes start after nlmsghdr (16) and genlmsghdr (4).
    payload = builder.build("top", [], 20)
    sock.send(family, flags, cmd, VESP_GENL_VERSION, payload)

    count = 0
    found = set()
    for mtype, mflags, data in sock.messages():
        if mtype == NLMSG_ERROR:
            err, msg, offs, missing = parse_error(mflags, data)
            if not err:
                out.append("ok")
                break
            where = ""
            if offs is not None:
                paths = [p for o, p in builder.where if o == offs]
                where = " @" + (paths[0] if paths else "offset=%d" % offs)
            if missing is not None:
                where += " missing=%d" % missing
            out.append('%s "%s"%s' % (ERRNO_NAMES.get(err, str(err)),
                                      msg or "", where))
            return 1
        if mtype == NLMSG_DONE:
            err = -struct.unpack_from("=i", data)[0]
            if err:
                _, msg, _, _ = parse_error(mflags, data, done=True)
                out.append('%s "%s"' % (ERRNO_NAMES.get(err, str(err)),
                                        msg or ""))
                return 1
            out.append("done %d" % count)
            break
        count += 1
        body = data[4:]
        for needle in forbid:
            if forbidden_in(needle, data) or \
                    any(forbidden_in(needle, p)
                        for p in all_payloads("top", body)):
                found.add(needle.hex())
        if not quiet:
            describe("top", body, [], out)
            out.append("--")
    if found:
        out.append("forbidden bytes in a reply: " + " ".join(sorted(found)))
        return 3
    return 0


def main(argv):
    sock = Socket()
    family = resolve_family(sock)
    if argv != ["--batch"]:
        out = []
        status = request(sock, family, list(argv), out)
        print("\n".join(out))
        return status
    # One request a line, shell words; only the result line of each.
    status = 0
    for line in sys.stdin:
        out = []
        try:
            # shlex is slow on a request with thousands of words.
            words = shlex.split(line) if "'" in line or '"' in line \
                else line.split()
            ret = request(sock, family, ["--quiet"] + words, out)
        except (UsageError, ValueError, KeyError, OSError) as e:
            out, ret = ["usage: %s" % e], 2
        print(out[-1] if out else "")
        status = status or ret
    return status


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as e:
        print("vesp_genl_raw.py: %s" % e, file=sys.stderr)
        sys.exit(2)
    except OSError as e:
        print("vesp_genl_raw.py: %s" % e, file=sys.stderr)
        sys.exit(2)
