// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The library's only way to print: libbpf_set_print() (libbpf's callback,
 * no user context) and evbpf_set_print() (callback with a context pointer).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "base_internal.h"

enum print_kind { PRINT_DEFAULT, PRINT_LIBBPF, PRINT_EVBPF, PRINT_NONE };

/* The callback is read on every message, possibly from several threads; it is
 * set rarely, so a plain lock around the three words is enough. */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static enum print_kind print_kind = PRINT_DEFAULT;
static libbpf_print_fn_t libbpf_fn;
static evbpf_print_fn_t evbpf_fn;
static void *evbpf_ctx;

static enum libbpf_print_level default_level(void)
{
	/* read once; threads that race here compute the same value */
	static int level = -1;
	const char *env;
	int l = __atomic_load_n(&level, __ATOMIC_RELAXED);

	if (l >= 0)
		return (enum libbpf_print_level)l;
	env = getenv("LIBBPF_LOG_LEVEL");
	if (env && !strcasecmp(env, "debug"))
		l = LIBBPF_DEBUG;
	else if (env && !strcasecmp(env, "info"))
		l = LIBBPF_INFO;
	else
		l = LIBBPF_WARN;
	__atomic_store_n(&level, l, __ATOMIC_RELAXED);
	return (enum libbpf_print_level)l;
}

LIBBPF_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
{
	libbpf_print_fn_t old;

	pthread_mutex_lock(&print_lock);
	old = print_kind == PRINT_LIBBPF ? libbpf_fn : NULL;
	libbpf_fn = fn;
	print_kind = fn ? PRINT_LIBBPF : PRINT_NONE;
	pthread_mutex_unlock(&print_lock);
	return old;
}

LIBBPF_API void evbpf_set_print(evbpf_print_fn_t fn, void *ctx)
{
	pthread_mutex_lock(&print_lock);
	evbpf_fn = fn;
	evbpf_ctx = ctx;
	print_kind = fn ? PRINT_EVBPF : PRINT_NONE;
	pthread_mutex_unlock(&print_lock);
}

bool evbpf__log_enabled(enum libbpf_print_level level)
{
	enum print_kind kind;

	pthread_mutex_lock(&print_lock);
	kind = print_kind;
	pthread_mutex_unlock(&print_lock);
	if (kind == PRINT_NONE)
		return false;
	if (kind == PRINT_DEFAULT)
		return level <= default_level();
	return true;
}

/* libbpf's callback takes a format and a va_list; we hand it "%s" and the
 * finished message so it sees exactly what evbpf_set_print users see. */
static int call_libbpf_fn(libbpf_print_fn_t fn, enum libbpf_print_level level,
			  const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fn(level, fmt, ap);
	va_end(ap);
	return ret;
}

/* Warnings this thread has logged (printed or not): lets an API call that
 * fails see whether anything below it already said why. */
static __thread unsigned warn_seq;

unsigned evbpf__warn_seq(void)
{
	return warn_seq;
}

void evbpf__log(enum libbpf_print_level level, const char *fmt, ...)
{
	char msg[1024];
	enum print_kind kind;
	libbpf_print_fn_t lfn;
	evbpf_print_fn_t efn;
	void *ctx;
	va_list ap;
	int saved_errno = errno;
	size_t len;

	if (level == LIBBPF_WARN)
		warn_seq++;
	pthread_mutex_lock(&print_lock);
	kind = print_kind;
	lfn = libbpf_fn;
	efn = evbpf_fn;
	ctx = evbpf_ctx;
	pthread_mutex_unlock(&print_lock);

	if (kind == PRINT_NONE || (kind == PRINT_DEFAULT && level > default_level()))
		goto out;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (len == 0 || msg[len - 1] != '\n') {
		if (len + 1 >= sizeof(msg))
			len = sizeof(msg) - 2;
		msg[len] = '\n';
		msg[len + 1] = '\0';
	}

	switch (kind) {
	case PRINT_DEFAULT:
		fputs(msg, stderr);
		break;
	case PRINT_LIBBPF:
		call_libbpf_fn(lfn, level, "%s", msg);
		break;
	case PRINT_EVBPF:
		efn(level, msg, ctx);
		break;
	case PRINT_NONE:
		break;
	}
out:
	errno = saved_errno;
}

const char *evbpf__log_tail(const char *log, size_t max)
{
	size_t len = strlen(log);
	const char *start, *nl;

	while (len && log[len - 1] == '\n')
		len--;
	if (len <= max)
		return log;
	start = log + len - max;
	nl = memchr(start, '\n', max);
	return nl ? nl + 1 : start;
}
