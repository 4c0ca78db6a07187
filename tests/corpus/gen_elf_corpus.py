#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Writes the malformed-ELF corpus of tests/corpus/elf/ from two valid seeds.

usage: gen_elf_corpus.py BASIC.o LEGACY.o OUTDIR

The seeds are tests/progs/loader_basic.bpf.o and loader_legacy.bpf.o with
debug sections stripped (llvm-strip --strip-debug); they are written as
good_*.o, every mutation as bad_<what>.o. Each bad file must make
bpf_object__open_mem() fail with one log line (tests/test_object_open.c) and
never crash (tests/fuzz/).
"""
import os
import struct
import sys


class Elf:
    def __init__(self, data):
        self.d = bytearray(data)
        (self.shoff,) = struct.unpack_from('<Q', self.d, 0x28)
        self.shentsize, self.shnum, self.shstrndx = struct.unpack_from('<HHH', self.d, 0x3a)

    def sh(self, i):
        off = self.shoff + i * self.shentsize
        name, typ, flags, addr, offset, size, link, info, align, entsize = \
            struct.unpack_from('<IIQQQQIIQQ', self.d, off)
        return dict(idx=i, hoff=off, name=name, type=typ, offset=offset, size=size,
                    link=link, info=info, entsize=entsize)

    def sec_name(self, s):
        strtab = self.sh(self.shstrndx)
        start = strtab['offset'] + s['name']
        return self.d[start:self.d.index(b'\0', start)].decode()

    def find(self, name):
        for i in range(self.shnum):
            s = self.sh(i)
            if self.sec_name(s) == name:
                return s
        raise KeyError(name)

    def set_sh(self, s, field, value):
        offs = dict(name=0, type=4, offset=0x18, size=0x20, link=0x28, info=0x2c, entsize=0x38)
        fmt = '<I' if field in ('name', 'type', 'link', 'info') else '<Q'
        struct.pack_into(fmt, self.d, s['hoff'] + offs[field], value)

    def symbols(self):
        st = self.find('.symtab')
        for i in range(st['size'] // 24):
            off = st['offset'] + i * 24
            name, info, other, shndx, value, size = struct.unpack_from('<IBBHQQ', self.d, off)
            yield dict(i=i, off=off, name=name, info=info, shndx=shndx, value=value, size=size)

    def sym_name(self, sym):
        strtab = self.sh(self.find('.symtab')['link'])
        start = strtab['offset'] + sym['name']
        return self.d[start:self.d.index(b'\0', start)].decode()

    def sym(self, name):
        for s in self.symbols():
            if self.sym_name(s) == name:
                return s
        raise KeyError(name)


def mutations(basic, legacy):
    b = bytes(basic)
    yield 'truncated_half', b[:len(b) // 2]
    yield 'truncated_header', b[:10]
    yield 'one_byte', b[:1]
    yield 'not_elf', b'\x7fELG' + b[4:]

    e = Elf(b); e.d[4] = 1  # ELFCLASS32
    yield 'class32', e.d
    e = Elf(b); e.d[5] = 2  # big endian
    yield 'big_endian', e.d
    e = Elf(b); struct.pack_into('<H', e.d, 0x12, 62)  # EM_X86_64
    yield 'wrong_machine', e.d
    e = Elf(b); struct.pack_into('<H', e.d, 0x3e, 0xfff0)
    yield 'bad_shstrndx', e.d
    e = Elf(b); struct.pack_into('<Q', e.d, 0x28, len(b) + 4096)
    yield 'shoff_beyond_file', e.d

    e = Elf(b); e.set_sh(e.find('xdp'), 'offset', len(b) + 100)
    yield 'section_data_beyond_file', e.d
    e = Elf(b); e.set_sh(e.find('.symtab'), 'link', 0x7777)
    yield 'symtab_bad_strtab_index', e.d
    e = Elf(b); e.set_sh(e.find('.relxdp'), 'link', 1)
    yield 'rel_wrong_symtab', e.d
    e = Elf(b); e.set_sh(e.find('xdp'), 'size', e.find('xdp')['size'] - 4)
    yield 'code_size_not_insn_multiple', e.d

    e = Elf(b); r = e.find('.relxdp')
    struct.pack_into('<Q', e.d, r['offset'], 0x100000)
    yield 'reloc_offset_outside_section', e.d
    e = Elf(b); r = e.find('.relxdp')
    (rinfo,) = struct.unpack_from('<Q', e.d, r['offset'] + 8)
    struct.pack_into('<Q', e.d, r['offset'] + 8, (0xffff << 32) | (rinfo & 0xffffffff))
    yield 'reloc_symbol_out_of_range', e.d
    e = Elf(b); r = e.find('.relxdp')
    (roff,) = struct.unpack_from('<Q', e.d, r['offset'])
    struct.pack_into('<Q', e.d, r['offset'], roff + 3)
    yield 'reloc_misaligned', e.d
    e = Elf(b); r = e.find('.relxdp')
    e.set_sh(r, 'entsize', 7)
    yield 'reloc_bad_entsize', e.d

    e = Elf(b); s = e.sym('xdp_main')
    struct.pack_into('<Q', e.d, s['off'] + 16, 0x100000)  # st_size
    yield 'func_size_outside_section', e.d
    e = Elf(b); s = e.sym('sock_prog')
    strtab = e.sh(e.find('.symtab')['link'])
    e.d[strtab['offset'] + s['name']:strtab['offset'] + s['name'] + 9] = b'xdp_main\0'
    yield 'duplicate_program_name', e.d
    e = Elf(b); s = e.sym('inner_b')
    strtab = e.sh(e.find('.symtab')['link'])
    # a map variable renamed in BTF: "inner_b" -> "inner_a"
    btf = e.find('.BTF')
    blob = bytes(e.d[btf['offset']:btf['offset'] + btf['size']])
    i = blob.index(b'\0inner_b\0')
    e.d[btf['offset'] + i + 1:btf['offset'] + i + 8] = b'inner_a'
    yield 'duplicate_map_name', e.d

    e = Elf(b); btf = e.find('.BTF')
    blob = bytes(e.d[btf['offset']:btf['offset'] + btf['size']])
    i = blob.index(b'\0map_flags\0')
    e.d[btf['offset'] + i + 1:btf['offset'] + i + 10] = b'map_flagz'
    yield 'unknown_map_attribute', e.d
    e = Elf(b); btf = e.find('.BTF')
    e.d[btf['offset']] ^= 0xff  # magic
    yield 'btf_bad_magic_with_maps', e.d
    e = Elf(b); btf = e.find('.BTF')
    e.set_sh(btf, 'size', 30)
    yield 'btf_truncated_with_maps', e.d
    e = Elf(b); ms = e.find('.maps')
    e.set_sh(ms, 'size', 8)
    yield 'maps_section_too_small', e.d

    l = bytes(legacy)
    e = Elf(l); m = e.find('maps')
    e.set_sh(m, 'size', m['size'] - 6)
    yield 'legacy_maps_bad_size', e.d
    e = Elf(l); s = e.sym('legacy_hash')
    struct.pack_into('<Q', e.d, s['off'] + 8, 0x10000)  # st_value
    yield 'legacy_map_outside_section', e.d
    e = Elf(l); lic = e.find('license')
    e.set_sh(lic, 'size', 0)
    yield 'empty_license', e.d


def main():
    basic = open(sys.argv[1], 'rb').read()
    legacy = open(sys.argv[2], 'rb').read()
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, 'good_basic.o'), 'wb').write(basic)
    open(os.path.join(out, 'good_legacy.o'), 'wb').write(legacy)
    for name, data in mutations(basic, legacy):
        open(os.path.join(out, 'bad_%s.o' % name), 'wb').write(bytes(data))


if __name__ == '__main__':
    main()
