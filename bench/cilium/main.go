// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)

// evbpf-bench-cilium: the bench's producers consumed by cilium/ebpf's
// ringbuf.Reader and perf.Reader, the readers Go programs pick. evbpf-bench
// runs it as a subprocess, like the libbpf reference, with the same producer
// options, and reads one JSON line of metrics per run from its stdout.
//
//	evbpf-bench-cilium --obj bench_prod.bpf.o --mode ringbuf|perf [--runs N] [options]
//
// The producers' .rodata must be frozen before their programs load, so the
// verifier sees the configuration as constants (record size, wakeup mode);
// the loader of cilium/ebpf 0.9.1 freezes it only after loading programs.
// So the .rodata map is created, filled and frozen here and handed to the
// loader as a replacement.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"
)

// The layouts of bench/bench_rec.h.
type benchConf struct {
	RecSize, UseOutput, Wakeup, SampleN, TargetTgid, TsMask uint32
}

type benchStats struct {
	Produced, Dropped uint64
}

type benchCtl struct {
	Stop, Pad uint32
}

type params struct {
	obj, mode, producer            string
	runs, recSize, threads         int
	count                          uint64
	durationMs, rate, ringSize     int
	pbPages, latEvery, prodCPU     int
	consCPU                        int
	fifo, countSyscalls, useOutput bool
}

type result struct {
	events, bytes, produced, drops, lost uint64
	elapsedNs, cpuNs                     uint64
	syscalls, wakeups                    int64
	p50, p99, samples                    uint64
}

func monoNow() uint64 {
	var ts unix.Timespec

	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}

func threadCPU() uint64 {
	var ts unix.Timespec

	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return uint64(ts.Nano())
}

func threadVcsw() int64 {
	var ru unix.Rusage

	if unix.Getrusage(unix.RUSAGE_THREAD, &ru) != nil {
		return 0
	}
	return ru.Nvcsw
}

func pin(cpu int) {
	var set unix.CPUSet

	if cpu < 0 {
		return
	}
	set.Set(cpu % runtime.NumCPU())
	unix.SchedSetaffinity(0, &set)
}

func tracepointID(cat, name string) (int, error) {
	for _, root := range []string{"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"} {
		b, err := os.ReadFile(root + "/" + cat + "/" + name + "/id")
		if err == nil {
			return strconv.Atoi(strings.TrimSpace(string(b)))
		}
	}
	return 0, fmt.Errorf("tracepoint %s:%s not found", cat, name)
}

// Counts the calling thread's system calls (raw_syscalls:sys_enter).
func syscallCounter() int {
	id, err := tracepointID("raw_syscalls", "sys_enter")
	if err != nil {
		return -1
	}
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_TRACEPOINT, Config: uint64(id)}
	attr.Size = uint32(unsafe.Sizeof(attr))
	fd, err := unix.PerfEventOpen(&attr, 0, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return -1
	}
	return fd
}

func readCounter(fd int) int64 {
	var b [8]byte

	if fd < 0 {
		return -1
	}
	if n, err := unix.Read(fd, b[:]); err != nil || n != 8 {
		return -1
	}
	return int64(binary.LittleEndian.Uint64(b[:]))
}

// Loads the producer the run needs, with the configuration frozen first.
func load(p *params, pb bool) (*ebpf.Collection, string, error) {
	spec, err := ebpf.LoadCollectionSpec(p.obj)
	if err != nil {
		return nil, "", err
	}
	want := "xdp_rb"
	switch {
	case pb && p.producer == "tp":
		want = "tp_pb"
	case pb:
		want = "xdp_pb"
	case p.producer == "tp":
		want = "tp_rb"
	}
	for name := range spec.Programs {
		if name != want {
			delete(spec.Programs, name)
		}
	}
	conf := benchConf{
		RecSize:    uint32(p.recSize),
		TargetTgid: uint32(os.Getpid()),
		SampleN:    500,
	}
	if p.useOutput {
		conf.UseOutput = 1
	}
	if p.latEvery > 0 {
		conf.TsMask = uint32(p.latEvery - 1)
	}
	ro, ok := spec.Maps[".rodata"]
	if !ok || len(ro.Contents) != 1 {
		return nil, "", errors.New("producer object has no .rodata")
	}
	val, ok := ro.Contents[0].Value.([]byte)
	if !ok || len(val) < int(unsafe.Sizeof(conf)) {
		return nil, "", errors.New("unexpected .rodata contents")
	}
	ro = ro.Copy()
	buf := append([]byte(nil), val...)
	vals := []uint32{conf.RecSize, conf.UseOutput, conf.Wakeup, conf.SampleN,
		conf.TargetTgid, conf.TsMask}
	for i, v := range vals {
		binary.LittleEndian.PutUint32(buf[4*i:], v)
	}
	ro.Contents = []ebpf.MapKV{{Key: uint32(0), Value: buf}}
	ro.Freeze = true
	rodata, err := ebpf.NewMap(ro)
	if err != nil {
		return nil, "", fmt.Errorf(".rodata: %w", err)
	}
	defer rodata.Close()
	// the replacement is filled and frozen: the loader must not touch it
	spec.Maps[".rodata"].Contents = nil
	spec.Maps[".rodata"].Freeze = false
	spec.Maps["rb"].MaxEntries = uint32(p.ringSize)
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{
		MapReplacements: map[string]*ebpf.Map{".rodata": rodata},
	})
	if err != nil {
		return nil, "", err
	}
	return coll, want, nil
}

