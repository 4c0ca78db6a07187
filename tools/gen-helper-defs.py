#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Generate bpf_helper_defs.h from the helper documentation of a UAPI
<linux/bpf.h>.

The UAPI header documents every helper in one big comment as a C prototype
line followed by "Description" and "Return" paragraphs, and lists the helper
ids in the __BPF_FUNC_MAPPER(FN) macro (the position in that list, or the
explicit second argument of FN() in newer headers, is the id). For each
documented helper with a known id we emit a constant function pointer whose
value is the id, which is how clang -target bpf turns a call into
`call <id>`.

usage: gen-helper-defs.py [--input /usr/include/linux/bpf.h] [--output FILE]
                          [--c-source] [--embed HEADER]

--c-source writes a C file defining `const char evbpf_gen__helper_defs[]`
holding the header text instead (for `evbpf-gen helpers`); with --embed,
the text of HEADER (the checked-in include/bpf/bpf_helper_defs.h) as it is.
"""

import argparse
import re
import sys

# Kernel-internal types in the prototypes and what BPF C sees instead.
TYPE_MAP = {
    'u8': '__u8', 'u16': '__u16', 'u32': '__u32', 'u64': '__u64',
    's8': '__s8', 's16': '__s16', 's32': '__s32', 's64': '__s64',
    'size_t': 'unsigned long',
    'struct bpf_map': 'void',
    'struct sk_buff': 'struct __sk_buff',
    'struct sk_msg_buff': 'struct sk_msg_md',
    'struct xdp_buff': 'struct xdp_md',
}

# Prototypes from newer UAPI headers than the build machine may have: helpers
# added after 6.1 (with their ids) and prototypes that later gained `const`.
# They are used when the input header lacks the helper or has the older form.
NEWER = {
    'bpf_redirect_map': (51, 'long bpf_redirect_map(struct bpf_map *map, u64 key, u64 flags)'),
    'bpf_dynptr_read': (201, 'long bpf_dynptr_read(void *dst, u32 len, '
                        'const struct bpf_dynptr *src, u32 offset, u64 flags)'),
    'bpf_dynptr_write': (202, 'long bpf_dynptr_write(const struct bpf_dynptr *dst, '
                         'u32 offset, void *src, u32 len, u64 flags)'),
    'bpf_dynptr_data': (203, 'void *bpf_dynptr_data(const struct bpf_dynptr *ptr, '
                        'u32 offset, u32 len)'),
    'bpf_cgrp_storage_get': (210, 'void *bpf_cgrp_storage_get(struct bpf_map *map, '
                             'struct cgroup *cgroup, void *value, u64 flags)'),
    'bpf_cgrp_storage_delete': (211, 'long bpf_cgrp_storage_delete(struct bpf_map *map, '
                                'struct cgroup *cgroup)'),
}

PROTO_RE = re.compile(r'^\s\*\s(?P<ret>[^(]*?[\s*])(?P<name>bpf_\w+)\((?P<args>.*)\)\s*$')
SECTION_RE = re.compile(r'^\s\*\s+(Description|Return)\s*$')
FN_RE = re.compile(r'FN\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?(?:,[^)]*)?\)')


def map_type(text):
    """Rewrite one C type (or parameter declaration) with TYPE_MAP."""
    text = ' '.join(text.split())
    # struct names first, longest match wins thanks to the word boundary
    def struct_sub(m):
        key = 'struct ' + m.group(1)
        return TYPE_MAP.get(key, key)
    text = re.sub(r'\bstruct\s+(\w+)', struct_sub, text)

    def word_sub(m):
        return TYPE_MAP.get(m.group(0), m.group(0))
    text = re.sub(r'\b[us](?:8|16|32|64)\b|\bsize_t\b', word_sub, text)
    return text


def parse_docs(lines):
    """Returns [(ret, name, args)] for each documented prototype, in order."""
    protos = []
    start = None
    for i, line in enumerate(lines):
        if 'Start of BPF helper function descriptions' in line:
            start = i + 1
            break
    if start is None:
        raise SystemExit('gen-helper-defs: no helper documentation found')
    i = start
    while i < len(lines):
        line = lines[i]
        if line.strip().startswith('*/'):
            break
        m = PROTO_RE.match(line)
        # a prototype is followed (after optional blank comment lines) by
        # its Description heading
        if m:
            j = i + 1
            while j < len(lines) and lines[j].strip() == '*':
                j += 1
            if j < len(lines) and SECTION_RE.match(lines[j]):
                protos.append((m.group('ret').strip(), m.group('name'),
                               m.group('args').strip()))
        i += 1
    return protos


def parse_ids(text):
    """Returns {helper name without bpf_ prefix: id}. Newer headers list
    FN(name, id, ##ctx) in ___BPF_FUNC_MAPPER; older ones FN(name) in
    __BPF_FUNC_MAPPER, where the position is the id."""
    m = re.search(r'#define\s+___BPF_FUNC_MAPPER\(FN,\s*ctx\.\.\.\)(.*?)\n\s*/\*\s*\*/\s*\n',
                  text, re.S)
    if not m:
        m = re.search(r'#define\s+__BPF_FUNC_MAPPER\(FN\)\s*\\\n(.*?)\n\s*/\*\s*\*/\s*\n',
                      text, re.S)
    if not m:
        raise SystemExit('gen-helper-defs: __BPF_FUNC_MAPPER not found')
    ids = {}
    for pos, fm in enumerate(FN_RE.finditer(m.group(1))):
        name, explicit = fm.group(1), fm.group(2)
        ids[name] = int(explicit) if explicit is not None else pos
    return ids


def merge_overloads(protos):
    """Some helpers are documented once per program type with different
    first arguments; keep one declaration where each differing parameter
    becomes `void *`."""
    merged = {}
    order = []
    for ret, name, args in protos:
        if name not in merged:
            merged[name] = (ret, name, [a.strip() for a in args.split(',')])
            order.append(name)
            continue
        mret, _, margs = merged[name]
        other = [a.strip() for a in args.split(',')]
        if len(other) != len(margs):
            continue
        for k, (a, b) in enumerate(zip(margs, other)):
            if map_type(a) != map_type(b):
                pname = re.findall(r'\w+', a)[-1]
                margs[k] = 'void *' + pname
    return [(merged[n][0], n, ', '.join(merged[n][2])) for n in order]


def split_proto(text):
    m = PROTO_RE.match(' * ' + text)
    return m.group('ret').strip(), m.group('name'), m.group('args').strip()


def declare(ret, name, args, helper_id):
    ret = map_type(ret)
    if args in ('', 'void'):
        params = 'void'
    else:
        params = ', '.join(map_type(a) for a in args.split(','))
    # "void *" returns keep the star next to the pointer declarator
    if ret.endswith('*'):
        head = ret
    else:
        head = ret + ' '
    return 'static %s(* const %s)(%s) = (void *) %d;' % (head, name, params, helper_id)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--input', default='/usr/include/linux/bpf.h')
    ap.add_argument('--output', default='-')
    ap.add_argument('--c-source', action='store_true')
    ap.add_argument('--embed')
    opts = ap.parse_args()

    if opts.embed:
        with open(opts.embed, encoding='utf-8') as f:
            write(opts, f.read())
        return
    try:
        with open(opts.input, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        raise SystemExit('gen-helper-defs: %s: %s' % (opts.input, e.strerror))
    lines = text.split('\n')
    protos = merge_overloads(parse_docs(lines))
    ids = parse_ids(text)
    for name, (helper_id, proto) in NEWER.items():
        short = name[len('bpf_'):]
        known = [p for p in protos if p[1] == name]
        if short not in ids:
            ids[short] = helper_id
        elif ids[short] != helper_id:
            continue
        newer = split_proto(proto)
        if known:
            protos[protos.index(known[0])] = newer
        else:
            protos.append(newer)

    decls = []
    structs = []
    for ret, name, args in protos:
        short = name[len('bpf_'):]
        if short not in ids:
            continue
        decl = declare(ret, name, args, ids[short])
        decls.append(decl)
        for s in re.findall(r'\bstruct\s+(\w+)', decl):
            if s not in structs:
                structs.append(s)

    out = []
    out.append('/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */')
    out.append('/* Generated by evbpf tools/gen-helper-defs.py from %s; do not edit. */'
               % opts.input)
    out.append('#ifndef __EVBPF_BPF_HELPER_DEFS_H')
    out.append('#define __EVBPF_BPF_HELPER_DEFS_H')
    out.append('')
    out.append('/* Structures the helper prototypes point to. */')
    for s in structs:
        out.append('struct %s;' % s)
    out.append('')
    out.append('/* One constant function pointer per helper; its value is the')
    out.append(' * helper id, which clang turns into `call <id>`. */')
    out.extend(decls)
    out.append('')
    out.append('#endif /* __EVBPF_BPF_HELPER_DEFS_H */')
    write(opts, '\n'.join(out) + '\n')


def write(opts, data):
    if opts.c_source:
        lines = ['/* Generated by evbpf tools/gen-helper-defs.py; do not edit. */',
                 'const char evbpf_gen__helper_defs[] =']
        for line in data.splitlines(True):
            esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
            lines.append('\t"%s"' % esc)
        data = '\n'.join(lines) + ';\n'

    if opts.output == '-':
        sys.stdout.write(data)
    else:
        with open(opts.output, 'w', encoding='utf-8') as f:
            f.write(data)


if __name__ == '__main__':
    main()
