// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evbpf-bench output: summary statistics, the table, JSON lines, the SVG. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evbpf-bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Summary columns of @r over its results [from, r->nres). */
static void summarize_one(struct bench_row *r, unsigned from)
{
	double eps[BENCH_MAX_RUNS], cpu[BENCH_MAX_RUNS], sys[BENCH_MAX_RUNS];
	double wake[BENCH_MAX_RUNS], p50[BENCH_MAX_RUNS], p99[BENCH_MAX_RUNS];
	double drops[BENCH_MAX_RUNS], evs[BENCH_MAX_RUNS], blk[BENCH_MAX_RUNS];
	double missing = 0;
	unsigned i, n = 0, nsys = 0, nlat = 0, ncpu = 0, nblk = 0;

	r->ratio = -1;
	r->limit_ratio = -1;
	r->blocked_per_op = -1;
	r->sys_per_kev = -1;
	r->cpu_ns_per_ev = -1;
	r->lat_p50 = r->lat_p99 = -1;
	r->eps_med = r->eps_min = r->eps_max = 0;
	if (from >= r->nres)
		return;
	for (i = from; i < r->nres; i++, n++) {
		const struct bench_result *x = &r->res[i];
		double ev = x->events ? (double)x->events : 1;

		eps[n] = x->elapsed_ns ? x->events * 1e9 / x->elapsed_ns : 0;
		if (x->cpu_ns)
			cpu[ncpu++] = x->cpu_ns / ev;
		if (x->syscalls >= 0)
			sys[nsys++] = x->syscalls * 1000.0 / ev;
		wake[n] = x->wakeups * 1000.0 / ev;
		if (x->lat_samples) {
			p50[nlat] = (double)x->lat_p50_ns;
			p99[nlat++] = (double)x->lat_p99_ns;
		}
		if (x->blocked_ns)
			blk[nblk++] = x->blocked_ns / ev;
		drops[n] = (double)x->drops;
		evs[n] = (double)x->events;
		/* committed by the producers but never delivered: a consumer bug */
		if (x->produced > x->events && !r->unit && !r->is_limit)
			missing += (double)(x->produced - x->events);
	}
	r->eps_med = median(eps, n);
	r->eps_min = eps[0];
	r->eps_max = eps[n - 1];
	if (ncpu)
		r->cpu_ns_per_ev = median(cpu, ncpu);
	if (nsys)
		r->sys_per_kev = median(sys, nsys);
	if (r->sys_counted_per_kev >= 0)
		r->sys_per_kev = r->sys_counted_per_kev;
	r->wake_per_kev = median(wake, n);
	if (nlat) {
		r->lat_p50 = median(p50, nlat);
		r->lat_p99 = median(p99, nlat);
	}
	if (nblk)
		r->blocked_per_op = median(blk, nblk);
	r->missing = missing;
	r->drops = median(drops, n);
	r->events = median(evs, n);
}

/* Ratios of every row to its libbpf row and to its limit, from the summary
 * columns as they are now. */
static void compare(struct bench_row *rows, unsigned n)
{
	unsigned i, j;

	for (i = 0; i < n; i++) {
		struct bench_row *r = &rows[i];

		if (!r->nres || r->eps_med <= 0)
			continue;
		if (r->p.rate && !r->unit)
			r->limit_ratio = r->eps_med / r->p.rate;
		for (j = 0; j < n && !r->is_limit; j++) {
			const struct bench_row *l = &rows[j];

			if (l->is_limit && l->nres && l->eps_med > 0 &&
			    !strcmp(l->bench, r->bench)) {
				r->limit_ratio = r->eps_med / l->eps_med;
				break;
			}
		}
		if (!r->cmp)
			continue;
		for (j = 0; j < n; j++) {
			const struct bench_row *l = &rows[j];

			if (l->runner == BENCH_R_LIBBPF && l->nres && l->cmp &&
			    !strcmp(l->bench, r->bench) && !strcmp(l->cmp, r->cmp) &&
			    l->eps_med > 0) {
				if (r->ratio_by_p99)
					r->ratio = r->lat_p99 > 0 && l->lat_p99 > 0
						   ? l->lat_p99 / r->lat_p99 : -1;
				else
					r->ratio = r->eps_med / l->eps_med;
				break;
			}
		}
	}
}

void bench_summarize_round(struct bench_row *rows, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		summarize_one(&rows[i], rows[i].round_start);
	compare(rows, n);
	for (i = 0; i < n; i++) {
		struct bench_row *r = &rows[i];

		if (r->nrounds >= BENCH_MAX_ROUNDS || r->round_start >= r->nres)
			continue;
		r->round_eps[r->nrounds] = r->eps_med;
		r->round_ratio[r->nrounds] = r->ratio;
		r->round_limit[r->nrounds] = r->limit_ratio;
		r->nrounds++;
	}
}

