#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks that the code in the guides is the code the suite builds and runs.

usage: check-docs.py SOURCE_ROOT GUIDE.md...

A fenced block right after `<!-- code: PATH -->` must appear verbatim, as
consecutive lines, in PATH (relative to SOURCE_ROOT), which is an example or
script the test suite builds and runs. Each guide must have such a block.
"""

import os
import re
import sys

BLOCK_RE = re.compile(r'<!-- code: (\S+) -->\n```\w*\n(.*?)\n```', re.S)


def main(argv):
    root, guides = argv[1], argv[2:]
    problems = 0
    for guide in guides:
        text = open(guide, encoding='utf-8').read()
        blocks = BLOCK_RE.findall(text)
        if not blocks:
            print('%s: no code block taken from a built example' % guide)
            problems += 1
        for path, code in blocks:
            full = os.path.join(root, path)
            if not os.path.exists(full):
                print('%s: %s does not exist' % (guide, path))
                problems += 1
                continue
            src = open(full, encoding='utf-8').read().split('\n')
            want = code.split('\n')
            if not any(src[i:i + len(want)] == want for i in range(len(src) - len(want) + 1)):
                print('%s: a block differs from %s (starting "%s")'
                      % (guide, path, want[0].strip()))
                problems += 1
        print('%s: %d code blocks' % (os.path.basename(guide), len(blocks)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
