/* SPDX-License-Identifier: ISC */
/*
 * What an operator's monitoring reads: GET /metrics in Prometheus's text
 * format, on an address of its own (--metrics-listen), never on the
 * public one.  Requests by route pattern and status class, the writer's
 * queue and commit times, the size of the database and its log, the time
 * of the newest backup.  Nothing in it names a round, kiosk, code or
 * answer: routes are counted by pattern ("/api/v1/rounds/{id}/responses"),
 * never by path, so no figure here is tied to a round or a device.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"

#define ROUTES_MAX	64	/* routes[] is smaller (checked at start) */
#define CLASSES		5	/* 1xx .. 5xx */
#define ROW_STATIC	ROUTES_MAX	/* files from web/ */
#define ROW_OTHER	(ROUTES_MAX + 1) /* no route: 404, 405, 414 ... */
#define ROWS		(ROUTES_MAX + 2)
#define METRICS_MAX	(64 * 1024)	/* bytes of one reply */

/* Requests answered, by row (route) and status class; relaxed atomics. */
static _Atomic uint64_t	counts[ROWS][CLASSES];

struct metrics {
	struct app		*app;		/* borrowed */
	struct writer		*w;		/* borrowed */
	struct MHD_Daemon	*d;
	time_t			 started;
};

/*
 * Count one reply: rt the route that answered (NULL when none did), api
 * when the path was under /api/ (else a static file was asked for).
 */
void
metrics_request(const struct route *rt, int api, int status)
{
	size_t	row;

	if (rt != NULL && rt >= routes && rt < routes + nroutes &&
	    nroutes <= ROUTES_MAX)
		row = (size_t)(rt - routes);
	else
		row = api ? ROW_OTHER : ROW_STATIC;
	if (status < 100 || status > 599)
		status = 500;
	atomic_fetch_add_explicit(&counts[row][status / 100 - 1], 1,
	    memory_order_relaxed);
}

/* A route's pattern as a label: "#" as "{id}". */
static int
put_pattern(struct buf *b, const char *pattern)
{
	const char	*p;

	for (p = pattern; *p != '\0'; p++)
		if ((*p == '#' ? buf_puts(b, "{id}") :
		    buf_append(b, p, 1)) == -1)
			return -1;
	return 0;
}

static int
put_requests(struct buf *b)
{
	uint64_t	n;
	size_t		row, k;
	int		rc = 0;

	rc |= buf_puts(b, "# HELP ita_http_requests_total Replies sent, by "
	    "route pattern and status class.\n"
	    "# TYPE ita_http_requests_total counter\n");
	for (row = 0; row < ROWS; row++) {
		if (row >= nroutes && row < ROW_STATIC)
			continue;
		for (k = 0; k < CLASSES; k++) {
			n = atomic_load_explicit(&counts[row][k],
			    memory_order_relaxed);
			if (n == 0)
				continue;
			rc |= buf_puts(b, "ita_http_requests_total{");
			if (row < nroutes) {
				rc |= buf_printf(b, "method=\"%s\",route=\"",
				    routes[row].method);
				rc |= put_pattern(b, routes[row].pattern);
				rc |= buf_puts(b, "\"");
			} else
				rc |= buf_printf(b, "route=\"%s\"",
				    row == ROW_STATIC ? "static" : "none");
			rc |= buf_printf(b, ",code=\"%zuxx\"} %llu\n", k + 1,
			    (unsigned long long)n);
		}
	}
	return rc;
}

