#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Runs evbpf-bench with --json and prints, per bench, each consumer's rate
as a ratio to the system libbpf's row of the same run.

usage: bench_ratios.py [EVBPF_BENCH] [evbpf-bench options...]
"""
import json
import subprocess
import sys

bench = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('-') else 'evbpf-bench'
opts = [a for a in sys.argv[1:] if a != bench]
out = subprocess.run([bench, '--json'] + opts, stdout=subprocess.PIPE,
                     check=True, universal_newlines=True).stdout
rows = [json.loads(line) for line in out.splitlines() if line.strip()]
for r in rows:
    ratio = r.get('ratio_vs_libbpf')
    print('%-10s %-14s %-24s %12.0f/s  %s' % (
        r['bench'], r['consumer'], r['backend'], r['events_per_sec'],
        '%.2fx libbpf' % ratio if ratio else '-'))
if not rows or any(r.get('missing') for r in rows):
    sys.exit('bench_ratios: no rows, or records lost by a consumer')
