#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds examples/ as the project of its own it is, against evbpf's build
# tree (the uninstalled pkg-config files, evbpf-gen and evbpf-bpf-skel of the
# build) in a scratch folder.
# The examples are compiled like the tree: same C compiler, same sanitizers
# (an instrumented libevbpf.so only links into instrumented programs).
#   check-examples-build.sh BUILD_ROOT SOURCE_ROOT CC B_SANITIZE
set -eu
build=$1 src=$2 cc=$3 sanitize=$4
out=$(mktemp -d "${TMPDIR:-/tmp}/evbpf-examples.XXXXXX")
trap 'rm -rf "$out"' EXIT
export PKG_CONFIG_PATH="$build/meson-uninstalled"
export PATH="$build/tools:$PATH"
opts=""
[ "$sanitize" = none ] || opts="-Db_sanitize=$sanitize -Db_lundef=false"
CC=$cc meson setup $opts "$out" "$src/examples" >"$out.log" 2>&1 || { cat "$out.log"; rm -f "$out.log"; exit 1; }
rm -f "$out.log"
ninja -C "$out"
for exe in bootstrap uprobe xdp_counter own_loop libevent_ring; do
	if [ ! -x "$out/$exe/$exe" ]; then
		if [ "$exe" = libevent_ring ] && ! pkg-config --exists libevent; then continue; fi
		if { [ "$exe" = bootstrap ] || [ "$exe" = uprobe ]; } && [ ! -e /sys/kernel/btf/vmlinux ]; then continue; fi
		echo "examples: $exe was not built"; exit 1
	fi
done
echo "examples: built against the build tree"