func stop(coll *ebpf.Collection) {
	coll.Maps["ctl"].Update(uint32(0), benchCtl{Stop: 1}, ebpf.UpdateAny)
}

// reader is what both cilium/ebpf readers offer.
type reader interface {
	next() ([]byte, uint64, error) // sample, lost samples
	Close() error
}

type rbReader struct {
	*ringbuf.Reader
	rec ringbuf.Record
}

func (r *rbReader) next() ([]byte, uint64, error) {
	err := r.ReadInto(&r.rec)
	return r.rec.RawSample, 0, err
}

type pbReader struct {
	*perf.Reader
	rec perf.Record
}

func (r *pbReader) next() ([]byte, uint64, error) {
	err := r.ReadInto(&r.rec)
	return r.rec.RawSample, r.rec.LostSamples, err
}

func produce(p *params, coll *ebpf.Collection, prog string, started chan<- struct{},
	done chan<- error) {
	runtime.LockOSThread()
	pin(p.prodCPU)
	close(started)
	if p.producer == "tp" {
		period := time.Duration(0)
		if p.rate > 0 {
			period = time.Second / time.Duration(p.rate)
		}
		start := time.Now()
		for i := uint64(0); i < p.count; i++ {
			if period > 0 {
				for time.Since(start) < time.Duration(i)*period {
				}
			}
			unix.Getpgid(0)
		}
		done <- nil
		return
	}
	pkt := make([]byte, 64)
	_, _, err := coll.Programs[prog].Benchmark(pkt, int(p.count), nil)
	done <- err
}

func attachTP(prog *ebpf.Program) (int, error) {
	id, err := tracepointID("syscalls", "sys_enter_getpgid")
	if err != nil {
		return -1, err
	}
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_TRACEPOINT, Config: uint64(id),
		Sample: 1, Wakeup: 1}
	attr.Size = uint32(unsafe.Sizeof(attr))
	fd, err := unix.PerfEventOpen(&attr, -1, 0, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return -1, err
	}
	if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_SET_BPF, prog.FD()); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_ENABLE, 0); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// Untimed laps before a ring-buffer run of the XDP producer, as evbpf-bench
// gives every consumer (bench_consumer_warm): the producer fills 90 % of the
// ring and the reader takes it through its own mapping, until the ring has
// been written once. The first read of each page through a new mapping costs
// microseconds in this kind of hypervisor; a long-running reader pays that
// once. Returns the producers' counters after the laps.
func warm(p *params, coll *ebpf.Collection, prog string, rd reader) (uint64, uint64, error) {
	if p.mode == "perf" || p.producer == "tp" {
		return 0, 0, nil
	}
	recBytes := (p.recSize+7)&^7 + 8
	fit := p.ringSize / recBytes * 9 / 10
	pkt := make([]byte, 64)
	for covered := 0; fit > 0 && covered < p.ringSize; covered += fit * recBytes {
		if _, _, err := coll.Programs[prog].Benchmark(pkt, fit, nil); err != nil {
			return 0, 0, err
		}
		for i := 0; i < fit; i++ {
			if _, _, err := rd.next(); err != nil {
				return 0, 0, err
			}
		}
	}
	var st []benchStats
	if err := coll.Maps["stats"].Lookup(uint32(0), &st); err != nil {
		return 0, 0, err
	}
	var produced, dropped uint64
	for _, s := range st {
		produced += s.Produced
		dropped += s.Dropped
	}
	return produced, dropped, nil
}

