#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YAML spec of the vesp netlink family agrees with the code.

Documentation/netlink/specs/vesp.yaml is the single source of truth. Kernel
6.1 has no YNL generator, so uapi/linux/vesp.h and the nla_policy arrays and
genl tables in kmod/*.c are written by hand; this script checks, both ways,
that they say the same as the spec:

  - every command, attribute set (names, numeric values, order), enum,
    flag, constant and multicast group of the spec is in the header with
    the same name and value, and the header has nothing the spec lacks;
  - every attribute's netlink type and limits agree with its policy entry,
    read-only attributes are exactly those the policy rejects, and nests
    point at the policy of the right set;
  - the kernel's genl_ops table has a doit/dumpit exactly where the spec
    has do/dump, with the same permission flags and hooks, and the family
    and multicast groups are registered under the header's names.

Names map mechanically (see the comment at the top of the spec). Values
come from a small C program, compiled with the host's gcc, that includes
the header and prints every name the spec expects; a name missing from the
header fails its compilation and is reported by name.

Output is TAP, one line per group of checks; the exit status is 0 when all
agree, 1 on any mismatch, 4 (kselftest skip) when python3-yaml or a C
compiler is missing.

Usage: check-netlink-spec.py [--spec FILE] [--header FILE] [--kmod DIR]
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
KSFT_SKIP = 4

NLA_TYPES = {
    'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32', 'u64': 'NLA_U64',
    's8': 'NLA_S8', 's16': 'NLA_S16', 's32': 'NLA_S32', 's64': 'NLA_S64',
    'uint': 'NLA_UINT', 'sint': 'NLA_SINT', 'flag': 'NLA_FLAG',
    'binary': 'NLA_BINARY', 'string': 'NLA_NUL_STRING', 'nest': 'NLA_NESTED',
    'indexed-array': 'NLA_NESTED_ARRAY', 'bitfield32': 'NLA_BITFIELD32',
}
INT_BITS = {'u8': 8, 'u16': 16, 'u32': 32, 'u64': 64,
            's8': 8, 's16': 16, 's32': 32, 's64': 64}
OP_FLAGS = {'admin-perm': 'GENL_ADMIN_PERM',
            'uns-admin-perm': 'GENL_UNS_ADMIN_PERM'}
DONT_VALIDATE = {'strict': 'GENL_DONT_VALIDATE_STRICT',
                 'dump': 'GENL_DONT_VALIDATE_DUMP',
                 'dump-strict': 'GENL_DONT_VALIDATE_DUMP_STRICT'}


def show_path(path):
    """A path relative to the repository when inside it, else absolute."""
    path = os.path.abspath(path)
    if os.path.commonpath([path, ROOT]) == ROOT:
        return os.path.relpath(path, ROOT)
    return path


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


# ---- the spec ----

class Spec:
    """The YAML spec, with every C name and value it implies (YNL rules)."""

    def __init__(self, doc):
        self.y = doc
        self.name = doc['name']
        self.errors = []	# problems inside the spec itself
        self.family_define = c_upper(doc.get('c-family-name',
                                             self.name + '-family-name'))
        self.version_define = c_upper(doc.get('c-version-name',
                                              self.name + '-family-version'))
        self.version = doc.get('version', 1)
        self.max_by_define = doc.get('max-by-define', False)
        self.consts = {}	# yaml name -> (C name, value)
        self.enums = {}		# yaml name -> dict
        self.sets = {}		# yaml name -> dict
        for d in doc.get('definitions', []):
            if d['type'] == 'const':
                pfx = d.get('name-prefix', self.name + '-')
                self.consts[d['name']] = (c_upper(pfx + d['name']), d['value'])
            elif d['type'] in ('enum', 'flags'):
                self.enums[d['name']] = self._enum(d)
        for s in doc['attribute-sets']:
            if s['name'] in self.sets:
                self.errors.append(f"attribute set {s['name']} defined twice")
            self.sets[s['name']] = self._attr_set(s)
        self.ops = self._ops(doc['operations'])
        self.mcgrps = [(g['name'], c_upper(g.get(
            'c-define-name', f"{self.name}-mcgrp-{g['name']}")))
            for g in doc.get('mcast-groups', {}).get('list', [])]

    def _tag(self, yaml, default):
        if 'enum-name' in yaml:
            return c_lower(yaml['enum-name']) if yaml['enum-name'] else None
        return c_lower(default)

    def _enum(self, d):
        pfx = d.get('name-prefix', f"{self.name}-{d['name']}-")
        e = {'name': d['name'], 'type': d['type'], 'prefix': c_upper(pfx),
             'tag': self._tag(d, f"{self.name}-{d['name']}"), 'entries': []}
        value = d.get('value-start', 0)
        for ent in d.get('entries', []):
            if isinstance(ent, dict):
                value = ent.get('value', value)
                ename = ent['name']
            else:
                ename = ent
            cval = 1 << value if d['type'] == 'flags' else value
            e['entries'].append((ename, c_upper(pfx + ename), cval))
            value += 1
        e['extra'] = []
        if d.get('render-max'):
            if d['type'] == 'flags':
                mask = 0
                for _, _, v in e['entries']:
                    mask |= v
                # YNL says <prefix>MASK; the hand-written header says ALL.
                e['extra'].append((c_upper(pfx + 'all'), mask))
            else:
                cnt = c_upper(d.get('enum-cnt-name', '__' + pfx + 'max'))
                last = e['entries'][-1][2] if e['entries'] else -1
                e['extra'].append((cnt, last + 1))
                e['extra'].append((c_upper(pfx + 'max'), last))
        values = [v for _, _, v in e['entries']]
        e['range'] = (min(values), max(values)) if values else None
        return e

    def _attr_set(self, s):
        if 'name-prefix' in s:
            pfx = s['name-prefix']
        elif s['name'] == self.name:
            pfx = self.name + '-a-'
        else:
            pfx = f"{self.name}-a-{s['name']}-"
        a = {'name': s['name'], 'prefix': c_upper(pfx),
             'tag': self._tag(s, f"{self.name}-{s['name']}-attrs"),
             'max': c_upper(s.get('attr-max-name', pfx + 'max')),
             'cnt': c_upper(s.get('attr-cnt-name', '__' + pfx + 'max')),
             'attrs': {}, 'order': []}
        value = 1
        for attr in s['attributes']:
            value = attr.get('value', value)
            if attr['name'] in a['attrs']:
                self.errors.append(
                    f"attribute {attr['name']} twice in set {s['name']}")
            a['attrs'][attr['name']] = dict(attr, cname=c_upper(
                pfx + attr['name']), cval=value)
            a['order'].append(attr['name'])
            value += 1
        a['count'] = value
        return a

    def _ops(self, o):
        pfx = o.get('name-prefix', self.name + '-cmd-')
        ops = {'prefix': c_upper(pfx),
               'tag': self._tag(o, f"{self.name}-cmd"),
               'max': c_upper(self.y.get('cmd-max-name', pfx + 'max')),
               'cnt': c_upper(self.y.get('cmd-cnt-name', '__' + pfx + 'max')),
               'list': []}
        if o.get('enum-model', 'unified') != 'unified':
            self.errors.append('only the unified enum-model is supported')
        value = 1
        names = set()
        for op in o['list']:
            value = op.get('value', value)
            if op['name'] in names:
                self.errors.append(f"operation {op['name']} defined twice")
            names.add(op['name'])
            ops['list'].append(dict(op, cname=c_upper(pfx + op['name']),
                                    cval=value))
            value += 1
        ops['count'] = value
        return ops

    def op(self, name):
        for op in self.ops['list']:
            if op['name'] == name:
                return op
        return None

    def limit(self, value, attr_type=None):
        """A check's value: an integer, a const's name, or u8-max style."""
        if isinstance(value, int):
            return value
        if value in self.consts and isinstance(self.consts[value][1], int):
            return self.consts[value][1]
        m = re.fullmatch(r'([us])(8|16|32|64)-(min|max)', str(value))
        if m:
            bits = int(m.group(2))
            if m.group(1) == 'u':
                return 0 if m.group(3) == 'min' else (1 << bits) - 1
            return -(1 << (bits - 1)) if m.group(3) == 'min' \
                else (1 << (bits - 1)) - 1
        raise ValueError(f"cannot resolve limit {value!r}")


# ---- the header ----

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'),
                  text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


class Header:
    """Enums and defines of a uapi header, parsed loosely."""

    def __init__(self, text):
        text = strip_comments(text)
        self.enums = {}		# tag (None: anonymous, numbered) -> [names]
        anon = 0
        for m in re.finditer(r'\benum\s+(\w+)?\s*\{(.*?)\}\s*;', text, re.S):
            tag = m.group(1)
            if tag is None:
                anon += 1
                tag = f'<anonymous enum #{anon}>'
            names = []
            for item in m.group(2).split(','):
                item = item.strip()
                if item:
                    names.append(re.match(r'\w+', item).group(0))
            self.enums[tag] = names
        self.defines = {}
        for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)(.*)$', text,
                             re.M):
            self.defines[m.group(1)] = m.group(2).strip()
        guard = re.search(r'#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+\1\b',
                          text)
        self.guard = guard.group(1) if guard else None


class CEval:
    """Evaluates C expressions by compiling and running a program."""

    PRELUDE = r'''
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include "%s"
static void pint(int i, long long v) { printf("%%d\ti\t%%lld\n", i, v); }
static void pstr(int i, const char *v) { printf("%%d\ts\t%%s\n", i, v); }
#define V(i, x) _Generic((x), char *: pstr, const char *: pstr, \
			  default: pint)(i, x)
int main(void)
{
'''

    def __init__(self, cc, header):
        self.cc = cc
        self.header = os.path.abspath(header)

    def run(self, exprs):
        """Returns ({expr: value}, {expr: compiler message}) ."""
        pending = list(dict.fromkeys(exprs))
        failed = {}
        with tempfile.TemporaryDirectory(prefix='nlspec.') as tmp:
            src = os.path.join(tmp, 'eval.c')
            exe = os.path.join(tmp, 'eval')
            for _ in range(5):
                prelude = self.PRELUDE % self.header.replace('\\', '\\\\')
                first = prelude.count('\n') + 1
                body = ''.join(f'\tV({i}, ({e}));\n'
                               for i, e in enumerate(pending))
                with open(src, 'w') as f:
                    f.write(prelude + body + '\treturn 0;\n}\n')
                res = subprocess.run([self.cc, '-std=gnu11', '-o', exe, src],
                                     capture_output=True, text=True,
                                     env=dict(os.environ, LC_ALL='C'))
                if res.returncode == 0:
                    break
                bad = {}
                for m in re.finditer(r'eval\.c:(\d+):\d+: error: (.*)',
                                     res.stderr):
                    idx = int(m.group(1)) - first
                    if 0 <= idx < len(pending):
                        bad.setdefault(pending[idx], m.group(2))
                if not bad:
                    raise RuntimeError('cannot compile the evaluator:\n' +
                                       res.stderr)
                failed.update(bad)
                pending = [e for e in pending if e not in bad]
            else:
                raise RuntimeError('the evaluator keeps failing:\n' +
                                   res.stderr)
            out = subprocess.run([exe], capture_output=True, text=True,
                                 check=True).stdout
        values = {}
        for line in out.splitlines():
            i, kind, v = line.split('\t', 2)
            values[pending[int(i)]] = int(v) if kind == 'i' else v
        return values, failed


# ---- the kernel sources ----

def split_args(text):
    """Splits a macro's arguments at top-level commas."""
    args, depth, cur = [], 0, ''
    for ch in text:
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        if ch == ',' and depth == 0:
            args.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


def parse_policy_entry(text):
    """One policy initializer -> {'type', 'min', 'max', 'min-len', ...}."""
    text = text.strip().rstrip(',').strip()
    p = {}
    if text.startswith('{'):
        m = re.search(r'\.type\s*=\s*(\w+)', text)
        p['type'] = m.group(1) if m else 'NLA_UNSPEC'
        m = re.search(r'\.len\s*=\s*([^,}]+)', text)
        if m:
            if p['type'] in ('NLA_BINARY', 'NLA_NUL_STRING', 'NLA_STRING'):
                p['max-len'] = m.group(1).strip()
            else:
                p['len'] = m.group(1).strip()
        return p
    m = re.fullmatch(r'(NLA_POLICY_\w+)\s*\((.*)\)', text, re.S)
    if not m:
        return {'type': '?', 'unparsed': text}
    macro, args = m.group(1), split_args(m.group(2))
    if macro == 'NLA_POLICY_MIN':
        p = {'type': args[0], 'min': args[1]}
    elif macro == 'NLA_POLICY_MAX':
        p = {'type': args[0], 'max': args[1]}
    elif macro == 'NLA_POLICY_RANGE':
        p = {'type': args[0], 'min': args[1], 'max': args[2]}
    elif macro == 'NLA_POLICY_MASK':
        p = {'type': args[0], 'mask': args[1]}
    elif macro == 'NLA_POLICY_NESTED':
        p = {'type': 'NLA_NESTED', 'nested': args[0]}
    elif macro == 'NLA_POLICY_NESTED_ARRAY':
        p = {'type': 'NLA_NESTED_ARRAY', 'nested': args[0]}
    elif macro == 'NLA_POLICY_EXACT_LEN':
        p = {'type': 'NLA_BINARY', 'min-len': args[0], 'max-len': args[0]}
    elif macro == 'NLA_POLICY_MIN_LEN':
        p = {'type': 'NLA_BINARY', 'min-len': args[0]}
    elif macro == 'NLA_POLICY_MAX_LEN':
        p = {'type': 'NLA_BINARY', 'max-len': args[0]}
    else:
        p = {'type': '?', 'unparsed': text}
    return p


class Kernel:
    """nla_policy arrays, genl_ops, the family and its groups in kmod/*.c."""

    def __init__(self, kmod_dir):
        self.policies = {}	# array name -> {'size', 'file', 'entries'}
        self.ops = {}		# VESP_CMD_X -> {'doit', 'dumpit', ...}
        self.ops_file = None
        self.family = {}
        self.mcgrps = []
        for path in sorted(glob.glob(os.path.join(kmod_dir, '*.c'))):
            with open(path) as f:
                text = strip_comments(f.read())
            rel = show_path(path)
            for m in re.finditer(
                    r'struct\s+nla_policy\s+(\w+)\s*\[\s*(\w+)\s*\+\s*1\s*\]'
                    r'\s*=\s*\{(.*?)\n\}\s*;', text, re.S):
                body = m.group(3)
                starts = list(re.finditer(r'\[\s*(\w+)\s*\]\s*=', body))
                entries = {}
                for i, s in enumerate(starts):
                    end = starts[i + 1].start() if i + 1 < len(starts) \
                        else len(body)
                    entries[s.group(1)] = parse_policy_entry(
                        body[s.end():end])
                self.policies[m.group(1)] = {'size': m.group(2), 'file': rel,
                                             'entries': entries}
            m = re.search(r'struct\s+genl_ops\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)'
                          r'\n\}\s*;', text, re.S)
            if m:
                self.ops_file = rel
                parts = re.split(r'\.cmd\s*=\s*', m.group(1))[1:]
                for part in parts:
                    cmd = re.match(r'\w+', part).group(0)
                    op = {}
                    for key in ('doit', 'dumpit', 'start', 'done'):
                        km = re.search(r'\.' + key + r'\s*=\s*(\w+)', part)
                        if km:
                            op[key] = km.group(1)
                    fm = re.search(r'\.flags\s*=\s*([^,}]+)', part)
                    op['flags'] = set(re.findall(r'GENL_\w+', fm.group(1))) \
                        if fm else set()
                    self.ops[cmd] = op
            m = re.search(r'struct\s+genl_family\s+\w+[^;=]*=\s*\{(.*?)\n\}'
                          r'\s*;', text, re.S)
            if m:
                for fm in re.finditer(r'\.(\w+)\s*=\s*([^,\n]+),', m.group(1)):
                    self.family[fm.group(1)] = fm.group(2).strip()
            m = re.search(r'struct\s+genl_multicast_group\s+\w+\s*\[\s*\]'
                          r'\s*=\s*\{(.*?)\}\s*;', text, re.S)
            if m:
                self.mcgrps = re.findall(r'\.name\s*=\s*(\w+)', m.group(1))


# ---- the checks ----

class Checker:
    def __init__(self, spec, header, kernel, cev):
        self.spec, self.h, self.k, self.cev = spec, header, kernel, cev
        self.results = []	# (ok, title, [messages])
        self.claimed_enums = set()
        self.claimed_defines = set()
        self.values = {}
        self.missing = {}
        self.reported = set()	# names already found missing from an enum

    def result(self, title, errors, notes=()):
        self.results.append((not errors, title, list(errors), list(notes)))

    def evaluate_names(self):
        """Value of every C name the spec implies; the missing ones noted."""
        s = self.spec
        want = [s.family_define, s.version_define]
        want += [c for c, _ in s.consts.values()]
        for e in s.enums.values():
            want += [c for _, c, _ in e['entries']]
            want += [c for c, _ in e['extra']]
        for a in s.sets.values():
            want += [x['cname'] for x in a['attrs'].values()]
            want += [a['cnt']] + ([a['max']] if s.max_by_define else [])
        want += [op['cname'] for op in s.ops['list']]
        want += [s.ops['cnt']] + ([s.ops['max']] if s.max_by_define else [])
        want += [d for _, d in s.mcgrps]
        self.values, self.missing = self.cev.run(want)

    def value_errors(self, pairs, reported=()):
        """[(C name, expected value)] -> messages for names off or missing.

        Names in `reported` were already found missing by name: not again.
        """
        errs = []
        for cname, want in pairs:
            if cname in reported:
                continue
            if cname in self.missing:
                errs.append(f"{cname}: in the spec, not in the header "
                            f"({self.missing[cname]})")
            elif self.values.get(cname) != want:
                errs.append(f"{cname}: {self.values.get(cname)!r} in the "
                            f"header, {want!r} in the spec")
        return errs

    def enum_names_errors(self, tag, expected):
        """Both ways: the header's enum `tag` has exactly `expected`."""
        self.claimed_enums.add(tag)
        if tag not in self.h.enums:
            return [f"enum {tag}: in the spec, not in the header"]
        have = self.h.enums[tag]
        errs = [f"{n}: in the spec, not in enum {tag} of the header"
                for n in expected if n not in have]
        self.reported |= {n for n in expected if n not in have}
        errs += [f"{n}: in enum {tag} of the header, not in the spec"
                 for n in have if n not in expected]
        return errs

    def check_family(self):
        s, errs = self.spec, []
        if s.y.get('protocol') != 'genetlink-legacy':
            errs.append('protocol is not genetlink-legacy')
        errs += self.value_errors([(s.family_define, s.name),
                                   (s.version_define, s.version)])
        self.claimed_defines |= {s.family_define, s.version_define}
        errs += [f'spec: {e}' for e in s.errors]
        self.result(f'family "{s.name}" version {s.version} '
                    f'({s.family_define}, {s.version_define})', errs)

    def check_consts(self):
        pairs = list(self.spec.consts.values())
        self.claimed_defines |= {c for c, _ in pairs}
        self.result('constants (' + ', '.join(c for c, _ in pairs) + ')',
                    self.value_errors(pairs))

    def check_enums(self):
        for e in self.spec.enums.values():
            pairs = [(c, v) for _, c, v in e['entries']] + e['extra']
            errs = self.enum_names_errors(e['tag'], [c for c, _ in pairs])
            errs += self.value_errors(pairs, self.reported)
            self.result(f"{e['type']} {e['name']} (enum {e['tag']})", errs)

    def check_attr_sets(self):
        s = self.spec
        for a in s.sets.values():
            pairs = [(x['cname'], x['cval']) for x in a['attrs'].values()]
            pairs.append((a['cnt'], a['count']))
            errs = self.enum_names_errors(a['tag'], [c for c, _ in pairs])
            if s.max_by_define:
                pairs.append((a['max'], a['count'] - 1))
                self.claimed_defines.add(a['max'])
            errs += self.value_errors(pairs, self.reported)
            self.result(f"attribute set {a['name']} (enum {a['tag']}, "
                        f"{len(a['attrs'])} attributes)", errs)

    def check_commands(self):
        s, o = self.spec, self.spec.ops
        pairs = [(op['cname'], op['cval']) for op in o['list']]
        pairs.append((o['cnt'], o['count']))
        errs = self.enum_names_errors(o['tag'], [c for c, _ in pairs])
        if s.max_by_define:
            pairs.append((o['max'], o['count'] - 1))
            self.claimed_defines.add(o['max'])
        errs += self.value_errors(pairs, self.reported)
        self.result(f"commands (enum {o['tag']}, {len(o['list'])} entries)",
                    errs)

    def check_mcgrps(self):
        s, errs = self.spec, []
        errs += self.value_errors([(d, g) for g, d in s.mcgrps])
        defines = {d for _, d in s.mcgrps}
        self.claimed_defines |= defines
        pfx = c_upper(s.name + '-mcgrp-')
        extra = [d for d in self.h.defines if d.startswith(pfx)
                 and d not in defines]
        errs += [f"{d}: in the header, not in the spec's mcast-groups"
                 for d in extra]
        self.claimed_defines |= set(extra)	# reported here, not again
        registered = set(self.k.mcgrps)
        errs += [f"{d}: in the spec, not registered by the kernel's "
                 f"genl_multicast_group array" for d in defines
                 if d not in registered]
        errs += [f"{d}: registered by the kernel, not in the spec"
                 for d in registered if d not in defines]
        self.result('multicast groups (' + ', '.join(g for g, _ in s.mcgrps)
                    + ')', errs)

    def check_header_rest(self):
        errs = [f"enum {t}: in the header, not in the spec"
                for t in self.h.enums if t not in self.claimed_enums]
        errs += [f"#define {d}: in the header, not in the spec"
                 for d in self.h.defines
                 if d not in self.claimed_defines and d != self.h.guard]
        self.result('the header has nothing the spec lacks', errs)

    def check_references(self):
        s, errs = self.spec, []
        for a in s.sets.values():
            for x in a['attrs'].values():
                where = f"{a['name']}/{x['name']}"
                n = x.get('nested-attributes')
                if n is not None and n not in s.sets:
                    errs.append(f"{where}: nested set {n} does not exist")
                if x['type'] in ('nest', 'indexed-array') and n is None:
                    errs.append(f"{where}: a nest without nested-attributes")
                if 'enum' in x and x['enum'] not in s.enums:
                    errs.append(f"{where}: enum {x['enum']} does not exist")
                checks = x.get('checks', {})
                if 'flags-mask' in checks and \
                        s.enums.get(checks['flags-mask'], {}).get('type') \
                        != 'flags':
                    errs.append(f"{where}: flags-mask {checks['flags-mask']} "
                                "is not a flags definition")
                for key in ('min', 'max', 'min-len', 'max-len', 'exact-len'):
                    if key in checks:
                        try:
                            s.limit(checks[key])
                        except ValueError as e:
                            errs.append(f"{where}: {e}")
        groups = {g for g, _ in s.mcgrps}
        for op in s.ops['list']:
            aset = s.sets.get(op.get('attribute-set'))
            if op.get('attribute-set') and not aset:
                errs.append(f"{op['name']}: attribute set "
                            f"{op['attribute-set']} does not exist")
            lists = [(f"{m} {r}", op[m][r]['attributes'])
                     for m in ('do', 'dump') if m in op
                     for r in ('request', 'reply')
                     if r in op[m] and 'attributes' in op[m][r]]
            if 'event' in op:
                lists.append(('event', op['event'].get('attributes', [])))
            for what, attrs in lists:
                for name in attrs:
                    if not aset or name not in aset['attrs']:
                        errs.append(f"{op['name']} {what}: no attribute "
                                    f"{name} in its set")
            if 'notify' in op:
                other = s.op(op['notify'])
                if not other or 'reply' not in other.get('do', {}):
                    errs.append(f"{op['name']}: notify names {op['notify']},"
                                " which has no do reply")
            if ('notify' in op or 'event' in op) != ('mcgrp' in op):
                errs.append(f"{op['name']}: a notification needs an mcgrp, "
                            "and only a notification has one")
            if 'mcgrp' in op and op['mcgrp'] not in groups:
                errs.append(f"{op['name']}: no multicast group "
                            f"{op['mcgrp']}")
        self.result('spec references (nests, enums, limits, op attributes, '
                    'notifications)', errs)

    # -- policies --

    def policy_for_set(self):
        by_max = {a['max']: a['name'] for a in self.spec.sets.values()}
        mapping, errs = {}, []
        for pname, pol in self.k.policies.items():
            sname = by_max.get(pol['size'])
            if sname is None:
                errs.append(f"{pol['file']}: policy {pname} is sized by "
                            f"{pol['size']}, the max of no attribute set")
            else:
                mapping.setdefault(sname, []).append(pname)
        return mapping, errs

    def check_policies(self):
        s, k = self.spec, self.k
        mapping, stray = self.policy_for_set()
        set_of_policy = {p: sn for sn, ps in mapping.items() for p in ps}
        exprs = []
        for pol in k.policies.values():
            for ent in pol['entries'].values():
                exprs += [ent[key] for key in ('min', 'max', 'mask', 'min-len',
                                               'max-len')
                          if key in ent]
        values, failed = self.cev.run(exprs) if exprs else ({}, {})

        # Attributes that a request can carry: reachable from the op
        # request lists through nests that the policies do not reject.
        rejected = set()
        for sname, pnames in mapping.items():
            for pname in pnames:
                for cname, ent in k.policies[pname]['entries'].items():
                    if ent['type'] == 'NLA_REJECT':
                        rejected.add((sname, cname))
        accepted_sets = set()
        todo = [op['attribute-set'] for op in s.ops['list']
                if 'do' in op or 'dump' in op]
        while todo:
            sname = todo.pop()
            if sname in accepted_sets or sname not in s.sets:
                continue
            accepted_sets.add(sname)
            for x in s.sets[sname]['attrs'].values():
                if x.get('nested-attributes') and \
                        (sname, x['cname']) not in rejected:
                    todo.append(x['nested-attributes'])

        first = True
        for a in s.sets.values():
            pnames = mapping.get(a['name'], [])
            if not pnames:
                if a['name'] in accepted_sets:
                    self.result(f"policy of set {a['name']}", [
                        f"set {a['name']} is accepted in requests but no "
                        f"nla_policy array is sized by {a['max']}"])
                else:
                    self.result(f"policy of set {a['name']}: none, never "
                                "accepted on input", [])
                continue
            for pname in pnames:
                pol = k.policies[pname]
                errs, notes = [], []
                if first:
                    errs += stray
                    first = False
                self.check_policy(a, pol, values, failed, set_of_policy,
                                  errs, notes)
                self.result(f"policy of set {a['name']} ({pname}, "
                            f"{pol['file']})", errs, notes)

    def check_policy(self, a, pol, values, failed, set_of_policy, errs,
                     notes):
        s = self.spec
        by_cname = {x['cname']: x for x in a['attrs'].values()}
        entries = pol['entries']
        for cname in entries:
            if cname not in by_cname:
                errs.append(f"[{cname}]: in the policy, not in set "
                            f"{a['name']} of the spec")

        def val(expr):
            if expr in failed:
                notes.append(f"cannot evaluate {expr!r}: {failed[expr]}")
                return None
            return values.get(expr)

        requested = set()
        for op in s.ops['list']:
            if op.get('attribute-set') == a['name']:
                for m in ('do', 'dump'):
                    requested |= set(op.get(m, {}).get('request', {})
                                     .get('attributes', []))
        for x in a['attrs'].values():
            where = f"{a['name']}/{x['name']} [{x['cname']}]"
            ent = entries.get(x['cname'])
            read_only = x.get('doc', '').startswith('Read-only')
            if x['type'] in ('unused', 'pad'):
                if ent and ent['type'] != 'NLA_REJECT':
                    errs.append(f"{where}: {x['type']} in the spec, but the "
                                f"policy accepts it as {ent['type']}")
                continue
            if ent is None:
                errs.append(f"{where}: in the spec, no policy entry (strict "
                            "validation would reject it)")
                continue
            if ent['type'] == '?':
                errs.append(f"{where}: cannot parse the policy entry "
                            f"{ent['unparsed']!r}")
                continue
            if ent['type'] == 'NLA_REJECT':
                if not read_only:
                    errs.append(f"{where}: the policy rejects it, but its doc"
                                " does not start with 'Read-only'")
                if x['name'] in requested:
                    errs.append(f"{where}: rejected by the policy but listed "
                                "in a request")
                continue
            if read_only:
                errs.append(f"{where}: documented Read-only, but the policy "
                            f"accepts it ({ent['type']})")
            want_type = NLA_TYPES.get(x['type'])
            checks = x.get('checks', {})
            if x['type'] == 'string' and checks.get('unterminated-ok'):
                want_type = 'NLA_STRING'
            if ent['type'] != want_type:
                errs.append(f"{where}: type {x['type']} ({want_type}) in the "
                            f"spec, {ent['type']} in the policy")
                continue
            if 'nested' in ent:
                got = set_of_policy.get(ent['nested'])
                if got != x.get('nested-attributes'):
                    errs.append(f"{where}: nests set "
                                f"{x.get('nested-attributes')} in the spec, "
                                f"policy {ent['nested']} (set {got}) in the "
                                "kernel")
            # Limits, normalized: an unsigned min of 0 and a max equal to
            # the type's maximum are no limit at all.
            # (Unresolvable names are reported by check_references.)
            want = {}
            for key in ('min', 'max', 'min-len', 'max-len', 'exact-len'):
                try:
                    if key in checks:
                        want[key] = s.limit(checks[key])
                except ValueError:
                    pass
            if 'exact-len' in want:
                want['min-len'] = want['max-len'] = want.pop('exact-len')
            enum = s.enums.get(x.get('enum'))
            if enum and enum['range'] and not x.get('enum-as-flags') and \
                    'min' not in want and 'max' not in want:
                want['min'], want['max'] = enum['range']
            if 'flags-mask' in checks and checks['flags-mask'] in s.enums:
                want['mask'] = sum(v for _, _, v in
                                   s.enums[checks['flags-mask']]['entries'])
            have = {}
            for key in ('min', 'max', 'mask', 'min-len', 'max-len'):
                if key in ent:
                    v = val(ent[key])
                    if v is None:
                        want.pop(key, None)
                        continue
                    have[key] = v
            bits = INT_BITS.get(x['type'])
            for d in (want, have):
                if bits and x['type'].startswith('u'):
                    if d.get('min') == 0:
                        del d['min']
                    if d.get('max') == (1 << bits) - 1:
                        del d['max']
                if d.get('min-len') == 0:
                    del d['min-len']
            for key in sorted(set(want) | set(have)):
                if want.get(key) != have.get(key):
                    errs.append(f"{where}: {key} {want.get(key, 'none')} in "
                                f"the spec, {have.get(key, 'none')} in the "
                                f"policy")

    # -- genl_ops and the family --

    def check_kernel_ops(self):
        s, k, errs = self.spec, self.k, []
        if not k.ops:
            self.result('kernel genl_ops table', ['no genl_ops array found'])
            return
        fam = k.family
        known = set()
        for op in s.ops['list']:
            c = op['cname']
            if 'do' not in op and 'dump' not in op:
                if c in k.ops:
                    errs.append(f"{c}: a notification or placeholder in the "
                                "spec, but the kernel handles it")
                continue
            known.add(c)
            kop = k.ops.get(c)
            if kop is None:
                errs.append(f"{c}: in the spec, not in the kernel's genl_ops")
                continue
            for mode, key in (('do', 'doit'), ('dump', 'dumpit')):
                if (mode in op) != (key in kop):
                    where = 'in' if mode in op else 'not in'
                    how = 'set' if key in kop else 'unset'
                    errs.append(f"{c}: {mode} {where} the spec, .{key} {how} "
                                "in the kernel")
            want = {OP_FLAGS[f] for f in op.get('flags', [])}
            want |= {DONT_VALIDATE[f] for f in op.get('dont-validate', [])}
            if want != kop['flags']:
                errs.append(f"{c}: flags {sorted(want) or 'none'} in the spec,"
                            f" {sorted(kop['flags']) or 'none'} in the kernel")
            if 'dump' in op:
                for hook, key in (('pre', 'start'), ('post', 'done')):
                    want_fn = op['dump'].get(hook)
                    want_fn = c_lower(want_fn) if want_fn else None
                    if want_fn != kop.get(key):
                        errs.append(f"{c}: dump {hook} {want_fn} in the spec,"
                                    f" .{key} {kop.get(key)} in the kernel")
            if 'do' in op:
                # 6.1 has no per-op pre/post_doit: the family's apply.
                for hook, key in (('pre', 'pre_doit'), ('post', 'post_doit')):
                    want_fn = op['do'].get(hook)
                    want_fn = c_lower(want_fn) if want_fn else None
                    if want_fn != fam.get(key):
                        errs.append(f"{c}: do {hook} {want_fn} in the spec, "
                                    f"family .{key} {fam.get(key)} in the "
                                    "kernel")
        for c in k.ops:
            if c not in known and c not in {o['cname'] for o in s.ops['list']}:
                errs.append(f"{c}: in the kernel's genl_ops, not in the spec")
        top = s.sets.get(s.name)
        for key, want in (('name', s.family_define),
                          ('version', s.version_define),
                          ('maxattr', top['max'] if top else None)):
            if fam.get(key) != want:
                errs.append(f"family .{key} = {fam.get(key)}, the spec implies"
                            f" {want}")
        if s.y.get('kernel-policy') == 'global':
            pol = fam.get('policy')
            if pol not in k.policies or top is None or \
                    k.policies[pol]['size'] != top['max']:
                errs.append(f"family .policy = {pol}: not the policy of set "
                            f"{s.name}, as kernel-policy: global says")
        # Every command must be validated strictly.
        resv = fam.get('resv_start_op')
        if resv is None:
            errs.append('family .resv_start_op unset: commands would be '
                        'validated leniently')
        else:
            got, bad = self.cev.run([resv])
            if resv in bad:
                errs.append(f".resv_start_op = {resv}: {bad[resv]}")
            elif got[resv] < s.ops['count']:
                errs.append(f".resv_start_op = {resv} = {got[resv]}: commands "
                            f"from there to {s.ops['count'] - 1} would be "
                            "validated leniently")
        self.result(f"kernel operations ({k.ops_file}: genl_ops, family, "
                    "strict validation)", errs)

    def run(self):
        self.evaluate_names()
        self.check_family()
        self.check_consts()
        self.check_enums()
        self.check_attr_sets()
        self.check_commands()
        self.check_mcgrps()
        self.check_header_rest()
        self.check_references()
        self.check_policies()
        self.check_kernel_ops()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=os.path.join(
        ROOT, 'Documentation/netlink/specs/vesp.yaml'))
    ap.add_argument('--header', default=os.path.join(
        ROOT, 'uapi/linux/vesp.h'))
    ap.add_argument('--kmod', default=os.path.join(ROOT, 'kmod'),
                    help='directory whose *.c hold the policies and genl_ops')
    ap.add_argument('--cc', default=os.environ.get('CC', 'gcc'))
    args = ap.parse_args()

    print('TAP version 13')
    try:
        import yaml
    except ImportError:
        print('1..0 # SKIP python3-yaml is not installed')
        return KSFT_SKIP
    if not shutil.which(args.cc):
        print(f'1..0 # SKIP no C compiler ({args.cc})')
        return KSFT_SKIP

    try:
        with open(args.spec) as f:
            spec = Spec(yaml.safe_load(f))
        with open(args.header) as f:
            header = Header(f.read())
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError,
            ValueError) as e:
        msg = ' '.join(str(e).split())
        print(f'Bail out! cannot read the spec or the header: '
              f'{type(e).__name__}: {msg}')
        return 1
    checker = Checker(spec, header, Kernel(args.kmod),
                      CEval(args.cc, args.header))
    print(f'# spec {show_path(args.spec)}, header {show_path(args.header)},'
          f' kernel {show_path(args.kmod)}/*.c')
    checker.run()

    failed = 0
    for n, (ok, title, errs, notes) in enumerate(checker.results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {title}")
        for e in errs:
            print(f'#   {e}')
        for e in notes:
            print(f'#   note: {e}')
        failed += not ok
    print(f'1..{len(checker.results)}')
    if failed:
        print(f'# {failed} of {len(checker.results)} checks found mismatches')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
