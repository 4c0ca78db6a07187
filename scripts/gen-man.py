#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Manual pages from the comments of evbpf's public headers.

Section 3: one page per evbpf_* function a header declares with LIBBPF_API,
from the comment above the declaration (@brief: description, @return:
return value, @p NAME: a parameter), the structures, enums and callback
types the prototype names (with their comments), the header's "Threads:"
and "Buffers:" paragraphs as notes, and the other functions of the same
family as "see also".

usage:
  gen-man.py --list HEADER...                  page file names, one a line
  gen-man.py --outdir DIR [--version V] HEADER...
                                               write the section 3 pages
  gen-man.py --libbpf-page TEMPLATE --output FILE [--version V] HEADER...
                                               write evbpf-libbpf(7): the
                                               template with @SYMBOLS@
                                               replaced by every non-evbpf
                                               symbol the headers export
  gen-man.py --check HEADER...                 exit 1 naming every evbpf_*
                                               function without a comment
"""

import argparse
import errno as errno_mod
import os
import re
import sys

ERRNO_NAMES = set(errno_mod.errorcode.values())
FAMILY_RE = re.compile(r'^(evbpf_[a-z]+)_')


def roff_text(text):
    """Escapes running text for roff and marks up names."""
    text = text.replace('\\', '\\e')
    # a minus sign (option, negative number, -errno) rather than a hyphen
    text = re.sub(r'(^|[\s(\[])-(?=[\w>])', r'\1\\-', text)
    text = re.sub(r'@p\s+(\w+)', r'\\fI\1\\fP', text)
    text = re.sub(r'\b((?:evbpf|bpf|libbpf|ring_buffer|perf_buffer)\w*)\(\)',
                  r'\\fB\1\\fP()', text)
    return text


def roff_lines(text):
    """Running text as roff source lines (no line may start with . or ')."""
    out = []
    for para in re.split(r'\n\s*\n', text.strip()):
        words = ' '.join(para.split())
        if out:
            out.append('.PP')
        line = roff_text(words)
        # one sentence per line, as roff prefers
        for sent in re.split(r'(?<=[.;:])\s+(?=[A-Z(\\])', line):
            if sent[:1] in ('.', "'"):
                sent = '\\&' + sent
            out.append(sent)
    return out


def roff_code(text):
    out = ['.PP', '.in +4n', '.EX']
    for line in text.rstrip().split('\n'):
        line = line.expandtabs(8).rstrip().replace('\\', '\\e')
        if line[:1] in ('.', "'"):
            line = '\\&' + line
        out.append(line)
    out += ['.EE', '.in']
    return out


def clean_comment(c):
    """The text of a /* */ or /** */ comment without the stars."""
    c = re.sub(r'^/\*\*?', '', c.strip())
    c = re.sub(r'\*/$', '', c)
    lines = []
    for line in c.split('\n'):
        lines.append(re.sub(r'^\s*\*( |$)', '', line).rstrip())
    return '\n'.join(lines).strip()


def split_tags(text):
    """{'brief': ..., 'return': ...} from a doc comment."""
    parts = {'brief': '', 'return': ''}
    key = 'brief'
    for chunk in re.split(r'(@brief|@return|@returns)\b', text):
        if chunk == '@brief':
            key = 'brief'
        elif chunk in ('@return', '@returns'):
            key = 'return'
        else:
            parts[key] = (parts[key] + ' ' + chunk).strip()
    return parts


class Header:
    def __init__(self, path):
        self.path = path
        self.text = open(path, encoding='utf-8').read()
        self.include = 'evbpf/' + os.path.basename(path) \
            if '/evbpf/' in path else 'bpf/libbpf.h'
        self.top = ''
        m = re.search(r'/\*(?!\s*SPDX).*?\*/', self.text, re.S)
        if m:
            self.top = clean_comment(m.group(0))
        self.types = self._types()
        self.funcs = self._funcs()

    def paragraph(self, label):
        """The header comment's paragraph starting at "Label:" (to the next
        blank line or the next "Word:" paragraph)."""
        m = re.search(r'\b' + label + r':(.*?)(?:\n\s*\n|\n?\s[A-Z][a-z]+: |$)',
                      self.top, re.S)
        return ' '.join(m.group(1).split()) if m else ''

    def _types(self):
        """{'struct x' / 'enum x' / typedef name: definition with comment}."""
        out = {}
        for m in re.finditer(r'(?:(/\*(?:(?!\*/).)*\*/)\s*)?((struct|enum)\s+(\w+)\s*\{.*?\n\};)',
                             self.text, re.S):
            comment = m.group(1) or ''
            if comment.startswith('/* ----'):
                comment = ''  # a section heading, not the type's comment
            out['%s %s' % (m.group(3), m.group(4))] = \
                ((comment + '\n') if comment else '') + m.group(2)
        for m in re.finditer(r'(?:(/\*(?:(?!\*/).)*\*/)\s*)?(typedef[^;]*?\(\s*\*\s*(\w+)\s*\)[^;]*;)',
                             self.text, re.S):
            comment = m.group(1) or ''
            if '@brief' in comment:
                comment = ''  # a function's comment placed above its typedef
            out[m.group(3)] = ((comment + '\n') if comment else '') + m.group(2)
        return out

    def _funcs(self):
        funcs = []
        prev_end = 0
        for m in re.finditer(r'\b(?:LIBBPF|EVBPF)_API\b([^;{]*);', self.text):
            if self.text[:m.start()].rstrip().endswith('define'):
                continue
            line_start = self.text.rfind('\n', 0, m.start()) + 1
            if self.text[line_start:m.start()].lstrip().startswith('#'):
                continue
            decl = re.sub(r'\bLIBBPF_DEPRECATED\s*\([^)]*\)', '', m.group(1))
            decl = ' '.join(decl.split())
            paren = decl.find('(')
            if paren < 0:
                continue
            name = re.findall(r'\w+', decl[:paren])[-1]
            between = self.text[prev_end:m.start()]
            prev_end = m.end()
            comments = re.findall(r'/\*.*?\*/', between, re.S)
            doc = ''
            tagged = [c for c in comments if '@brief' in c]
            if tagged:
                doc = tagged[-1]
            elif comments and between.rstrip().endswith('*/'):
                doc = comments[-1]
            funcs.append({'name': name, 'proto': decl + ';',
                          'doc': clean_comment(doc) if doc else '',
                          'header': self})
        return funcs


def evbpf_funcs(headers):
    return [f for h in headers for f in h.funcs if f['name'].startswith('evbpf_')]


def related_types(f, types):
    """Definitions the prototype names, then enums those name, in order."""
    want = []
    for m in re.finditer(r'\b(?:(struct|enum)\s+(\w+)|(\w+_fn\w*|\w+_t))\b', f['proto']):
        key = '%s %s' % (m.group(1), m.group(2)) if m.group(1) else m.group(3)
        if key in types and key not in want:
            want.append(key)
    for key in list(want):
        for m in re.finditer(r'\benum\s+(\w+)', types[key]):
            k = 'enum ' + m.group(1)
            if k in types and k not in want:
                want.append(k)
    return [types[k] for k in want]


def synopsis(proto):
    """The prototype, bold, with the parameter names italic (in .nf mode)."""
    m = re.match(r'(.*?\b)(\w+)\((.*)\);$', proto)
    ret, name, args = m.groups()
    params = [x.strip() for x in args.split(',')] if args.strip() else ['void']
    lead = '%s%s(' % (ret, name)
    lines = []
    for i, a in enumerate(params):
        am = re.match(r'(.*?[\s*])(\w+)$', a)
        end = ',' if i < len(params) - 1 else ');'
        if a == 'void' or not am:
            piece = '\\fB%s%s\\fP' % (a, end)
        else:
            piece = '\\fB%s\\fP\\fI%s\\fP\\fB%s\\fP' % (am.group(1), am.group(2), end)
        prefix = lead if i == 0 else ' ' * len(lead)
        lines.append(('\\fB%s\\fP' % prefix if i == 0 else prefix) + piece)
    return [l.replace('-', '\\-') for l in lines]


def page(f, all_funcs, version):
    name, doc, h = f['name'], f['doc'], f['header']
    tags = split_tags(doc)
    brief = tags['brief']
    summary = re.split(r'(?<=\.)\s', ' '.join(brief.split()), maxsplit=1)[0].rstrip('.')
    summary = re.sub(r'\s*\([^()]+\)', '', summary)
    summary = summary[:1].lower() + summary[1:] if summary[1:2].islower() else summary
    ret_type = f['proto'].split(name + '(')[0].strip()
    out = ['.\\" Generated by scripts/gen-man.py from <%s>; edit the header comment.' % h.include,
           '.TH %s 3 "" "evbpf %s" "evbpf Manual"' % (name, version),
           '.SH NAME',
           '%s \\- %s' % (name, roff_text(summary) if summary else 'undocumented'),
           '.SH SYNOPSIS', '.nf', '.B #include <%s>' % h.include, '.PP']
    out += synopsis(f['proto'])
    out += ['.fi', '.PP', 'Link with', '.BR "\\-levbpf' +
            (' \\-levbpf\\-event' if h.include.endswith('evbpf_event.h') else '') + '" ,',
            'or use', '.BR "pkg\\-config \\-\\-cflags \\-\\-libs ' +
            ('evbpf\\-event' if h.include.endswith('evbpf_event.h') else 'evbpf') + '" .']
    out += ['.SH DESCRIPTION']
    out += roff_lines(brief) if brief else ['No description.']
    for t in related_types(f, h.types):
        out += roff_code(t)
    out += ['.SH RETURN VALUE']
    if tags['return']:
        ret = tags['return']
        out += roff_lines(ret[:1].upper() + ret[1:])
    elif ret_type == 'void':
        out += ['None.']
    else:
        out += ['See', '.BR DESCRIPTION .']
    errs = sorted(set(re.findall(r'\b(E[A-Z0-9]{2,})\b', doc)) & ERRNO_NAMES)
    if ret_type != 'void':
        out += ['.SH ERRORS']
        if '*' in ret_type:
            out += ['On failure the function returns NULL and sets', '.I errno',
                    'to the error.']
        elif ret_type in ('int', 'long'):
            out += ['On failure the function returns a negative errno value and sets',
                    '.I errno', 'to the positive one.']
        else:
            out += ['The function does not fail.']
        if errs:
            out += ['Errors named above:']
            for i, e in enumerate(errs):
                out.append('.BR %s%s' % (e, ' ,' if i < len(errs) - 1 else ' .'))
    notes = ['%s: %s' % (label, h.paragraph(label))
             for label in ('Threads', 'Signals', 'Buffers') if h.paragraph(label)]
    if notes:
        out += ['.SH NOTES']
        out += roff_lines('\n\n'.join(notes))
    fam = FAMILY_RE.match(name)
    see = []
    for other in all_funcs:
        o = other['name']
        if o == name or o in see:
            continue
        if (fam and o.startswith(fam.group(1) + '_')) or re.search(r'\b%s\(\)' % o, doc):
            see.append(o)
    items = ['%s (3)' % s for s in see] + ['evbpf (7)']
    out += ['.SH SEE ALSO']
    for i, s in enumerate(items):
        n, sec = s.split()
        out.append('.BR %s %s%s' % (n, sec, ',' if i < len(items) - 1 else ''))
    return '\n'.join(out) + '\n'


def libbpf_page(template, headers, version):
    groups = []
    for h in headers:
        syms = [f['name'] for f in h.funcs if not f['name'].startswith('evbpf_')]
        if syms:
            groups.append((os.path.basename(h.path), sorted(set(syms))))
    body = []
    total = 0
    for hname, syms in groups:
        total += len(syms)
        body += ['.SS %s (%d)' % (hname, len(syms)), '.na', '.nh']
        body += ['.BR %s ,' % s for s in syms[:-1]] + ['.BR %s .' % syms[-1]]
        body += ['.hy', '.ad']
    text = open(template, encoding='utf-8').read()
    return text.replace('@VERSION@', version).replace('@COUNT@', str(total)) \
               .replace('@SYMBOLS@\n', '\n'.join(body) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--outdir')
    ap.add_argument('--libbpf-page')
    ap.add_argument('--output')
    ap.add_argument('--version', default='')
    ap.add_argument('headers', nargs='+')
    args = ap.parse_args()
    headers = [Header(p) for p in args.headers]
    funcs = evbpf_funcs(headers)

    if args.libbpf_page:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(libbpf_page(args.libbpf_page, headers, args.version))
        return 0
    if args.list:
        for f in funcs:
            print(f['name'] + '.3')
        return 0
    if args.check:
        bad = [f['name'] for f in funcs if not split_tags(f['doc'])['brief']]
        for b in bad:
            print('no comment above the declaration of %s' % b)
        return 1 if bad else 0
    os.makedirs(args.outdir, exist_ok=True)
    for f in funcs:
        with open(os.path.join(args.outdir, f['name'] + '.3'), 'w', encoding='utf-8') as out:
            out.write(page(f, funcs, args.version))
    return 0


if __name__ == '__main__':
    sys.exit(main())
