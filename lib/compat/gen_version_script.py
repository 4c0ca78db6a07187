#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Writes the linker version script of the libbpf.so.1 compatibility build
from libbpf_symbols.txt: one node per libbpf release, each inheriting from
the one before, so every symbol carries the version a program built against
libbpf recorded for it (bpf_object__open_file@LIBBPF_0.0.6, ...). Symbols
the library does not define are ignored by the linker; the symbol test
reports them."""
import sys


def read_nodes(path):
    nodes = []
    for line in open(path):
        line = line.rstrip()
        if not line or line.startswith('#'):
            continue
        if line.endswith(':'):
            nodes.append((line[:-1], []))
        else:
            nodes[-1][1].append(line.strip())
    return nodes


def main():
    src, dst = sys.argv[1], sys.argv[2]
    nodes = read_nodes(src)
    out = ['/* generated from libbpf_symbols.txt */']
    prev = None
    for i, (name, syms) in enumerate(nodes):
        out.append(name + ' {')
        out.append('\tglobal:')
        out += ['\t\t%s;' % s for s in syms]
        if i == 0:
            out.append('\tlocal:')
            out.append('\t\t*;')
        out.append('}%s;' % (' ' + prev if prev else ''))
        out.append('')
        prev = name
    open(dst, 'w').write('\n'.join(out))


if __name__ == '__main__':
    main()
