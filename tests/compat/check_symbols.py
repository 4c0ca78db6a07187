#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The libbpf API level evbpf claims is honest.

Reads upstream libbpf's symbols per version node (lib/compat/libbpf_symbols.txt)
and the level claimed by include/bpf/libbpf_version.h, then checks with
`nm -D` of the built libraries that:

  * libevbpf.so exports every symbol of every node up to the claimed level;
  * the claim is the newest such level (a complete newer node means the
    header under-claims);
  * the libbpf.so.1 compatibility build has soname libbpf.so.1 and exports
    each of those symbols under its own node, as a program linked against
    libbpf recorded it.

Claiming a newer level is the one-line change of libbpf_version.h; this
test then says which symbols are still missing.
"""
import argparse
import os
import re
import subprocess
import sys


def node_version(name):
    return tuple(int(x) for x in name[len('LIBBPF_'):].split('.'))


def claimed_version(header):
    text = open(header).read()
    major = int(re.search(r'#define LIBBPF_MAJOR_VERSION (\d+)', text).group(1))
    minor = int(re.search(r'#define LIBBPF_MINOR_VERSION (\d+)', text).group(1))
    return (major, minor)


def dynamic_symbols(lib):
    """name -> version node ('' when unversioned) of defined dynamic symbols"""
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name, _, ver = parts[2].partition('@')
        syms[name] = ver.lstrip('@')
    return syms


def soname(lib):
    out = subprocess.run(['readelf', '-d', lib], check=True,
                         capture_output=True, text=True).stdout
    m = re.search(r'\(SONAME\)\s+Library soname: \[([^\]]+)\]', out)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--symbols', required=True)
    ap.add_argument('--header', required=True)
    ap.add_argument('--lib', required=True)
    ap.add_argument('--compat', required=True)
    args = ap.parse_args()

    # the list's reader is the one the compatibility build uses
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.symbols)))
    from gen_version_script import read_nodes
    nodes = read_nodes(args.symbols)
    claim = claimed_version(args.header)
    lib = dynamic_symbols(args.lib)
    compat = dynamic_symbols(args.compat)
    failures = []

    newest_complete = None
    for name, syms in nodes:
        missing = [s for s in syms if s not in lib]
        if missing:
            break
        newest_complete = node_version(name)[:2]

    print('claimed libbpf API level: %d.%d' % claim)
    print('newest complete node: %s' %
          ('%d.%d' % newest_complete if newest_complete else 'none'))
    for name, syms in nodes:
        v = node_version(name)[:2]
        missing = [s for s in syms if s not in lib]
        state = 'complete' if not missing else 'missing %d: %s' % (
            len(missing), ' '.join(missing))
        print('  %-14s %s' % (name, state))
        if v <= claim and missing:
            failures.append('%s is claimed but libevbpf.so lacks %s' %
                            (name, ', '.join(missing)))
    if newest_complete and newest_complete > claim:
        failures.append('every symbol up to %d.%d is there but only %d.%d is '
                        'claimed' % (newest_complete + claim))

    if soname(args.compat) != 'libbpf.so.1':
        failures.append('compat library soname is %r, not libbpf.so.1' %
                        soname(args.compat))
    for name, syms in nodes:
        for s in syms:
            if s not in lib:
                continue
            if compat.get(s) != name:
                failures.append('compat library exports %s as %r, libbpf as %s'
                                % (s, compat.get(s), name))

    for f in failures:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
