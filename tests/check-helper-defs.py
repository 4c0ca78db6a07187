#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The checked-in include/bpf/bpf_helper_defs.h must declare every helper
that the header regenerated from this machine's UAPI <linux/bpf.h> declares,
under the same id.

usage: check-helper-defs.py CHECKED_IN.h REGENERATED.h
"""

import re
import sys

HELPER_RE = re.compile(r'\(\s*\*\s*const\s+(\w+)\s*\)\(.*\)\s*=\s*\(void\s*\*\)\s*(\d+);')


def helpers(path):
    return {m.group(1): int(m.group(2))
            for m in HELPER_RE.finditer(open(path, encoding='utf-8').read())}


def main(argv):
    have, want = helpers(argv[1]), helpers(argv[2])
    bad = 0
    for name, hid in sorted(want.items(), key=lambda kv: kv[1]):
        if have.get(name) != hid:
            print('%s: %s (id %d) %s' % (argv[1], name, hid,
                  'missing' if name not in have else 'has id %d' % have[name]))
            bad += 1
    print('%d helpers checked in, %d in the UAPI header, %d problems'
          % (len(have), len(want), bad))
    return 1 if bad or not have else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
