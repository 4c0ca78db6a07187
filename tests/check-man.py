#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks evbpf's manual pages.

usage: check-man.py --pages PAGE... --headers HEADER|DIR...

Fails when an evbpf_* function declared (LIBBPF_API) in a header has no
section 3 page, when a page renders with any groff warning
(`groff -man -ww`), when a `.so` link names a missing page, when a
generated page has no description, or when a libbpf symbol of the headers
is missing from evbpf-libbpf(7).
"""

import argparse
import os
import re
import subprocess
import sys

DECL_RE = re.compile(r'\b(?:LIBBPF|EVBPF)_API\b[^;{(]*?(\w+)\s*\(')


def declared(headers):
    names = set()
    for h in headers:
        text = re.sub(r'/\*.*?\*/', ' ', open(h, encoding='utf-8').read(), flags=re.S)
        text = re.sub(r'^[ \t]*#[^\n]*', ' ', text, flags=re.M)
        text = re.sub(r'\bLIBBPF_DEPRECATED\s*\([^)]*\)', ' ', text)
        names.update(DECL_RE.findall(text))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pages', nargs='+', required=True)
    ap.add_argument('--headers', nargs='+', required=True)
    args = ap.parse_args()
    headers = []
    for h in args.headers:
        if os.path.isdir(h):
            headers += sorted(os.path.join(h, f) for f in os.listdir(h) if f.endswith('.h'))
        else:
            headers.append(h)
    args.headers = headers
    problems = []
    by_name = {os.path.basename(p): p for p in args.pages}

    for page in args.pages:
        text = open(page, encoding='utf-8').read()
        m = re.match(r'\.so\s+(\S+)', text)
        if m:
            if os.path.basename(m.group(1)) not in by_name:
                problems.append('%s: .so names a missing page %s' % (page, m.group(1)))
            continue
        r = subprocess.run(['groff', '-man', '-ww', '-Tutf8', '-z', page],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if r.returncode or r.stderr.strip():
            problems.append('%s: groff: %s' % (page, r.stderr.strip() or 'exit %d' % r.returncode))
        if 'No description.' in text or ' \\- undocumented' in text:
            problems.append('%s: the header comment is missing' % page)

    evbpf_headers = [h for h in args.headers if '/evbpf/' in h]
    funcs = declared(args.headers)
    for f in sorted(n for n in funcs if n.startswith('evbpf_')):
        if f + '.3' not in by_name:
            problems.append('no manual page for %s' % f)
    if not any(n.startswith('evbpf_') for n in declared(evbpf_headers)):
        problems.append('no evbpf_* function found in the headers given')

    libbpf = by_name.get('evbpf-libbpf.7')
    if not libbpf:
        problems.append('no evbpf-libbpf.7')
    else:
        listed = set(re.findall(r'^\.BR (\w+) [,.]$', open(libbpf, encoding='utf-8').read(), re.M))
        for s in sorted(n for n in funcs if not n.startswith('evbpf_')):
            if s not in listed:
                problems.append('evbpf-libbpf.7 does not list %s' % s)

    for p in problems:
        print(p)
    print('%d pages, %d functions, %d problems' % (len(args.pages), len(funcs), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