/* Median and [min..max] of the non-negative values of @v; -1 when none. */
static void spread(const double *v, unsigned n, double *med, double *lo, double *hi)
{
	double t[BENCH_MAX_ROUNDS];
	unsigned i, k = 0;

	for (i = 0; i < n; i++)
		if (v[i] >= 0)
			t[k++] = v[i];
	if (!k) {
		*med = *lo = *hi = -1;
		return;
	}
	*med = median(t, k);
	*lo = t[0];
	*hi = t[k - 1];
}

void bench_summarize(struct bench_row *rows, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct bench_row *r = &rows[i];
		double lo, hi;

		summarize_one(r, 0);
		r->ratio_min = r->ratio_max = r->limit_min = r->limit_max = -1;
		if (r->nrounds > 1) {
			spread(r->round_eps, r->nrounds, &r->eps_med, &lo, &hi);
			r->eps_min = lo;
			r->eps_max = hi;
		}
	}
	compare(rows, n);
	for (i = 0; i < n; i++) {
		struct bench_row *r = &rows[i];

		if (r->nrounds > 1) {
			spread(r->round_ratio, r->nrounds, &r->ratio, &r->ratio_min, &r->ratio_max);
			spread(r->round_limit, r->nrounds, &r->limit_ratio, &r->limit_min,
			       &r->limit_max);
		} else {
			r->ratio_min = r->ratio_max = r->ratio;
			r->limit_min = r->limit_max = r->limit_ratio;
		}
	}
}

static const char *human(double v, char *buf, size_t sz)
{
	if (v >= 1e9)
		snprintf(buf, sz, "%.2f G", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, sz, "%.2f M", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, sz, "%.1f k", v / 1e3);
	else
		snprintf(buf, sz, "%.1f", v);
	return buf;
}

static const char *opt_num(double v, const char *fmt, char *buf, size_t sz)
{
	if (v < 0)
		return "-";
	snprintf(buf, sz, fmt, v);
	return buf;
}

static const char *wakeup_label(const struct bench_row *r, char *buf, size_t sz)
{
	const struct bench_params *p = &r->p;

	if (p->buffer == BENCH_BUF_PB)
		return "perf";
	switch (p->conf.wakeup) {
	case BENCH_WAKE_SAMPLED:
		snprintf(buf, sz, "sampled/%u", p->conf.sample_n);
		return buf;
	case BENCH_WAKE_NONE:
		snprintf(buf, sz, "timer/%uus", p->timer_us);
		return buf;
	case BENCH_WAKE_ADAPTIVE:
		snprintf(buf, sz, "adapt/%uk", p->conf.sample_n / 1024);
		return buf;
	default:
		return "default";
	}
}

/* "1.23x [1.01..1.40]" or "1.23x" or "-" */
static const char *ratio_str(double v, double lo, double hi, const char *sfx,
			     char *buf, size_t sz)
{
	if (v < 0)
		return "-";
	if (lo >= 0 && hi >= 0 && (lo != v || hi != v))
		snprintf(buf, sz, "%.2f%s [%.2f..%.2f]", v, sfx, lo, hi);
	else
		snprintf(buf, sz, "%.2f%s", v, sfx);
	return buf;
}

void bench_print_table(FILE *f, const struct bench_row *rows, unsigned n)
{
	const char *last = "";
	unsigned i;

	fprintf(f, "%-12s %-14s %-22s %5s %-12s %10s %-21s %8s %9s %8s %8s %8s %8s %-20s %-20s %s\n",
		"bench", "consumer", "backend", "size", "wakeup", "rate/s", "  [min .. max]",
		"drops", "cpu ns/ev", "sys/kev", "wake/kev", "p50 us", "p99 us", "vs libbpf",
		"of limit", "blocked ns/op");
	for (i = 0; i < n; i++) {
		const struct bench_row *r = &rows[i];
		char a[32], b[32], c[32], d[32], e[32], g[32], h[32], k[48], w[32], mm[80];
		char bl[32], lm[48];

		if (strcmp(last, r->bench))
			fputc('\n', f);
		last = r->bench;
		if (!r->nres) {
			fprintf(f, "%-12s %-14s %-22s  failed: %s\n", r->bench, r->consumer,
				r->backend, strerror(-r->err));
			continue;
		}
		snprintf(mm, sizeof(mm), "[%s .. %s]", human(r->eps_min, a, sizeof(a)),
			 human(r->eps_max, b, sizeof(b)));
		fprintf(f, "%-12s %-14s %-22s %5u %-12s %10s %-21s %8.0f %9s %8s %8.1f %8s %8s %-20s %-20s %s\n",
			r->bench, r->consumer, r->backend, r->p.conf.rec_size,
			r->unit ? r->unit : wakeup_label(r, w, sizeof(w)),
			human(r->eps_med, c, sizeof(c)), mm, r->drops,
			opt_num(r->cpu_ns_per_ev, "%.1f", d, sizeof(d)),
			opt_num(r->sys_per_kev, "%.2f", e, sizeof(e)), r->wake_per_kev,
			opt_num(r->lat_p50 < 0 ? -1 : r->lat_p50 / 1000, "%.1f", g, sizeof(g)),
			opt_num(r->lat_p99 < 0 ? -1 : r->lat_p99 / 1000, "%.1f", h, sizeof(h)),
			ratio_str(r->ratio, r->ratio_min, r->ratio_max, "x", k, sizeof(k)),
			r->is_limit ? "limit" :
			ratio_str(r->limit_ratio, r->limit_min, r->limit_max, "", lm, sizeof(lm)),
			r->blocked_per_op < 0 ? "" : opt_num(r->blocked_per_op, "%.0f", bl, sizeof(bl)));
	}
	for (i = 0; i < n; i++)
		if (rows[i].nres && rows[i].missing > 0)
			fprintf(f, "WARNING: %s %s %s: %.0f records committed but never delivered\n",
				rows[i].bench, rows[i].consumer, rows[i].backend, rows[i].missing);
}

