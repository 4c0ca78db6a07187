#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Build step behind the meson helper (tools/bpf-skel/meson.build): compiles
one BPF C file with clang and writes its skeleton with evbpf-gen.

usage: evbpf-bpf-skel CLANG EVBPF_GEN INPUT.bpf.c OUT.bpf.o OUT.skel.h [CFLAGS...]
       evbpf-bpf-skel --version

The skeleton is named after OUT.skel.h ("foo.skel.h" -> struct foo, foo__open()).
Set EVBPF_STRIP to an llvm-strip to drop DWARF from the embedded object.
"""

import os
import subprocess
import sys

# The build writes the project version here (tools/meson.build).
VERSION = '@EVBPF_VERSION@'


def main(argv):
    if argv[1:] in (['--version'], ['-V']):
        print('evbpf-bpf-skel %s' % VERSION)
        return 0
    if argv[1:] in (['--help'], ['-h']):
        sys.stdout.write(__doc__)
        return 0
    if len(argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    clang, gen, src, obj, skel = argv[1:6]
    cflags = argv[6:]
    base = os.path.basename(skel)
    if not base.endswith('.skel.h'):
        sys.stderr.write('evbpf-bpf-skel: %s: output must end in .skel.h\n' % skel)
        return 2
    name = base[:-len('.skel.h')].replace('.', '_').replace('-', '_')

    rc = subprocess.call([clang] + cflags + ['-c', src, '-o', obj])
    if rc:
        return rc
    strip = os.environ.get('EVBPF_STRIP')
    if strip:
        rc = subprocess.call([strip, '-g', obj])
        if rc:
            return rc
    tmp = skel + '.tmp'
    with open(tmp, 'wb') as out:
        rc = subprocess.call([gen, 'skeleton', obj, 'name', name], stdout=out)
    if rc:
        os.unlink(tmp)
        return rc
    os.replace(tmp, skel)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