func run(p *params) (*result, error) {
	pb := p.mode == "perf"
	coll, prog, err := load(p, pb)
	if err != nil {
		return nil, err
	}
	defer coll.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pin(p.consCPU)
	if p.fifo {
		// SCHED_FIFO, priority 50, for this thread
		sp := [1]int32{50}
		if _, _, e := unix.RawSyscall(unix.SYS_SCHED_SETSCHEDULER, 0, 1,
			uintptr(unsafe.Pointer(&sp[0]))); e != 0 {
			return nil, fmt.Errorf("SCHED_FIFO: %w", e)
		}
		zero := [1]int32{0}
		defer unix.RawSyscall(unix.SYS_SCHED_SETSCHEDULER, 0, 0,
			uintptr(unsafe.Pointer(&zero[0])))
	}
	var rd reader
	if pb {
		r, err := perf.NewReader(coll.Maps["pb"], p.pbPages*os.Getpagesize())
		if err != nil {
			return nil, err
		}
		rd = &pbReader{Reader: r}
	} else {
		r, err := ringbuf.NewReader(coll.Maps["rb"])
		if err != nil {
			return nil, err
		}
		rd = &rbReader{Reader: r}
	}
	defer rd.Close()
	if p.producer == "tp" {
		fd, err := attachTP(coll.Programs[prog])
		if err != nil {
			return nil, err
		}
		defer unix.Close(fd)
	}
	warmProduced, warmDropped, err := warm(p, coll, prog, rd)
	if err != nil {
		return nil, err
	}
	sysFd := -1
	if p.countSyscalls {
		sysFd = syscallCounter()
		if sysFd >= 0 {
			defer unix.Close(sysFd)
		}
	}

	var target, events uint64
	target = ^uint64(0)
	done := make(chan error, 1)
	started := make(chan struct{})
	finished := make(chan error, 1)
	go produce(p, coll, prog, started, done)
	// Stops the producers after the duration; once they are done, waits
	// for the consumer to take every committed record, then unblocks it.
	go func() {
		var timeout <-chan time.Time
		// the duration counts from when the producer runs
		<-started
		if p.durationMs > 0 {
			timeout = time.After(time.Duration(p.durationMs) * time.Millisecond)
		}
		var err error
		select {
		case err = <-done:
		case <-timeout:
			stop(coll)
			err = <-done
		}
		var st []benchStats
		if e := coll.Maps["stats"].Lookup(uint32(0), &st); e != nil && err == nil {
			err = e
		}
		var produced uint64
		for _, s := range st {
			produced += s.Produced
		}
		produced -= warmProduced
		atomic.StoreUint64(&target, produced)
		deadline := time.Now().Add(30 * time.Second)
		for atomic.LoadUint64(&events) < produced && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		finished <- err
		rd.Close()
	}()

	res := &result{}
	mask := uint64(0)
	if p.latEvery > 0 {
		mask = uint64(p.latEvery - 1)
	}
	lat := make([]uint64, 0, 1<<16)
	var firstTs, tLast, cpu0 uint64
	var sys0, vcsw0 int64
	// CLOCK_MONOTONIC from time.Now() (vDSO): an offset taken once
	base, baseMono := time.Now(), monoNow()
	now := func() uint64 { return baseMono + uint64(time.Since(base)) }
	for {
		sample, lost, err := rd.next()
		if err != nil {
			if errors.Is(err, ringbuf.ErrClosed) || errors.Is(err, perf.ErrClosed) {
				break
			}
			return nil, err
		}
		if lost > 0 {
			res.lost += lost
			continue
		}
		if len(sample) < 16 {
			continue
		}
		ts := binary.LittleEndian.Uint64(sample)
		seq := binary.LittleEndian.Uint32(sample[8:])
		// after the untimed laps the first record may carry no stamp:
		// the span starts at the first that does
		if firstTs == 0 {
			firstTs = ts
		}
		if events == 0 {
			cpu0 = threadCPU()
			vcsw0 = threadVcsw()
			sys0 = readCounter(sysFd)
		}
		n := atomic.AddUint64(&events, 1)
		res.bytes += uint64(len(sample))
		if uint64(seq)&mask == 0 {
			t := now()
			tLast = t
			if t > ts {
				lat = append(lat, t-ts)
			} else {
				lat = append(lat, 0)
			}
		} else if n&63 == 0 {
			tLast = now()
		}
		if n >= atomic.LoadUint64(&target) {
			tLast = now()
			break
		}
	}
	res.events = atomic.LoadUint64(&events)
	if res.events > 0 {
		res.cpuNs = threadCPU() - cpu0
		res.wakeups = threadVcsw() - vcsw0
		if sysFd >= 0 {
			res.syscalls = readCounter(sysFd) - sys0
		} else {
			res.syscalls = -1
		}
	}
	rd.Close()
	if err := <-finished; err != nil {
		return nil, err
	}
	var st []benchStats
	if err := coll.Maps["stats"].Lookup(uint32(0), &st); err != nil {
		return nil, err
	}
	for _, s := range st {
		res.produced += s.Produced
		res.drops += s.Dropped
	}
	res.produced -= warmProduced
	res.drops -= warmDropped
	if res.events == 0 {
		return nil, errors.New("no records delivered")
	}
	if tLast > firstTs {
		res.elapsedNs = tLast - firstTs
	} else {
		res.elapsedNs = 1
	}
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[len(lat)*99/100]
		res.samples = uint64(len(lat))
	}
	return res, nil
}

