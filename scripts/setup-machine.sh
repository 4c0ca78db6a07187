# Sourced by scripts/setup, scripts/test and scripts/run: the Debian packages
# evbpf needs, how to install them, and the pseudo file systems the kernel
# tests use.

EVBPF_PACKAGES=(gcc clang llvm libelf-dev zlib1g-dev liburing-dev libevent-dev
	libcmocka-dev meson ninja-build pkg-config python3 iproute2 libbpf-dev
	bpftool libclang-rt-14-dev libbpf-tools golang-go golang-github-cilium-ebpf-dev xdp-tools
	groff-base)

# Prints the packages of EVBPF_PACKAGES that are not installed (no root needed).
evbpf_missing_packages() {
	local p
	for p in "${EVBPF_PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || echo "$p"
	done
}

evbpf_install_packages() {
	local missing
	mapfile -t missing < <(evbpf_missing_packages)
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

evbpf_mount_fs() {
	if ! mountpoint -q /sys/fs/bpf; then
		mkdir -p /sys/fs/bpf
		mount -t bpf bpf /sys/fs/bpf
	fi
	if ! mountpoint -q /sys/kernel/tracing && [ -d /sys/kernel/tracing ]; then
		mount -t tracefs tracefs /sys/kernel/tracing || true
	fi
	if ! mountpoint -q /sys/kernel/debug && [ -d /sys/kernel/debug ]; then
		mount -t debugfs debugfs /sys/kernel/debug || true
	fi
	ulimit -l unlimited 2>/dev/null || true
}
