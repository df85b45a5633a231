/* SPDX-License-Identifier: ISC */
/*
 * The reference server of "make bench": the least a durable JSON
 * submission endpoint can do, to read ita-survey's figures against.
 *
 * libmicrohttpd (internal thread pool of 4, epoll), every POST body parsed
 * with jansson (400 unless it is a JSON object), the body text INSERTed as
 * one row into one table, WAL with synchronous=FULL, 201 only after COMMIT.
 *
 *   refserver --db PATH [--listen 127.0.0.1:0] [--group]
 *
 * Default ("alone"): one transaction per request, on one connection shared
 * under a mutex.  --group: the handler queues the request and suspends the
 * connection; one writer thread commits everything queued in one
 * transaction (at most 1024 rows) and resumes each connection after
 * COMMIT.  Prints "listening on http://HOST:PORT" first; SIGINT/SIGTERM
 * stop it.  Built by bench/run.sh; not part of ita-survey.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

#define BODY_MAX	65536
#define BATCH_MAX	1024
#define THREADS		4

struct job {
	struct MHD_Connection	*conn;
	char			*body;	/* NUL-terminated */
	size_t			 len;
	int			 status;	/* 0 while queued */
	struct job		*next;
};

struct ctx {
	char		*body;
	size_t		 len;
	int		 too_large;
	struct job	*job;
};

static sqlite3		*db;
static sqlite3_stmt	*ins, *begin_st, *commit_st, *rollback_st;
static pthread_mutex_t	 dbmu = PTHREAD_MUTEX_INITIALIZER;
static int		 group;

/* The group writer's queue. */
static pthread_mutex_t	 qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 qcv = PTHREAD_COND_INITIALIZER;
static struct job	*qhead, *qtail;
static int		 qstop;

static void
die(const char *what)
{
	fprintf(stderr, "refserver: %s: %s\n", what,
	    db == NULL ? strerror(errno) : sqlite3_errmsg(db));
	exit(1);
}