// Numbers as evbpf-bench passes them (plain, or with k/M/G, Ki/Mi/Gi).
func num(s string) (uint64, error) {
	mult := 1.0
	for _, sfx := range []struct {
		s string
		m float64
	}{{"Ki", 1024}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}} {
		if strings.HasSuffix(s, sfx.s) {
			s, mult = strings.TrimSuffix(s, sfx.s), sfx.m
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return uint64(v * mult), err
}

func main() {
	// The tracepoint producer is a goroutine that spins between its
	// syscalls and holds a P; the consumer, back from epoll_wait, must
	// never wait for one (a latency the C harness's pthreads do not have).
	runtime.GOMAXPROCS(runtime.NumCPU() + 2)
	p := params{}
	var count string
	fs := flag.NewFlagSet("evbpf-bench-cilium", flag.ExitOnError)
	fs.StringVar(&p.obj, "obj", "", "producer object")
	fs.StringVar(&p.mode, "mode", "ringbuf", "ringbuf | perf")
	fs.StringVar(&p.producer, "producer", "xdp", "xdp | tp")
	fs.IntVar(&p.runs, "runs", 1, "runs")
	fs.IntVar(&p.recSize, "record-size", 16, "bytes per record")
	fs.StringVar(&count, "count", "2000000", "records per run")
	fs.IntVar(&p.durationMs, "duration-ms", 1000, "stop the producer after this long")
	fs.IntVar(&p.rate, "rate", 0, "tracepoint producer rate")
	fs.IntVar(&p.threads, "threads", 1, "producer threads (1 only)")
	fs.IntVar(&p.ringSize, "ring-size", 4<<20, "ring buffer bytes")
	fs.IntVar(&p.pbPages, "pb-pages", 256, "perf pages per CPU")
	fs.Int("pb-wakeup", 0, "ignored")
	fs.IntVar(&p.latEvery, "lat-every", 256, "latency of one record in N")
	fs.Int("poll-ms", 1, "ignored: the readers block")
	fs.IntVar(&p.prodCPU, "prod-cpu", 0, "producer CPU")
	fs.IntVar(&p.consCPU, "cons-cpu", 1, "consumer CPU")
	fs.String("wakeup", "default", "default only")
	fs.BoolVar(&p.fifo, "fifo", false, "consumer at SCHED_FIFO")
	fs.BoolVar(&p.countSyscalls, "count-syscalls", false, "count the consumer's syscalls")
	fs.BoolVar(&p.useOutput, "output", false, "bpf_ringbuf_output()")
	fs.Bool("prefill", false, "not supported")
	fs.Parse(os.Args[1:])
	c, err := num(count)
	if err != nil || p.obj == "" || (p.mode != "ringbuf" && p.mode != "perf") {
		fmt.Fprintln(os.Stderr, "usage: evbpf-bench-cilium --obj FILE --mode ringbuf|perf [options]")
		os.Exit(2)
	}
	if w := fs.Lookup("wakeup").Value.String(); w != "default" || p.threads != 1 ||
		fs.Lookup("prefill").Value.String() == "true" {
		fmt.Fprintln(os.Stderr, "evbpf-bench-cilium: only default wakeups, one producer thread, no prefill")
		os.Exit(2)
	}
	p.count = c
	for i := 0; i < p.runs; i++ {
		r, err := run(&p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "evbpf-bench-cilium: run failed: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("{\"events\":%d,\"bytes\":%d,\"produced\":%d,\"drops\":%d,\"lost\":%d,"+
			"\"elapsed_ns\":%d,\"consumer_cpu_ns\":%d,\"syscalls\":%d,\"wakeups\":%d,"+
			"\"lat_p50_ns\":%d,\"lat_p99_ns\":%d,\"lat_samples\":%d}\n",
			r.events, r.bytes, r.produced, r.drops, r.lost, r.elapsedNs, r.cpuNs,
			r.syscalls, r.wakeups, r.p50, r.p99, r.samples)
	}
}
