// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * http_server: a libevent HTTP server (evhttp) with BPF inside. A tracepoint
 * counts execs per process; the server, on 127.0.0.1 only,
 *
 *   GET  /events        streams every exec as server-sent events
 *                       ("data: {"pid":N,"comm":"...","count":N}")
 *   GET  /stats         answers from an asynchronous lookup of the totals map
 *   POST /block?key=PID stops streaming PID's execs; the reply is sent by the
 *                       completion of the asynchronous map update
 *
 *   http_server [-p PORT]     (0 or no -p: any free port)
 *
 * Prints "listening on 127.0.0.1:PORT" once ready; SIGINT/SIGTERM stop it.
 *
 * One thread, one event_base: the evbpf loop joins it through
 * evbpf_event_new_opts(), with a budget per dispatch so a flood of records
 * never delays the server's own requests by more than a few hundred records,
 * and the loop's event one priority below the HTTP traffic.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <bpf/libbpf.h>
#include <evbpf/evbpf_event.h>
#include <evbpf/mapops.h>
#include "http_server.h"
#include "http_server.skel.h"

/* records per dispatch: the HTTP events get their turn in between */
#define RECORD_BUDGET	256

/* A client of GET /events. */
struct client {
	struct evhttp_request *req;
	struct evhttp_connection *con;
	struct client *next;
};

/* A request waiting for its map operation; key and value must live until
 * the completion (the queue does not copy them). */
struct pending {
	struct server *srv;
	struct evhttp_request *req;	/* NULL: the client went away */
	struct evhttp_connection *con;
	__u32 key;
	__u64 value;
	__u8 flag;
	struct pending *next;
};

struct server {
	struct event_base *base;
	struct evhttp *http;
	struct http_server *skel;
	struct evbpf_loop *loop;
	struct evbpf_ring *ring;
	struct evbpf_mapq *q;
	struct evbpf_event *adapter;
	struct client *clients;
	struct pending *pending;
	unsigned long long streamed;
	int err;
};

/* ---- connections going away ---- */

static void on_close(struct evhttp_connection *con, void *arg)
{
	struct server *srv = arg;
	struct client **pc = &srv->clients, *c;
	struct pending *p;

	while ((c = *pc)) {
		if (c->con == con) {
			*pc = c->next;
			free(c);
		} else {
			pc = &c->next;
		}
	}
	for (p = srv->pending; p; p = p->next)
		if (p->con == con)
			p->req = NULL;
}

static void pending_drop(struct server *srv, struct pending *p)
{
	struct pending **pp;

	for (pp = &srv->pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	free(p);
}

/* ---- replies ---- */

static void reply(struct evhttp_request *req, int code, const char *reason,
		  const char *type, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void reply(struct evhttp_request *req, int code, const char *reason,
		  const char *type, const char *fmt, ...)
{
	struct evbuffer *buf = evbuffer_new();
	va_list ap;

	if (!buf) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	va_start(ap, fmt);
	evbuffer_add_vprintf(buf, fmt, ap);
	va_end(ap);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", type);
	evhttp_send_reply(req, code, reason, buf);
	evbuffer_free(buf);
}

/* ---- records: server-sent events ---- */

static int on_records(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct server *srv = ctx;
	struct evbuffer *buf;
	struct client *c;
	unsigned char *text;
	size_t i, len;

	if (!srv->clients)
		return (int)n;
	buf = evbuffer_new();
	if (!buf)
		return 0;	/* left in the ring for the next dispatch */
	for (i = 0; i < n; i++) {
		const struct exec_event *e = recs[i].data;

		evbuffer_add_printf(buf, "data: {\"pid\":%u,\"comm\":\"%.*s\",\"count\":%llu}\n\n",
				    e->pid, HTTP_SERVER_COMM_LEN, e->comm, e->count);
	}
	len = evbuffer_get_length(buf);
	text = evbuffer_pullup(buf, -1);
	for (c = srv->clients; c; c = c->next) {
		/* evhttp takes the chunk's contents: each client its own copy */
		struct evbuffer *copy = evbuffer_new();

		if (!copy)
			continue;
		evbuffer_add(copy, text, len);
		evhttp_send_reply_chunk(c->req, copy);
		evbuffer_free(copy);
	}
	evbuffer_free(buf);
	srv->streamed += n;
	return (int)n;
}

static void on_events(struct server *srv, struct evhttp_request *req)
{
	struct client *c = calloc(1, sizeof(*c));
	struct evbuffer *hello;

	if (!c) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	c->req = req;
	c->con = evhttp_request_get_connection(req);
	c->next = srv->clients;
	srv->clients = c;
	evhttp_connection_set_closecb(c->con, on_close, srv);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
			  "text/event-stream");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-cache");
	evhttp_send_reply_start(req, HTTP_OK, "OK");
	hello = evbuffer_new();
	if (hello) {
		evbuffer_add_printf(hello, ": connected\n\n");
		evhttp_send_reply_chunk(req, hello);
		evbuffer_free(hello);
	}
}

/* ---- map operations: /stats and /block ---- */

static struct pending *pending_new(struct server *srv, struct evhttp_request *req)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->srv = srv;
	p->req = req;
	p->con = evhttp_request_get_connection(req);
	p->next = srv->pending;
	srv->pending = p;
	evhttp_connection_set_closecb(p->con, on_close, srv);
	return p;
}