/* Size of path in bytes, or -1 when it is missing. */
static long long
file_bytes(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* The whole text of /metrics into b.  0, or -1 when it outgrew b. */
static int
render(struct metrics *m, struct buf *b)
{
	struct writer_stats	 ws;
	char			*wal;
	long long		 db, log;
	time_t			 backup;
	int			 rc = 0;

	writer_stats(m->w, &ws);
	wal = xasprintf("%s-wal", m->app->cfg.db);
	db = file_bytes(m->app->cfg.db);
	log = file_bytes(wal);
	free(wal);
	backup = backup_newest(m->app->cfg.backup_dir);

	rc |= buf_printf(b, "# HELP ita_build_info The running version.\n"
	    "# TYPE ita_build_info gauge\nita_build_info{version=\"%s\"} 1\n",
	    ITA_VERSION);
	rc |= buf_printf(b, "# HELP ita_start_time_seconds When the server "
	    "started (Unix time).\n# TYPE ita_start_time_seconds gauge\n"
	    "ita_start_time_seconds %lld\n", (long long)m->started);
	rc |= put_requests(b);
	rc |= buf_printf(b, "# HELP ita_writer_queue_depth Responses waiting "
	    "for the writer.\n# TYPE ita_writer_queue_depth gauge\n"
	    "ita_writer_queue_depth %llu\n", (unsigned long long)ws.queued);
	rc |= buf_printf(b, "# HELP ita_writer_commit_seconds Time of the "
	    "writer's group commits.\n# TYPE ita_writer_commit_seconds "
	    "summary\nita_writer_commit_seconds_sum %.6f\n"
	    "ita_writer_commit_seconds_count %llu\n",
	    (double)ws.commit_ns / 1e9, (unsigned long long)ws.commits);
	rc |= buf_printf(b, "# HELP ita_writer_commit_seconds_max The "
	    "longest group commit since start.\n"
	    "# TYPE ita_writer_commit_seconds_max gauge\n"
	    "ita_writer_commit_seconds_max %.6f\n",
	    (double)ws.commit_ns_max / 1e9);
	rc |= buf_printf(b, "# HELP ita_writer_failures_total Group commits "
	    "rolled back (their requests got 503).\n"
	    "# TYPE ita_writer_failures_total counter\n"
	    "ita_writer_failures_total %llu\n",
	    (unsigned long long)ws.failures);
	rc |= buf_printf(b, "# HELP ita_writer_wal_bytes_total Bytes the "
	    "writer appended to the write-ahead log.\n"
	    "# TYPE ita_writer_wal_bytes_total counter\n"
	    "ita_writer_wal_bytes_total %llu\n",
	    (unsigned long long)ws.wal_bytes);
	if (db >= 0)
		rc |= buf_printf(b, "# HELP ita_db_bytes Size of the database "
		    "file.\n# TYPE ita_db_bytes gauge\nita_db_bytes %lld\n",
		    db);
	rc |= buf_printf(b, "# HELP ita_db_wal_bytes Size of its write-ahead "
	    "log.\n# TYPE ita_db_wal_bytes gauge\nita_db_wal_bytes %lld\n",
	    log < 0 ? 0 : log);
	if (backup > 0)
		rc |= buf_printf(b, "# HELP ita_backup_last_timestamp_seconds "
		    "When the newest copy in the backup folder was written.\n"
		    "# TYPE ita_backup_last_timestamp_seconds gauge\n"
		    "ita_backup_last_timestamp_seconds %lld\n",
		    (long long)backup);
	return rc == 0 ? 0 : -1;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", ctype);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct metrics	*m = cls;
	struct buf	 b;
	enum MHD_Result	 ret;
	static int	 first;

	(void)version;
	(void)upload;
	/* Refused at the head, so that no body is ever read. */
	if (strcmp(url, "/metrics") != 0)
		return reply(c, 404, "text/plain", "not found\n", 10);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(c, 405, "text/plain", "GET only\n", 9);
	if (*ctx == NULL) {		/* the head: MHD calls again */
		*ctx = &first;
		return MHD_YES;
	}
	if (*upload_size != 0)		/* a body with GET: not read */
		return MHD_NO;
	buf_init(&b, METRICS_MAX);
	if (render(m, &b) == -1) {
		buf_free(&b);
		return reply(c, 500, "text/plain", "too long\n", 9);
	}
	ret = reply(c, 200, "text/plain; version=0.0.4; charset=utf-8",
	    b.p, b.len);
	buf_free(&b);
	return ret;
}

/*
 * Serve /metrics on listen_fd (taken over, closed on failure too) from a
 * thread of its own.  *out gets the server.  0, or -1 (logged).
 */
int
metrics_start(struct app *app, struct writer *w, int listen_fd,
    struct metrics **out)
{
	struct metrics	*m;

	*out = NULL;
	if (nroutes > ROUTES_MAX) {
		log_err("metrics: %zu routes, room for %d", nroutes,
		    ROUTES_MAX);
		close(listen_fd);
		return -1;
	}
	m = xcalloc(1, sizeof(*m));
	m->app = app;
	m->w = w;
	m->started = time(NULL);
	m->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, m,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
	    MHD_OPTION_END);
	if (m->d == NULL) {
		log_err("metrics: cannot start the server");
		close(listen_fd);
		free(m);
		return -1;
	}
	*out = m;
	return 0;
}

/* Stop serving /metrics and free.  Accepts NULL. */
void
metrics_stop(struct metrics *m)
{
	if (m == NULL)
		return;
	MHD_stop_daemon(m->d);
	free(m);
}