static int
exec_stmt(sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
insert_row(const char *body, size_t len)
{
	sqlite3_bind_text(ins, 1, body, (int)len, SQLITE_STATIC);
	return exec_stmt(ins);
}

/* One request, one transaction.  201 or 503. */
static int
commit_alone(const char *body, size_t len)
{
	int	ok;

	pthread_mutex_lock(&dbmu);
	ok = exec_stmt(begin_st) == 0;
	if (ok)
		ok = insert_row(body, len) == 0;
	if (ok)
		ok = exec_stmt(commit_st) == 0;
	else
		exec_stmt(rollback_st);
	pthread_mutex_unlock(&dbmu);
	return ok ? 201 : 503;
}

static void *
writer_main(void *arg)
{
	struct job	*head, *j, *next;
	size_t		 n;
	int		 ok;

	(void)arg;
	pthread_mutex_lock(&qmu);
	for (;;) {
		while (qhead == NULL && !qstop)
			pthread_cond_wait(&qcv, &qmu);
		if (qhead == NULL)
			break;
		head = qhead;
		for (j = head, n = 1; j->next != NULL && n < BATCH_MAX; n++)
			j = j->next;
		qhead = j->next;
		if (qhead == NULL)
			qtail = NULL;
		j->next = NULL;
		pthread_mutex_unlock(&qmu);

		ok = exec_stmt(begin_st) == 0;
		for (j = head; ok && j != NULL; j = j->next)
			ok = insert_row(j->body, j->len) == 0;
		if (ok)
			ok = exec_stmt(commit_st) == 0;
		else
			exec_stmt(rollback_st);
		for (j = head; j != NULL; j = next) {
			next = j->next;
			j->status = ok ? 201 : 503;
			MHD_resume_connection(j->conn);
		}
		pthread_mutex_lock(&qmu);
	}
	pthread_mutex_unlock(&qmu);
	return NULL;
}

static enum MHD_Result
reply(struct MHD_Connection *c, int status, const char *text)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
	    "application/json; charset=utf-8");
	ret = MHD_queue_response(c, (unsigned int)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct ctx	*cc = *con_cls;
	json_t		*doc;
	json_error_t	 err;
	int		 st;

	(void)cls;
	(void)url;
	(void)version;
	if (cc == NULL) {
		if ((cc = calloc(1, sizeof(*cc))) == NULL)
			return MHD_NO;
		*con_cls = cc;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (cc->len + *upload_size > BODY_MAX)
			cc->too_large = 1;
		else {
			char *p = realloc(cc->body, cc->len + *upload_size +
			    1);
			if (p == NULL)
				return MHD_NO;
			cc->body = p;
			memcpy(cc->body + cc->len, upload, *upload_size);
			cc->len += *upload_size;
			cc->body[cc->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cc->job != NULL) {
		/* Resumed by the writer: the group is committed. */
		st = cc->job->status;
		free(cc->job);
		cc->job = NULL;
		return st == 201 ?
		    reply(c, 201, "{\"status\":\"accepted\"}") :
		    reply(c, 503, "{\"error\":{\"code\":\"unavailable\"}}");
	}
	if (strcmp(method, "POST") != 0)
		return reply(c, 405, "{\"error\":{\"code\":\"method\"}}");
	if (cc->too_large)
		return reply(c, 413, "{\"error\":{\"code\":\"too_large\"}}");
	doc = json_loadb(cc->body == NULL ? "" : cc->body, cc->len,
	    JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		return reply(c, 400, "{\"error\":{\"code\":\"bad_json\"}}");
	}
	json_decref(doc);
	if (!group) {
		st = commit_alone(cc->body, cc->len);
		return st == 201 ?
		    reply(c, 201, "{\"status\":\"accepted\"}") :
		    reply(c, 503, "{\"error\":{\"code\":\"unavailable\"}}");
	}
	if ((cc->job = calloc(1, sizeof(*cc->job))) == NULL)
		return MHD_NO;
	cc->job->conn = c;
	cc->job->body = cc->body;
	cc->job->len = cc->len;
	/* Suspend before queueing, so the resume cannot come first. */
	MHD_suspend_connection(c);
	pthread_mutex_lock(&qmu);
	if (qtail == NULL)
		qhead = cc->job;
	else
		qtail->next = cc->job;
	qtail = cc->job;
	pthread_cond_signal(&qcv);
	pthread_mutex_unlock(&qmu);
	return MHD_YES;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct ctx	*cc = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (cc == NULL)
		return;
	free(cc->job);
	free(cc->body);
	free(cc);
	*con_cls = NULL;
}

static void
prepare(sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		die(sql);
}

int
main(int argc, char **argv)
{
	const char		*path = NULL, *listen_at = "127.0.0.1:0";
	struct sockaddr_in	 sin;
	const union MHD_DaemonInfo *di;
	struct MHD_Daemon	*d;
	pthread_t		 writer;
	sigset_t		 sigs;
	char			 host[64], *colon;
	int			 i, sig;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			listen_at = argv[++i];
		else if (strcmp(argv[i], "--group") == 0)
			group = 1;
		else {
			fprintf(stderr, "usage: refserver --db PATH "
			    "[--listen 127.0.0.1:PORT] [--group]\n");
			return 2;
		}
	}
	if (path == NULL || (colon = strrchr(listen_at, ':')) == NULL ||
	    (size_t)(colon - listen_at) >= sizeof(host)) {
		fprintf(stderr, "refserver: --db PATH and --listen "
		    "IPV4:PORT\n");
		return 2;
	}
	memcpy(host, listen_at, (size_t)(colon - listen_at));
	host[colon - listen_at] = '\0';
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "refserver: %s: not an IPv4 address\n", host);
		return 2;
	}

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die(path);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; "
	    "PRAGMA synchronous=FULL; "
	    "CREATE TABLE IF NOT EXISTS responses "
	    "(id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
	    NULL, NULL, NULL) != SQLITE_OK)
		die("schema");
	prepare(&ins, "INSERT INTO responses (body) VALUES (?1)");
	prepare(&begin_st, "BEGIN IMMEDIATE");
	prepare(&commit_st, "COMMIT");
	prepare(&rollback_st, "ROLLBACK");

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (group && pthread_create(&writer, NULL, writer_main, NULL) != 0)
		die("pthread_create");

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME, 0,
	    NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL)
		die("MHD_start_daemon");
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u\n", host,
	    di == NULL ? 0u : (unsigned)di->port);
	fflush(stdout);

	while (sigwait(&sigs, &sig) != 0)
		continue;
	/* The writer drains its queue (resuming every connection) first. */
	if (group) {
		pthread_mutex_lock(&qmu);
		qstop = 1;
		pthread_cond_signal(&qcv);
		pthread_mutex_unlock(&qmu);
		pthread_join(writer, NULL);
	}
	MHD_stop_daemon(d);
	sqlite3_finalize(ins);
	sqlite3_finalize(begin_st);
	sqlite3_finalize(commit_st);
	sqlite3_finalize(rollback_st);
	sqlite3_close(db);
	return 0;
}