static void on_mapop(void *ctx, const struct evbpf_mapop_done *d)
{
	struct pending *p = d->cookie;
	struct server *srv = p->srv;

	if (!p->req)
		goto out;	/* nobody to answer */
	if (d->res) {
		reply(p->req, HTTP_INTERNAL, "Map operation failed", "text/plain",
		      "error %d\n", d->res);
		goto out;
	}
	if (d->kind == EVBPF_MAPOP_LOOKUP)
		reply(p->req, HTTP_OK, "OK", "application/json",
		      "{\"execs\":%llu,\"streamed\":%llu}\n",
		      (unsigned long long)p->value, srv->streamed);
	else
		reply(p->req, HTTP_OK, "OK", "text/plain", "blocked %u\n", p->key);
out:
	pending_drop(srv, p);
}

static void on_stats(struct server *srv, struct evhttp_request *req)
{
	struct pending *p = pending_new(srv, req);
	int err;

	if (!p) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	p->key = 0;
	err = evbpf_mapq_lookup(srv->q, bpf_map__fd(srv->skel->maps.totals),
				&p->key, &p->value, p);
	if (err) {
		reply(req, HTTP_INTERNAL, "Queue refused", "text/plain", "error %d\n", err);
		pending_drop(srv, p);
	}
}

static void on_block(struct server *srv, struct evhttp_request *req)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq args;
	const char *key;
	struct pending *p;
	char *end;
	unsigned long v;
	int err;

	TAILQ_INIT(&args);
	if (!query || evhttp_parse_query_str(query, &args) ||
	    !(key = evhttp_find_header(&args, "key")) || !*key) {
		evhttp_clear_headers(&args);
		reply(req, HTTP_BADREQUEST, "Bad Request", "text/plain", "want ?key=PID\n");
		return;
	}
	errno = 0;
	v = strtoul(key, &end, 10);
	if (*end || errno || v > 0xffffffffUL) {
		evhttp_clear_headers(&args);
		reply(req, HTTP_BADREQUEST, "Bad Request", "text/plain", "bad key\n");
		return;
	}
	evhttp_clear_headers(&args);
	p = pending_new(srv, req);
	if (!p) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	p->key = (__u32)v;
	p->flag = 1;
	err = evbpf_mapq_update(srv->q, bpf_map__fd(srv->skel->maps.blocked),
				&p->key, &p->flag, BPF_ANY, p);
	if (err) {
		reply(req, HTTP_INTERNAL, "Queue refused", "text/plain", "error %d\n", err);
		pending_drop(srv, p);
	}
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct server *srv = arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (!path)
		path = "/";
	if (cmd == EVHTTP_REQ_GET && !strcmp(path, "/events"))
		on_events(srv, req);
	else if (cmd == EVHTTP_REQ_GET && !strcmp(path, "/stats"))
		on_stats(srv, req);
	else if (cmd == EVHTTP_REQ_POST && !strcmp(path, "/block"))
		on_block(srv, req);
	else
		reply(req, HTTP_NOTFOUND, "Not Found", "text/plain", "no such resource\n");
}