static void json_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "\"%s\":\"", key);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputs("\",", f);
}

static void json_num(FILE *f, const char *key, double v, bool last)
{
	if (v < 0 || isnan(v))
		fprintf(f, "\"%s\":null%s", key, last ? "" : ",");
	else
		fprintf(f, "\"%s\":%.6g%s", key, v, last ? "" : ",");
}

void bench_print_json(FILE *f, const struct bench_row *rows, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		const struct bench_row *r = &rows[i];
		char w[32];

		fputc('{', f);
		json_str(f, "bench", r->bench);
		json_str(f, "consumer", r->consumer);
		json_str(f, "backend", r->backend);
		fprintf(f, "\"record_size\":%u,", r->p.conf.rec_size);
		json_str(f, "wakeup", wakeup_label(r, w, sizeof(w)));
		json_str(f, "unit", r->unit ? r->unit : "events/s");
		fprintf(f, "\"runs\":%u,", r->nres);
		if (!r->nres) {
			fprintf(f, "\"error\":\"%s\"}\n", strerror(-r->err));
			continue;
		}
		json_num(f, "events", r->events, false);
		json_num(f, "drops", r->drops, false);
		json_num(f, "missing", r->missing, false);
		json_num(f, "events_per_sec", r->eps_med, false);
		json_num(f, "events_per_sec_min", r->eps_min, false);
		json_num(f, "events_per_sec_max", r->eps_max, false);
		json_num(f, "consumer_cpu_ns_per_event", r->cpu_ns_per_ev, false);
		json_num(f, "syscalls_per_kevent", r->sys_per_kev, false);
		json_num(f, "wakeups_per_kevent", r->wake_per_kev, false);
		json_num(f, "lat_p50_ns", r->lat_p50, false);
		json_num(f, "lat_p99_ns", r->lat_p99, false);
		json_num(f, "blocked_ns_per_op", r->blocked_per_op, false);
		json_num(f, "ratio_vs_libbpf_min", r->ratio_min, false);
		json_num(f, "ratio_vs_libbpf_max", r->ratio_max, false);
		json_num(f, "ratio_vs_limit", r->limit_ratio, false);
		json_num(f, "ratio_vs_limit_min", r->limit_min, false);
		json_num(f, "ratio_vs_limit_max", r->limit_max, false);
		fprintf(f, "\"limit\":%s,\"rounds\":%u,", r->is_limit ? "true" : "false",
			r->nrounds);
		json_num(f, "ratio_vs_libbpf", r->ratio, true);
		fputs("}\n", f);
	}
}

/* ---- SVG: one section per bench, each on its own log axis and unit ---- */

static const char *bar_color(const struct bench_row *r)
{
	if (r->runner == BENCH_R_LIBBPF)
		return "#9a9a9a";
	if (r->runner == BENCH_R_CILIUM)
		return "#d08a2c";
	if (r->is_limit)
		return "#3c9a4a";
	if (r->runner == BENCH_R_COMPAT)
		return "#7fa7e8";
	return "#1f5fc9";
}

static void svg_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

/* What a row is drawn by: latency benches by their p99 (µs, lower is
 * better), every other bench by its rate in its own unit. */
static bool by_latency(const struct bench_row *r)
{
	return r->ratio_by_p99;
}

static double plot_value(const struct bench_row *r)
{
	return by_latency(r) ? r->lat_p99 / 1000 : r->eps_med;
}

