#!/usr/bin/env python3
"""Writes the seed inputs of the netlink, kconfig and ring fuzz targets
(tests/fuzz/fuzz_{netlink,kconfig,ring}.c describe the input layouts).
The core, btf_dump and usdt seeds are BTF and ELF files built once and
checked in as they are.

    python3 tests/corpus/gen_fuzz_corpus.py [tests/corpus]
"""
import gzip
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def put(sub, name, data):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
    with open(os.path.join(out, sub, name), 'wb') as f:
        f.write(data)


# ---- netlink: flag byte, then [u16 len][reply bytes] per recv() ----
NLMSG_ERROR, NLMSG_DONE, RTM_NEWLINK, RTM_NEWTFILTER = 2, 3, 16, 44
NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS = 2, 0x100, 0x200
IFLA_XDP, IFLA_XDP_ATTACHED, IFLA_XDP_PROG_ID = 43, 2, 4
IFLA_XDP_DRV_PROG_ID, IFLA_XDP_SKB_PROG_ID = 5, 6
TCA_KIND, TCA_OPTIONS, TCA_BPF_ID, TCA_BPF_FLAGS = 1, 2, 11, 8
NLMSGERR_ATTR_MSG = 1


def align4(b):
    return b + b'\0' * (-len(b) % 4)


def nla(t, payload):
    return align4(struct.pack('<HH', 4 + len(payload), t) + payload)


def nlmsg(t, payload, flags=0):
    return align4(struct.pack('<IHHII', 16 + len(payload), t, flags, 0, 0) + payload)


def ack(err=0, msg=None):
    body = struct.pack('<i', err) + struct.pack('<IHHII', 16, 0, 0, 0, 0)
    flags = NLM_F_CAPPED
    if msg is not None:
        body += nla(NLMSGERR_ATTR_MSG, msg.encode() + b'\0')
        flags |= NLM_F_ACK_TLVS
    return nlmsg(NLMSG_ERROR, body, flags)


def chunks(*parts):
    return b'\0' + b''.join(struct.pack('<H', len(p)) + p for p in parts)


ifinfo = struct.pack('<BBHiII', 0, 0, 1, 1, 0, 0)
xdp = nla(IFLA_XDP, nla(IFLA_XDP_ATTACHED, b'\x01') + nla(IFLA_XDP_PROG_ID, struct.pack('<I', 42)) +
          nla(IFLA_XDP_DRV_PROG_ID, struct.pack('<I', 42)) + nla(IFLA_XDP_SKB_PROG_ID, struct.pack('<I', 7)))
link = nlmsg(RTM_NEWLINK, ifinfo + xdp)
tcmsg = struct.pack('<BBHiIII', 0, 0, 0, 1, 1, 0xfffffff2, 0x00010300)
tc = nlmsg(RTM_NEWTFILTER, tcmsg + nla(TCA_KIND, b'bpf\0') +
           nla(TCA_OPTIONS, nla(TCA_BPF_ID, struct.pack('<I', 9)) + nla(TCA_BPF_FLAGS, struct.pack('<I', 1))),
           NLM_F_MULTI)
put('netlink', 'xdp_query_then_tc', chunks(link + ack(), ack(), link + ack(), tc + nlmsg(NLMSG_DONE, b'\0' * 4), ack(), ack()))
put('netlink', 'errors_with_ext_ack', chunks(ack(-22, 'bad ifindex'), ack(-1), ack(-95, 'not supported'),
                                              ack(-2), ack(-16, 'busy')))
put('netlink', 'split_replies', chunks(link, ack(), link[:20], tc, nlmsg(NLMSG_DONE, b''), ack(-17, 'exists')))

# ---- kconfig: the config file as is, plain and gzipped ----
cfg = b'''# comment
CONFIG_BPF=y
CONFIG_HZ=250
CONFIG_NR_CPUS=8192
CONFIG_SIGNED=-9223372036854775808
CONFIG_BYTE=-128
CONFIG_DEBUG_INFO_BTF=y
CONFIG_MODULES=m
CONFIG_LOCALVERSION="-evbpf \\"x\\""
CONFIG_DEFAULT_HOSTNAME="(none)"
# CONFIG_FOO is not set
CONFIG_HEX=0x7fffffff
'''
put('kconfig', 'plain.config', cfg)
put('kconfig', 'gzip.config.gz', gzip.compress(cfg, mtime=0))
put('kconfig', 'bad_values.config', b'CONFIG_HZ=abc\nCONFIG_BYTE=300\nCONFIG_BPF=q\nCONFIG_LOCALVERSION="unterminated\n')

# ---- ring: flags, size byte, u64 consumer position, s16 producer delta
# (8-byte units), data ----
BUSY, DISCARD = 1 << 31, 1 << 30


def rb_rec(payload, hdr_flags=0):
    rec = struct.pack('<II', len(payload) | hdr_flags, 0) + payload
    return rec + b'\0' * (-len(rec) % 8)


def ring_input(flags, cons, data, delta=None):
    if delta is None:
        delta = len(data) // 8
    return struct.pack('<BBQh', flags, 0, cons, delta) + data


recs = rb_rec(b'a' * 5) + rb_rec(b'b' * 16, DISCARD) + rb_rec(b'c' * 13) + rb_rec(b'd' * 4, BUSY)
put('ring', 'bpf_mixed', ring_input(0x10, 0, recs))
put('ring', 'bpf_each_stop', ring_input(0x05, 0, recs))
put('ring', 'bpf_hold', ring_input(0x08, 0, rb_rec(b'x' * 100) * 3))
put('ring', 'bpf_wraps', ring_input(0x00, 4096 - 16, rb_rec(b'w' * 40)))


def perf_rec(t, payload):
    size = 8 + len(payload)
    size += -size % 8
    return struct.pack('<IHH', t, 0, size) + payload + b'\0' * (size - 8 - len(payload))


sample = perf_rec(9, struct.pack('<I', 12) + b's' * 12)
lost = perf_rec(2, struct.pack('<QQ', 1, 3))
put('ring', 'perf_mixed', ring_input(0x90, 0, sample + lost + sample + perf_rec(3, b'comm')))
put('ring', 'perf_raw', ring_input(0x84, 0, sample * 4))
put('ring', 'perf_wraps', ring_input(0x80, 4096 - 8, sample * 2))