/* ---- setup ---- */

static void on_loop_error(struct evbpf_loop *loop, int err, void *ctx)
{
	struct server *srv = ctx;

	fprintf(stderr, "evbpf dispatch failed: %s\n", strerror(-err));
	srv->err = err;
	event_base_loopbreak(srv->base);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

static int bound_port(struct evhttp_bound_socket *bs)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &len))
		return -1;
	return ntohs(sin.sin_port);
}

int main(int argc, char **argv)
{
	struct evbpf_event_opts eo = {
		.sz = sizeof(eo),
		/* HTTP events keep the default priority (1 of 0..2); records
		 * come after them within a round */
		.priority = 3,
		.budget_records = RECORD_BUDGET,
	};
	struct server srv = { 0 };
	struct evhttp_bound_socket *bs;
	struct event *sigint = NULL, *sigterm = NULL;
	struct client *c;
	int port = 0, opt, err = 1;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p') {
			fprintf(stderr, "usage: %s [-p PORT]\n", argv[0]);
			return 2;
		}
		port = atoi(optarg);
	}

	srv.skel = http_server__open_and_load();
	if (!srv.skel) {
		fprintf(stderr, "loading the BPF object failed: %s\n", strerror(errno));
		return 1;
	}
	if (http_server__attach(srv.skel)) {
		fprintf(stderr, "attaching the tracepoint failed: %s\n", strerror(errno));
		goto out;
	}
	srv.base = event_base_new();
	if (!srv.base || event_base_priority_init(srv.base, 3))
		goto out;
	srv.loop = evbpf_loop_new(NULL);
	if (!srv.loop) {
		fprintf(stderr, "evbpf loop: %s\n", strerror(errno));
		goto out;
	}
	srv.ring = evbpf_ring_new(srv.loop, bpf_map__fd(srv.skel->maps.rb), on_records,
				  &srv, NULL);
	srv.q = evbpf_mapq_new(srv.loop, on_mapop, &srv, NULL);
	srv.adapter = evbpf_event_new_opts(srv.base, srv.loop, on_loop_error, &srv, &eo);
	if (!srv.ring || !srv.q || !srv.adapter) {
		fprintf(stderr, "evbpf setup: %s\n", strerror(errno));
		goto out;
	}

	srv.http = evhttp_new(srv.base);
	if (!srv.http)
		goto out;
	evhttp_set_allowed_methods(srv.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(srv.http, on_request, &srv);
	bs = evhttp_bind_socket_with_handle(srv.http, "127.0.0.1", (ev_uint16_t)port);
	if (!bs) {
		fprintf(stderr, "cannot listen on 127.0.0.1:%d\n", port);
		goto out;
	}
	sigint = evsignal_new(srv.base, SIGINT, on_signal, srv.base);
	sigterm = evsignal_new(srv.base, SIGTERM, on_signal, srv.base);
	if (!sigint || !sigterm || event_add(sigint, NULL) || event_add(sigterm, NULL))
		goto out;

	printf("listening on 127.0.0.1:%d\n", bound_port(bs));
	fflush(stdout);
	if (event_base_dispatch(srv.base) < 0)
		goto out;
	err = srv.err ? 1 : 0;
out:
	if (sigint)
		event_free(sigint);
	if (sigterm)
		event_free(sigterm);
	while ((c = srv.clients)) {
		srv.clients = c->next;
		free(c);
	}
	if (srv.http)
		evhttp_free(srv.http);
	/* the adapter first, then the loop (its consumers and pending map
	 * operations with it) */
	evbpf_event_free(srv.adapter);
	evbpf_loop_free(srv.loop);
	while (srv.pending)
		pending_drop(&srv, srv.pending);
	if (srv.base)
		event_base_free(srv.base);
	http_server__destroy(srv.skel);
	return err;
}
