#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Every struct of the system libbpf's public headers (Debian: 1.1.2) has the
same layout in evbpf's headers: each field the system struct has exists in
evbpf's at the same offset, and evbpf's struct is no smaller (it may carry
newer fields at the end; their offsets are asserted against upstream's in
tests/header_parity_check.c).

The field lists are read from the system headers themselves; one generated C
file printing sizeof/offsetof is compiled once against each set of headers
(never both in one translation unit) and the two outputs are compared.
"""
import argparse
import os
import re
import subprocess
import sys

HEADERS = ['bpf/libbpf.h', 'bpf/bpf.h', 'bpf/btf.h']
# structs of the system headers evbpf's headers may lack, with the reason;
# each is compared whenever evbpf's headers have it
ABSENT = {
    'bpf_prog_test_run_attr': 'no function takes it since libbpf 1.0 '
                              '(bpf_prog_test_run_xattr was removed)',
    'bpf_linker_opts': 'declared with the static linker (bpf_linker__*)',
    'bpf_linker_file_opts': 'declared with the static linker (bpf_linker__*)',
}
SKIP = set()


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def structs_of(text):
    """{struct name: [field names]} of the struct definitions in text; fields
    of anonymous unions/structs count as the struct's own (as in C)."""
    out = {}
    for m in re.finditer(r'\bstruct\s+(\w+)\s*\{', text):
        name = m.group(1)
        i = m.end()
        depth = 1
        body_start = i
        while depth and i < len(text):
            if text[i] == '{':
                depth += 1
            elif text[i] == '}':
                depth -= 1
            i += 1
        body = text[body_start:i - 1]
        fields = []
        # walk statements, tracking nested aggregates
        stack = [[]]
        tok = ''
        for ch in body:
            if ch == '{':
                stack.append([])
                tok = ''
            elif ch == '}':
                inner = stack.pop()
                tok = '}'
                pending_inner = inner
            elif ch == ';':
                stmt = tok.strip()
                if stmt.startswith('}'):
                    member = stmt[1:].strip()
                    if member == '':
                        stack[-1].extend(pending_inner)  # anonymous
                    else:
                        fm = re.match(r'(\w+)', member)
                        if fm:
                            stack[-1].append(fm.group(1))
                elif ':' not in stmt and '(' not in stmt:
                    fm = re.search(r'(\w+)\s*(\[[^\]]*\])*$', stmt)
                    if fm:
                        stack[-1].append(fm.group(1))
                elif '(' in stmt and ':' not in stmt:
                    fm = re.search(r'\(\s*\*\s*(\w+)\s*\)', stmt)
                    if fm:
                        stack[-1].append(fm.group(1))
                tok = ''
            else:
                tok += ch
        fields = stack[0]
        if fields and name not in SKIP:
            out[name] = fields
    return out


def gen_c(structs):
    lines = ['#include <stdio.h>', '#include <stddef.h>']
    lines += ['#include <%s>' % h for h in HEADERS]
    lines.append('int main(void) {')
    for name, fields in sorted(structs.items()):
        lines.append('\tprintf("%s %%zu\\n", sizeof(struct %s));' % (name, name))
        for f in fields:
            lines.append('\tprintf("%s.%s %%zu\\n", offsetof(struct %s, %s));'
                         % (name, f, name, f))
    lines.append('\treturn 0;\n}')
    return '\n'.join(lines) + '\n'


def build_run(cc, inc, src, exe, quiet=False):
    cmd = [cc, '-w', '-D_GNU_SOURCE', '-I' + inc, src, '-o', exe]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        if quiet:
            return None
        sys.stdout.write(r.stderr)
        raise SystemExit('FAIL: cannot compile the layout probe against %s' % inc)
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return dict(line.rsplit(' ', 1) for line in out.splitlines())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cc', required=True)
    ap.add_argument('--system-include', default='/usr/include')
    ap.add_argument('--evbpf-include', required=True)
    ap.add_argument('--workdir', required=True)
    args = ap.parse_args()

    structs = {}
    for h in HEADERS:
        path = os.path.join(args.system_include, h)
        if not os.path.exists(path):
            print('SKIP: no system libbpf headers at %s' % path)
            return 77
        structs.update(structs_of(strip_comments(open(path).read())))
    os.makedirs(args.workdir, exist_ok=True)
    src = os.path.join(args.workdir, 'layout_probe.c')
    open(src, 'w').write(gen_c(structs))
    sys_l = build_run(args.cc, args.system_include, src,
                      os.path.join(args.workdir, 'layout_sys'))
    ev_exe = os.path.join(args.workdir, 'layout_evbpf')
    ev_l = build_run(args.cc, args.evbpf_include, src, ev_exe, quiet=True)
    if ev_l is None:
        # evbpf's headers lack a struct: leave out those it may lack (one
        # probe each tells which), anything else fails below
        for name in sorted(ABSENT):
            if name not in structs:
                continue
            one = os.path.join(args.workdir, 'layout_one.c')
            open(one, 'w').write(gen_c({name: structs[name]}))
            if build_run(args.cc, args.evbpf_include, one, ev_exe, quiet=True) is None:
                print('absent: struct %s: %s' % (name, ABSENT[name]))
                del structs[name]
        open(src, 'w').write(gen_c(structs))
        sys_l = build_run(args.cc, args.system_include, src,
                          os.path.join(args.workdir, 'layout_sys'))
        ev_l = build_run(args.cc, args.evbpf_include, src, ev_exe)
    failures = []
    nfields = 0
    for key, val in sorted(sys_l.items()):
        if '.' in key:
            nfields += 1
            if ev_l.get(key) != val:
                failures.append('%s: offset %s in libbpf, %s in evbpf'
                                % (key, val, ev_l.get(key)))
        elif int(ev_l[key]) < int(val):
            failures.append('struct %s: size %s in libbpf, %s in evbpf'
                            % (key, val, ev_l[key]))
    print('%d structs, %d fields compared' % (len(structs), nfields))
    for f in failures:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