static bool plottable(const struct bench_row *r)
{
	return r->nres && plot_value(r) > 0;
}

static const char *plot_unit(const struct bench_row *r)
{
	if (by_latency(r))
		return "p99 latency, us (shorter is better)";
	return r->unit ? r->unit : "records/s";
}

int bench_write_svg(const char *path, const struct bench_row *rows, unsigned n,
		    const char *title)
{
	const int left = 380, plot_w = 460, row_h = 20, top = 66, sec_gap = 46;
	int y, height = top + 20, d;
	unsigned i, j;
	FILE *f;

	for (i = 0; i < n; i = j) {
		bool any = false;

		for (j = i; j < n && !strcmp(rows[j].bench, rows[i].bench); j++)
			if (plottable(&rows[j])) {
				height += row_h;
				any = true;
			}
		if (any)
			height += sec_gap;
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n", left + plot_w + 260, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">");
	svg_text(f, title);
	fprintf(f, "</text>\n<text x=\"10\" y=\"36\" fill=\"#555\">each bench on its own log "
		"axis and unit; bar = median, line = min..max; (N.NNx lib) = ratio to system "
		"libbpf, (0.NN lim) = fraction of the producer-alone limit</text>\n");
	fprintf(f, "<text x=\"10\" y=\"52\" fill=\"#555\">grey: system libbpf; orange: "
		"cilium/ebpf; dark blue: evbpf loop; light blue: evbpf's libbpf-compatible "
		"API; green: producer alone (the limit)</text>\n");
	y = top;
	for (i = 0; i < n; i = j) {
		double lo = 1e300, hi = 0, dlo, dhi;
		bool any = false;
		unsigned k;

		for (j = i; j < n && !strcmp(rows[j].bench, rows[i].bench); j++) {
			const struct bench_row *r = &rows[j];
			double v = plot_value(r);
			double vlo = by_latency(r) ? v : (r->eps_min > 0 ? r->eps_min : v);
			double vhi = by_latency(r) ? v : (r->eps_max > v ? r->eps_max : v);

			if (!plottable(r))
				continue;
			any = true;
			lo = vlo < lo ? vlo : lo;
			hi = vhi > hi ? vhi : hi;
		}
		if (!any)
			continue;
		dlo = floor(log10(lo));
		dhi = ceil(log10(hi));
		if (dhi <= dlo)
			dhi = dlo + 1;
		fprintf(f, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">", y + 14);
		svg_text(f, rows[i].bench);
		fprintf(f, "</text><text x=\"%d\" y=\"%d\" fill=\"#555\">", left, y + 14);
		svg_text(f, plot_unit(&rows[i]));
		fprintf(f, ", log scale</text>\n");
		y += row_h;
		for (d = (int)dlo; d <= (int)dhi; d++) {
			double x = left + (d - dlo) / (dhi - dlo) * plot_w;
			char buf[32];

			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
				x, y, x, y + row_h * (int)(j - i));
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\" "
				"font-size=\"10\">%s</text>\n", x, y - 2,
				human(pow(10, d), buf, sizeof(buf)));
		}
		for (k = i; k < j; k++) {
			const struct bench_row *r = &rows[k];
			double v = plot_value(r), x0, x1, xm;
			char buf[32], w[32];

			if (!plottable(r))
				continue;
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 14);
			svg_text(f, r->consumer);
			fputc(' ', f);
			svg_text(f, r->backend);
			fprintf(f, " (%s)</text>\n", r->unit ? "" : wakeup_label(r, w, sizeof(w)));
			xm = left + (log10(v) - dlo) / (dhi - dlo) * plot_w;
			x0 = by_latency(r) ? xm :
			     left + (log10(r->eps_min > 0 ? r->eps_min : v) - dlo) / (dhi - dlo) * plot_w;
			x1 = by_latency(r) ? xm :
			     left + (log10(r->eps_max > v ? r->eps_max : v) - dlo) / (dhi - dlo) * plot_w;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
				left, y + 3, xm - left > 1 ? xm - left : 1, row_h - 6, bar_color(r));
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n",
				x0, y + row_h / 2, x1, y + row_h / 2);
			fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s", x1 + 6, y + 14,
				human(v, buf, sizeof(buf)));
			if (r->ratio > 0 && r->runner != BENCH_R_LIBBPF)
				fprintf(f, " (%.2fx lib)", r->ratio);
			if (r->is_limit)
				fprintf(f, " (limit)");
			else if (r->limit_ratio > 0)
				fprintf(f, " (%.2f lim)", r->limit_ratio);
			fprintf(f, "</text>\n");
			y += row_h;
		}
		y += sec_gap - row_h;
	}
	fprintf(f, "</svg>\n");
	return fclose(f) ? -1 : 0;
}
