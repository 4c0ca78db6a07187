#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Compatibility check of evbpf against Debian's libbpf 1.1.2 on real BPF
objects compiled by other people, found on this machine at test time (they
are not copied into the repository):

  xdp-tools      /usr/lib/<multiarch>/bpf/*.o                 (xdp-tools)
  cilium         .../github.com/cilium/ebpf/**/testdata/*-el.elf
                                              (golang-github-cilium-ebpf-dev)
  libbpf-tools   the BPF ELF images embedded in the libbpf-tools binaries
                 (each embeds its skeleton's object), extracted to
                 <workdir>/extracted/
  xdp-tools-bin  likewise the skeletons embedded in xdp-tools' binaries
                 (xdp-bench, xdp-monitor, ...), less copies of the .o files
  evbpf          our own tests/progs/*.bpf.o

Both probes (compat_probe.c built against each library) open every object,
then load, and attach, each program on its own. Verdict per object:

  * libbpf opens it: evbpf opens it with the same programs (name, section,
    program type) and maps (name, type, key/value size, max_entries);
    every program libbpf loads, evbpf loads, with the same instructions
    after relocation (CO-RE, subprograms, helper/kfunc ids; map fds named
    by their maps), and a packet program returns the same value from one
    BPF_PROG_TEST_RUN on a fixed packet; every program libbpf attaches
    with bpf_program__attach(), evbpf attaches; if libbpf loads the object
    with no program autoloaded, so does evbpf.
  * libbpf refuses it at open only because of a legacy `maps` section or a
    static program function: evbpf opens it, finds every global function of
    a program section as a program and every legacy map symbol as a map
    (by the ELF symbol table), loads the object without programs (maps,
    BTF, data), and loads each program, except one whose section names no
    program type, whose type this kernel refuses whoever loads it
    (trampolines: EPERM), or that needs a value for an undefined symbol the
    object gives no BTF for (only its user can).
  * libbpf refuses it for another reason: no requirement (shown as info).

Programs that fail on both are fine; differences that are not failures
(flags, attach errnos, sections newer than libbpf 1.1.2) are notes in the
report. Both probes make the same user-side adjustments (see
compat_probe.c): inner map templates, run-time map sizes, the type of a
program in an "x/y" section libbpf does not know. Prints one line per object, cmocka-style
summary lines (one test per object, see scripts/count-results) and writes a
per-program table to the report file. Exit status 1 if an object failed.
"""
import argparse
import concurrent.futures
import errno
import glob
import hashlib
import itertools
import json
import os
import re
import struct
import subprocess
import sys
import time

EM_BPF = 247
# libbpf 1.x's words for the two refusals evbpf must not copy
LEGACY_MAPS = "legacy map definitions in 'maps' section"
STATIC_PROG = "is static and not supported"
# the evbpf probe, for the checks that run it once more
EVBPF_PROBE = [None]
# BPF_PROG_TYPE_TRACING, _LSM: this kernel refuses trampolines with EPERM
# whoever loads them, so libbpf cannot give a baseline and none is required
KERNEL_REFUSED_TYPES = {26: 'tracing', 29: 'lsm'}


def err_name(v):
    if v is None:
        return '-'
    if v == 0:
        return 'ok'
    if v < 0 and -v in errno.errorcode:
        return '-' + errno.errorcode[-v]
    return str(v)


# ---- the corpus ----

def elf_image_size(d, off):
    """Size of the 64-bit little-endian ELF image starting at d[off]: the end
    of its section header table or of its last section, whichever is later."""
    shoff, = struct.unpack_from('<Q', d, off + 0x28)
    shentsize, shnum = struct.unpack_from('<HH', d, off + 0x3a)
    end = shoff + shentsize * shnum
    if shentsize < 64 or off + end > len(d):
        return None
    for i in range(shnum):
        sh = off + shoff + i * shentsize
        sh_type, = struct.unpack_from('<I', d, sh + 4)
        sh_offset, sh_size = struct.unpack_from('<QQ', d, sh + 0x18)
        if sh_type != 8:  # SHT_NOBITS takes no room
            end = max(end, sh_offset + sh_size)
    return end if off + end <= len(d) else None


def extract_bpf_elves(binary, outdir):
    """Writes every embedded EM_BPF ELF image of @binary to @outdir."""
    with open(binary, 'rb') as f:
        d = f.read()
    found = []
    i = d.find(b'\x7fELF', 1)
    while i != -1:
        if (len(d) >= i + 64 and d[i + 4] == 2 and d[i + 5] == 1 and
                struct.unpack_from('<H', d, i + 18)[0] == EM_BPF):
            size = elf_image_size(d, i)
            if size:
                found.append(d[i:i + size])
        i = d.find(b'\x7fELF', i + 1)
    paths = []
    base = os.path.basename(binary)
    for k, img in enumerate(found):
        name = base if len(found) == 1 else '%s_%d' % (base, k)
        p = os.path.join(outdir, name + '.bpf.o')
        with open(p, 'wb') as f:
            f.write(img)
        paths.append(p)
    return paths


def package_binaries(pkg):
    try:
        out = subprocess.run(['dpkg-query', '-L', pkg],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(p for p in out.split('\n')
                  if '/sbin/' in p or '/bin/' in p
                  if os.path.isfile(p) and not os.path.islink(p))


def find_corpus(progs_dir, extract_dir):
    """[(group, [paths])]; an empty list means that part is missing."""
    groups = []
    groups.append(('xdp-tools', sorted(glob.glob('/usr/lib/*/bpf/*.o'))))
    groups.append(('cilium', sorted(glob.glob(
        '/usr/share/gocode/src/github.com/cilium/ebpf/**/testdata/*-el.elf',
        recursive=True))))
    seen = set()
    for _, paths in groups:
        for p in paths:
            with open(p, 'rb') as f:
                seen.add(hashlib.sha256(f.read()).digest())
    # skeleton objects embedded in the tools' binaries (xdp-tools embeds
    # some of its .o files too: those are checked once)
    for pkg in ('libbpf-tools', 'xdp-tools'):
        outdir = os.path.join(extract_dir, pkg)
        os.makedirs(outdir, exist_ok=True)
        for old in glob.glob(os.path.join(outdir, '*.bpf.o')):
            os.unlink(old)
        objs = []
        for b in package_binaries(pkg):
            for p in extract_bpf_elves(b, outdir):
                with open(p, 'rb') as f:
                    h = hashlib.sha256(f.read()).digest()
                if h in seen:
                    os.unlink(p)
                else:
                    seen.add(h)
                    objs.append(p)
        groups.append((pkg + '-bin' if pkg == 'xdp-tools' else pkg, objs))
    groups.append(('evbpf', sorted(glob.glob(os.path.join(progs_dir, '*.bpf.o')))))
    return groups


def elf_expectations(path):
    """What an object holds by its own ELF tables, independent of libbpf:
    (programs, static_funcs, legacy_maps, undefined): names of the global function
    symbols in executable sections other than .text (STT_FUNC, or
    STT_NOTYPE as old clang emitted them), of the static ones there (a
    program, or a subprogram when called: not required either way), and of
    the symbols in a legacy `maps` section, and of the undefined untyped
    symbols (externs)."""
    with open(path, 'rb') as f:
        d = f.read()
    if d[:4] != b'\x7fELF' or d[4] != 2 or d[5] != 1:
        return None
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
    secs = []
    for i in range(shnum):
        name, typ, flags = struct.unpack_from('<IIQ', d, shoff + i * shentsize)
        off, size = struct.unpack_from('<QQ', d, shoff + i * shentsize + 0x18)
        link, = struct.unpack_from('<I', d, shoff + i * shentsize + 0x28)
        secs.append((name, typ, flags, off, size, link))

    def cstr(off):
        return d[off:d.index(b'\0', off)].decode(errors='replace')

    strtab_off = secs[shstrndx][3]
    names = [cstr(strtab_off + s[0]) for s in secs]
    progs, statics, maps, undef = set(), set(), set(), set()
    for name, typ, flags, off, size, link in secs:
        if typ != 2:  # SHT_SYMTAB
            continue
        for k in range(1, size // 24):
            st_name, st_info, _, st_shndx = struct.unpack_from('<IBBH', d, off + k * 24)
            sym = cstr(secs[link][3] + st_name)
            if st_shndx == 0 and (st_info & 0xf) == 0 and sym:
                undef.add(sym)
            if st_shndx == 0 or st_shndx >= len(secs):
                continue
            stype, bind = st_info & 0xf, st_info >> 4
            sec = names[st_shndx]
            if secs[st_shndx][2] & 0x4 and secs[st_shndx][4] and sec != '.text':
                if stype in (0, 2) and bind in (1, 2):  # GLOBAL, WEAK
                    progs.add(sym)
                elif stype == 2:
                    statics.add(sym)
            elif sec == 'maps' and stype != 3 and not sym.startswith('.L'):
                maps.add(sym)
    # an extern with BTF (a .kconfig/.ksyms one) is for the loader to
    # resolve; only names absent from the BTF strings are the user's to give
    if '.BTF' in names:
        i = names.index('.BTF')
        b = d[secs[i][3]:secs[i][3] + secs[i][4]]
        if len(b) >= 24 and struct.unpack_from('<H', b, 0)[0] == 0xeb9f:
            hdr_len, _, _, str_off, str_len = struct.unpack_from('<IIIII', b, 4)
            strs = set(b[hdr_len + str_off:hdr_len + str_off + str_len]
                       .decode(errors='replace').split('\0'))
            undef -= strs
    return progs, statics, maps, undef


def name_hash(name):
    """compat_probe.c's name_hash(): how a loaded ld_imm64 names its map."""
    h = 2166136261
    for c in name.encode():
        h = ((h ^ c) * 16777619) & 0xffffffff
    return h - (1 << 32) if h >= 1 << 31 else h


def legacy_map_refs(path):
    """{program name: [(insn index, map name)]}: the legacy maps each
    function's ld_imm64 instructions refer to, by the ELF alone (symbol
    value plus the offset clang leaves in the instruction's imm), for the
    instructions of the function itself (they keep their index after load:
    subprograms are appended behind)."""
    with open(path, 'rb') as f:
        d = f.read()
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
    secs = []
    for i in range(shnum):
        b = shoff + i * shentsize
        name, typ, flags = struct.unpack_from('<IIQ', d, b)
        off, size = struct.unpack_from('<QQ', d, b + 0x18)
        link, info = struct.unpack_from('<II', d, b + 0x28)
        secs.append((name, typ, flags, off, size, link, info))

    def cstr(off):
        return d[off:d.index(b'\0', off)].decode(errors='replace')

    names = [cstr(secs[shstrndx][3] + sc[0]) for sc in secs]
    if 'maps' not in names:
        return {}
    maps_idx = names.index('maps')
    syms = []
    for sc in secs:
        if sc[1] == 2:
            for k in range(sc[4] // 24):
                st_name, st_info, _, st_shndx, st_value = struct.unpack_from(
                    '<IBBHQ', d, sc[3] + k * 24)
                syms.append((cstr(secs[sc[5]][3] + st_name), st_info, st_shndx, st_value))
    map_at = {v: n for n, info, sh, v in syms
              if sh == maps_idx and info & 0xf != 3 and n and not n.startswith('.L')}
    refs = {}
    for rel in secs:
        if rel[1] != 9 or not (secs[rel[6]][2] & 0x4):  # SHT_REL on code
            continue
        code = secs[rel[6]]
        funcs = sorted((v, n) for n, info, sh, v in syms
                       if sh == rel[6] and info & 0xf in (0, 2) and
                       (info >> 4 in (1, 2) or info & 0xf == 2) and n)
        for k in range(rel[4] // 16):
            r_off, r_info = struct.unpack_from('<QQ', d, rel[3] + k * 16)
            sym = syms[r_info >> 32]
            if sym[2] != maps_idx:
                continue
            imm, = struct.unpack_from('<i', d, code[3] + r_off + 4)
            target = map_at.get(sym[3] + imm)
            owner = [f for f in funcs if f[0] <= r_off]
            if target and owner:
                fv, fname = owner[-1]
                refs.setdefault(fname, []).append(((r_off - fv) // 8, target))
    return refs


def insn_lists(probe, path, timeout):
    """{program: its loaded, normalized instructions} from --insns."""
    pin_root = new_pin_root()
    try:
        out = subprocess.run([probe, '--insns', '--pin-root', pin_root, path],
                             capture_output=True, text=True, errors='replace',
                             timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return {}
    finally:
        remove_pin_root(pin_root)
    lists = {}
    for line in out.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j.get('kind') == 'prog' and j.get('insn_list'):
            lists[j['prog']] = j['insn_list']
    return lists


# ---- running the probes ----

def insn_diff(args, path, name):
    """Where the two libraries' relocated instructions of one program differ:
    the first few differing indices with both instructions."""
    lists = []
    for probe in (args.libbpf, args.evbpf):
        pin_root = new_pin_root()
        try:
            out = subprocess.run([probe, '--insns', '--pin-root', pin_root, path],
                                 capture_output=True, text=True, errors='replace',
                                 timeout=args.timeout).stdout
        except subprocess.TimeoutExpired:
            return 'timed out'
        finally:
            remove_pin_root(pin_root)
        lst = None
        for line in out.splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if j.get('kind') == 'prog' and j.get('prog') == name:
                lst = j.get('insn_list')
        if lst is None:
            return 'no instruction list'
        lists.append(lst)
    a, b = lists
    diffs = ['#%d libbpf [%s] evbpf [%s]' % (i, x, y)
             for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(a) != len(b):
        diffs.append('count %d vs %d' % (len(a), len(b)))
    more = ' (+%d more)' % (len(diffs) - 6) if len(diffs) > 6 else ''
    return 'insn (code dst src off imm): ' + '; '.join(diffs[:6]) + more


def remove_pin_root(d):
    """Removes a probe's bpffs folder even if the probe died before it could
    (pins may sit in subfolders, e.g. iproute2's tc/globals)."""
    for root, dirs, files in os.walk(d, topdown=False):
        for f in files:
            try:
                os.unlink(os.path.join(root, f))
            except OSError:
                pass
        try:
            os.rmdir(root)
        except OSError:
            pass


_pin_seq = itertools.count(1)  # next() is atomic: unique across threads


def new_pin_root():
    return '/sys/fs/bpf/evbpf-compat-%d-%d' % (os.getpid(), next(_pin_seq))


def run_probe(probe, path, timeout):
    """The probe's lines: 'object', 'maps' {name: line}, 'maps_load',
    'progs' {name: line} in 'order'; 'crash' None or what went wrong."""
    res = {'object': None, 'maps': {}, 'maps_load': None, 'progs': {},
           'order': [], 'crash': None}
    env = dict(os.environ)
    if 'libbpf' in os.path.basename(probe):
        # under ASan, leaks of the reference library are not ours to report
        env['ASAN_OPTIONS'] = env.get('ASAN_OPTIONS', '') + ':detect_leaks=0'
    pin_root = new_pin_root()
    try:
        p = subprocess.run([probe, '--attach', '--pin-root', pin_root, path],
                           capture_output=True, text=True, errors='replace',
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        res['crash'] = 'timed out after %ds' % timeout
        return res
    finally:
        remove_pin_root(pin_root)
    for line in p.stdout.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j['kind'] == 'object':
            res['object'] = j
        elif j['kind'] == 'map':
            res['maps'][j['map']] = j
        elif j['kind'] == 'maps_load':
            res['maps_load'] = j
        elif j['kind'] == 'prog':
            name = j.get('prog') or '#%d' % j['idx']
            res['progs'][name] = j
            res['order'].append(name)
    if p.returncode != 0 or res['object'] is None:
        res['crash'] = 'exit status %d' % p.returncode
        res['stderr'] = p.stderr.strip()[-3000:]
    return res


def log_excerpt(j, n=3):
    """The last @n log lines of a probe line, the most telling for a failure."""
    lines = [l for l in (j or {}).get('log', []) if l.strip()]
    return ' | '.join(lines[-n:])


def first_log(j):
    lines = [l for l in (j or {}).get('log', []) if l.strip()]
    return lines[0] if lines else ''


# ---- the verdict ----

def compare(path, lb, ev):
    """(verdict, problems, notes): verdict PASS or FAIL; problems are
    mismatches (each a dict for the report), notes are informational."""
    problems, notes = [], []

    def problem(what, prog=None, lib=None, evb=None, log=''):
        problems.append({'what': what, 'prog': prog, 'libbpf': lib,
                         'evbpf': evb, 'log': log})

    if lb['crash'] and (lb['crash'].startswith('not run') or not lb['object']):
        problem('libbpf probe failed: ' + lb['crash'],
                log=lb.get('stderr', '').replace('\n', '\n        ')[-3000:])
        return 'FAIL', problems, notes
    if lb['crash']:
        # the reference library crashed part way: what it said before counts
        notes.append('libbpf probe failed part way (%s); compared up to there' %
                     lb['crash'])
    if ev['crash']:
        problem('evbpf probe crashed: ' + ev['crash'],
                log=ev.get('stderr', '').replace('\n', '\n        ')[-3000:])
    lo = lb['object']
    eo = ev['object'] or {'open': None, 'log': []}

    if lo['open'] != 0:
        log = ' '.join(lo.get('log', []))
        if LEGACY_MAPS in log or STATIC_PROG in log:
            why = 'legacy maps' if LEGACY_MAPS in log else 'static program'
            notes.append('libbpf refuses (%s): %s' % (why, first_log(lo)))
            if eo['open'] != 0:
                problem('evbpf does not open an object libbpf refuses only '
                        'for a ' + why, lib=err_name(lo['open']),
                        evb=err_name(eo['open']), log=log_excerpt(eo))
                return 'FAIL', problems, notes
            # no libbpf baseline: the ELF symbol tables say what must be there
            exp = elf_expectations(path)
            exp_undef = exp[3] if exp else set()
            if exp:
                for name in sorted(exp[0] - set(ev['progs'])):
                    problem('program in the ELF symbol table not found by evbpf '
                            '(evbpf has: %s)' % (', '.join(ev['order']) or 'none'),
                            prog=name)
                for name in sorted(exp[1] - set(ev['progs'])):
                    notes.append("static function '%s' in a program section is "
                                 "no program on evbpf (a subprogram)" % name)
                for name in sorted(exp[2] - set(ev['maps'])):
                    problem("legacy map '%s' in the ELF symbol table not found by "
                            "evbpf (evbpf has: %s)" % (
                                name, ', '.join(sorted(ev['maps'])) or 'none'))
            # each legacy map reference bound to the map the ELF names
            refs = legacy_map_refs(path)
            loaded = insn_lists(EVBPF_PROBE[0], path, 60) if refs else {}
            for prog, lst in sorted(loaded.items()):
                for idx, want in refs.get(prog, []):
                    got = lst[idx].split() if idx < len(lst) else []
                    if len(got) == 5 and got[0] == '18' and int(got[4]) != name_hash(want):
                        bound = [m for m in ev['maps'] if name_hash(m) == int(got[4])]
                        problem("insn #%d refers to legacy map '%s' (symbol value + "
                                "imm), evbpf bound map '%s'" % (
                                    idx, want, bound[0] if bound else '?'), prog=prog)
            ml = ev['maps_load'] or {}
            if ml.get('load') != 0:
                problem('evbpf does not load the object with no program autoloaded '
                        '(maps, BTF, global data)', lib=err_name(lo['open']) + ' (open)',
                        evb='load ' + err_name(ml.get('load')), log=log_excerpt(ml))
            for name in ev['order']:
                e = ev['progs'][name]
                if e['load'] == 0:
                    continue
                if e.get('type') == 0 and not e.get('retyped'):
                    notes.append("prog '%s': section '%s' names no program type; "
                                 "no library loads it (%s)" % (
                                     name, e.get('sec'), err_name(e['load'])))
                    continue
                m = re.search(r"extern '([^']+)'", ' '.join(e.get('log', [])))
                if m and m.group(1) in exp_undef:
                    notes.append("prog '%s': needs a value for '%s', a symbol the "
                                 "object leaves undefined with no BTF (cilium's "
                                 "tests patch it by hand; libbpf refuses that at "
                                 "open): %s" % (name, m.group(1), log_excerpt(e, 1)))
                    continue
                if e.get('type') in KERNEL_REFUSED_TYPES and e['load'] == -errno.EPERM:
                    notes.append("prog '%s' (%s): %s, as the kernel refuses "
                                 "every %s program" % (
                                     name, e.get('sec'), err_name(e['load']),
                                     KERNEL_REFUSED_TYPES[e['type']]))
                    continue
                problem('evbpf does not load a program of an object libbpf '
                        'refuses only for a ' + why, prog=name,
                        lib=err_name(lo['open']) + ' (open)',
                        evb='open %s load %s' % (err_name(e['open']), err_name(e['load'])),
                        log=log_excerpt(e))
        else:
            notes.append('libbpf refuses at open (%s): %s; evbpf open %s%s' % (
                err_name(lo['open']), first_log(lo), err_name(eo['open']),
                (': ' + first_log(eo)) if eo['open'] else ''))
        return ('FAIL' if problems else 'PASS'), problems, notes

    if eo['open'] != 0:
        problem('evbpf does not open an object libbpf opens',
                lib='ok', evb=err_name(eo['open']), log=log_excerpt(eo))
        return 'FAIL', problems, notes

    # BTF, maps and global data without programs
    lml, eml = lb['maps_load'] or {}, ev['maps_load'] or {}
    if lml.get('load') == 0 and eml.get('load') != 0:
        problem('libbpf loads the object with no program autoloaded, evbpf does not',
                lib='ok', evb=err_name(eml.get('load')), log=log_excerpt(eml))

    # maps after open
    for name, m in lb['maps'].items():
        e = ev['maps'].get(name)
        if not e:
            problem("map '%s' missing on evbpf (evbpf has: %s)" % (
                name, ', '.join(sorted(ev['maps'])) or 'none'))
            continue
        diffs = ['%s %s vs %s' % (k, m[k], e[k])
                 for k in ('type', 'key_size', 'value_size', 'max_entries')
                 if m[k] != e[k]]
        if diffs:
            problem("map '%s' differs (libbpf vs evbpf): %s" % (name, ', '.join(diffs)))
        if m['flags'] != e['flags']:
            # libbpf 1.1.2 adds some flags (BPF_F_MMAPABLE) only at creation
            notes.append("map '%s': map_flags after open libbpf %#x, evbpf %#x" % (
                name, m['flags'], e['flags']))
    for name in ev['maps']:
        if name not in lb['maps']:
            # e.g. .struct_ops.link, newer than libbpf 1.1.2
            notes.append("map '%s' exists on evbpf only" % name)

    # programs
    for name in lb['order']:
        l = lb['progs'][name]
        e = ev['progs'].get(name)
        if not e:
            problem('program missing on evbpf', prog=name)
            continue
        if l.get('sec') == e.get('sec') and l.get('type') == 0 and e.get('type'):
            # a section name newer than libbpf 1.1.2 (tcx/, netkit/, ...)
            notes.append("prog '%s': section '%s' unknown to libbpf 1.1.2, "
                         "evbpf: %s" % (name, e.get('sec'), e.get('type_name')))
        elif l.get('sec') != e.get('sec') or l.get('type') != e.get('type'):
            problem('program section/type differ: libbpf %s %s, evbpf %s %s' % (
                l.get('sec'), l.get('type_name'), e.get('sec'), e.get('type_name')),
                prog=name)
        if l.get('attach_type') != e.get('attach_type'):
            notes.append("prog '%s': expected_attach_type libbpf %s, evbpf %s" % (
                name, l.get('attach_type'), e.get('attach_type')))
        if l['load'] == 0 and e['load'] != 0:
            problem('libbpf loads, evbpf does not', prog=name, lib='load ok',
                    evb='open %s load %s' % (err_name(e['open']), err_name(e['load'])),
                    log=log_excerpt(e))
        elif l['load'] == 0 and l.get('attach') == 0 and e.get('attach') != 0:
            problem('libbpf attaches, evbpf does not', prog=name, lib='attach ok',
                    evb='attach %s' % err_name(e.get('attach')), log=log_excerpt(e))
        elif (l['load'] == 0 and e['load'] == 0 and l.get('insns') and
              (l['insns'], l.get('insn_cnt')) != (e.get('insns'), e.get('insn_cnt'))):
            problem('same program, different instructions after load '
                    '(relocations, CO-RE or subprograms)', prog=name,
                    lib='%s insns digest %s' % (l.get('insn_cnt'), l['insns']),
                    evb='%s insns digest %s' % (e.get('insn_cnt'), e.get('insns')),
                    log=e.get('insn_diff', ''))
        elif (l['load'] == 0 and e['load'] == 0 and l.get('run') and
              l['run'] != e.get('run')):
            problem('same program, different BPF_PROG_TEST_RUN result', prog=name,
                    lib=json.dumps(l['run']), evb=json.dumps(e.get('run')))
        elif l['load'] != 0 and e['load'] == 0:
            notes.append("prog '%s': evbpf loads, libbpf %s: %s" % (
                name, err_name(l['load']), log_excerpt(l, 1)))
    for name in ev['order']:
        if name not in lb['progs']:
            notes.append("prog '%s' exists on evbpf only" % name)
    return ('FAIL' if problems else 'PASS'), problems, notes


def run_str(j):
    r = j.get('run')
    if not r:
        return '-'
    return 'r=%d' % r['retval'] if 'retval' in r else err_name(r.get('err'))


def table_rows(lb, ev):
    rows = []
    for name in lb['order'] + [n for n in ev['order'] if n not in lb['progs']]:
        l = lb['progs'].get(name, {})
        e = ev['progs'].get(name, {})
        rows.append('    %-28s %-34s %-14s libbpf %-8s %-6s %-9s | evbpf %-8s %-6s %-9s' % (
            name, (l or e).get('sec', ''), (l or e).get('type_name', ''),
            err_name(l.get('load')), run_str(l), err_name(l.get('attach')),
            err_name(e.get('load')), run_str(e), err_name(e.get('attach'))))
        if e and e.get('load') not in (0, None) and l.get('load') != e.get('load'):
            rows.append('        evbpf log: ' + log_excerpt(e, 4))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--libbpf', help='compat-probe-libbpf (absent: libbpf-dev missing)')
    ap.add_argument('--evbpf', required=True)
    ap.add_argument('--progs', required=True, help='folder of our *.bpf.o')
    ap.add_argument('--workdir', required=True, help='extracted objects, report')
    ap.add_argument('--jobs', type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument('--timeout', type=int, default=60,
                    help='seconds per probe run (the slowest object takes ~5 s '
                         'under ASan): a hang fails its object')
    ap.add_argument('--budget', type=int, default=600,
                    help='seconds after which no further object is started '
                         '(those left fail), so meson\'s timeout never hits')
    ap.add_argument('--only', help='substring: check matching objects only')
    args = ap.parse_args()
    ci = os.environ.get('CI') == 'true'
    EVBPF_PROBE[0] = args.evbpf

    if not args.libbpf:
        print('compat: the system libbpf (libbpf-dev) was not found at configure '
              'time; nothing to compare against')
        print('[  FAILED  ] 1 test(s).')
        return 1

    groups = find_corpus(args.progs, os.path.join(args.workdir, 'extracted'))
    skipped, objs = [], []
    for g, paths in groups:
        if not paths:
            skipped.append(g)
        objs += [(g, p) for p in paths if not args.only or args.only in p]

    start = time.monotonic()

    def job(item):
        g, p = item
        if time.monotonic() - start > args.budget:
            skipped_run = {'object': None, 'maps': {}, 'maps_load': None,
                           'progs': {}, 'order': [],
                           'crash': 'not run: time budget of %ds used up' % args.budget}
            return g, p, skipped_run, skipped_run
        return g, p, run_probe(args.libbpf, p, args.timeout), \
            run_probe(args.evbpf, p, args.timeout)

    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for r in ex.map(job, objs):
            results.append(r)

    report_path = os.path.join(args.workdir, 'compat-report.txt')
    passed, failed, mismatches = [], [], []
    for g, p, lb, ev in results:
        for name, l in lb['progs'].items():
            e = ev['progs'].get(name) or {}
            if (l['load'] == 0 and e.get('load') == 0 and l.get('insns') and
                    (l['insns'], l.get('insn_cnt')) != (e.get('insns'), e.get('insn_cnt'))):
                e['insn_diff'] = insn_diff(args, p, name)

    with open(report_path, 'w') as rep:
        vers = sorted({'%s %s' % (r[2 + k]['object'].get('lib'), r[2 + k]['object'].get('version'))
                       for r in results for k in (0, 1) if r[2 + k]['object']})
        rep.write('evbpf vs libbpf: load and attach, program for program\n')
        rep.write('libraries: %s; kernel %s\n' % (', '.join(vers), os.uname().release))
        rep.write('columns: program, section, type, then per library: load, '
                  'BPF_PROG_TEST_RUN return value (packet programs), attach\n\n')
        for g, p, lb, ev in results:
            verdict, problems, notes = compare(p, lb, ev)
            label = '%s:%s' % (g, os.path.basename(p))
            lo, eo = lb['object'] or {}, ev['object'] or {}
            nl = sum(1 for j in lb['progs'].values() if j['load'] == 0)
            ne = sum(1 for j in ev['progs'].values() if j['load'] == 0)
            line = '[ %4s ] %-48s libbpf open %-8s %2d/%-2d loaded | evbpf open %-8s %2d/%-2d loaded' % (
                verdict, label, err_name(lo.get('open')), nl, len(lb['progs']),
                err_name(eo.get('open')), ne, len(ev['progs']))
            print(line)
            rep.write(line + '\n    ' + p + '\n')
            for pr in problems:
                txt = '  MISMATCH %s%s%s%s%s' % (
                    pr['what'],
                    (" prog '%s'" % pr['prog']) if pr['prog'] else '',
                    (' libbpf: %s' % pr['libbpf']) if pr['libbpf'] else '',
                    (' evbpf: %s' % pr['evbpf']) if pr['evbpf'] else '',
                    ('\n      evbpf log: ' + pr['log']) if pr['log'] else '')
                print(txt if len(txt) < 800 else txt[:800] + " ... (see report)")
                rep.write(txt + '\n')
                mismatches.append((label, pr))
            for n in notes:
                rep.write('  note: ' + n + '\n')
            for r in table_rows(lb, ev):
                rep.write(r + '\n')
            rep.write('\n')
            (passed if verdict == 'PASS' else failed).append(label)
        st = {'progs': 0, 'l_load': 0, 'both_load': 0, 'l_att': 0, 'both_att': 0,
              'same_insns': 0, 'e_only': 0}
        for g, p, lb, ev in results:
            for name, l in lb['progs'].items():
                e = ev['progs'].get(name) or {}
                st['progs'] += 1
                st['l_load'] += l['load'] == 0
                st['both_load'] += l['load'] == 0 and e.get('load') == 0
                st['l_att'] += l.get('attach') == 0
                st['both_att'] += l.get('attach') == 0 and e.get('attach') == 0
                st['same_insns'] += (l['load'] == 0 and e.get('load') == 0 and
                                     l.get('insns') == e.get('insns'))
            for name, e in ev['progs'].items():
                l = lb['progs'].get(name) or {}
                st['e_only'] += e.get('load') == 0 and l.get('load') != 0
        summary = ('%d objects: %d passed, %d failed; %d mismatches\n'
                   '%d programs libbpf opens: libbpf loads %d, evbpf loads %d of '
                   'them (%d with the same instructions); libbpf attaches %d, '
                   'evbpf %d of them; evbpf loads %d programs libbpf does not') % (
            len(results), len(passed), len(failed), len(mismatches), st['progs'],
            st['l_load'], st['both_load'], st['same_insns'], st['l_att'],
            st['both_att'], st['e_only'])
        rep.write(summary + '\n')
        for g in skipped:
            rep.write('corpus part missing: %s\n' % g)

    print(summary)
    print('report: ' + report_path)
    for g in skipped:
        print('compat: corpus part %s not found on this machine%s' % (
            g, ' (fails under CI=true)' if ci else ''))
    if skipped and ci:
        failed += ['corpus:' + g for g in skipped]
    elif skipped:
        print('[  SKIPPED ] %d test(s).' % len(skipped))
    print('[  PASSED  ] %d test(s).' % len(passed))
    if failed:
        print('[  FAILED  ] %d test(s).' % len(failed))
        for f in failed:
            print('  failed: ' + f)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
