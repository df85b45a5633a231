/* SPDX-License-Identifier: ISC */
/*
 * libmicrohttpd glue: the daemon, the per-request context, the body cap,
 * the front-line checks (route, method, size, session, CSRF, JSON), static
 * files from web/, and the one place that sends replies with our security
 * headers.  Handlers live in api_*.c and never touch libmicrohttpd.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"

#define URL_MAX		2048	/* bytes of a request path */
#define CONN_MAX	1000	/* connections in total */
#define CONN_PER_IP	64	/* connections from one address */
#define CONN_TIMEOUT	30	/* seconds of silence before we hang up */
#define THREADS		4	/* libmicrohttpd worker threads */
#define DRAIN_SECS	20	/* SIGTERM: wait this long for requests */
/* GnuTLS: TLS 1.2 and 1.3 only. */
#define TLS_PRIORITIES	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; " \
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " \
	"form-action 'self'"

/* Per-request state, from the first callback to MHD's completion one. */
struct conn_ctx {
	struct buf	 body;		/* request body, capped */
	int		 too_large;	/* body passed BODY_MAX */
	struct job	*job;		/* with the writer, owned */
};

struct server {
	struct app		*app;
	struct MHD_Daemon	*d;
	struct writer		*w;		/* group commits */
	pthread_mutex_t		 mu;
	int64_t			 inflight;	/* requests begun, not done;
						   protected by mu */
	char			 webroot[PATH_MAX];	/* realpath of web/ */
};

/* ---- replies ---- */

/*
 * Set the error envelope {"error": {"code", "message"}} as the reply and
 * return status, so handlers can "return reply_error(...)".  The one
 * function that writes an error body.
 */
int
reply_error(struct reply *out, int status, const char *code,
    const char *message)
{
	json_decref(out->json);
	out->json = json_pack("{s:{s:s, s:s}}", "error", "code", code,
	    "message", message);
	return status;
}

/* Set a JSON reply (stolen) and return status. */
int
reply_json(struct reply *out, int status, json_t *j)
{
	json_decref(out->json);
	out->json = j;
	if (j == NULL)
		return reply_error(out, 500, "internal",
		    "The server could not build its answer.");
	return status;
}

static void
reply_free(struct reply *r)
{
	json_decref(r->json);
	free(r->body);
	if (r->fd != -1)
		close(r->fd);
	free(r->filename);
	free(r->cookie);
	free(r->location);
	free(r->allow);
}

static void
add_security_headers(struct MHD_Response *resp, int api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	if (api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/*
 * The one place replies leave: body from json, raw bytes or a file, our
 * security headers, cookie, download name, Retry-After.  Takes ownership
 * of everything in r.
 */
static enum MHD_Result
reply_send(struct MHD_Connection *c, int status, struct reply *r)
{
	struct MHD_Response	*resp = NULL;
	char			*text = NULL, hdr[64];
	enum MHD_Result		 ret;

	if (r->fd != -1) {
		resp = MHD_create_response_from_fd64(r->fdlen, r->fd);
		if (resp != NULL)
			r->fd = -1;	/* MHD closes it */
	} else if (r->body != NULL) {
		resp = MHD_create_response_from_buffer(r->bodylen, r->body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			r->body = NULL;
	} else {
		if (r->json == NULL)
			r->json = json_pack("{s:{s:s, s:s}}", "error", "code",
			    "internal", "message",
			    "The server could not build its answer.");
		text = r->json == NULL ? NULL : json_dumps(r->json,
		    JSON_COMPACT | JSON_REAL_PRECISION(10));
		if (text == NULL) {
			status = 500;
			text = xstrdup("{\"error\":{\"code\":\"internal\","
			    "\"message\":\"internal error\"}}");
		}
		resp = MHD_create_response_from_buffer(strlen(text), text,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			text = NULL;
		r->ctype = "application/json; charset=utf-8";
	}
	free(text);
	if (resp == NULL) {
		reply_free(r);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->ctype == NULL ?
	    "application/octet-stream" : r->ctype);
	add_security_headers(resp, !r->cache);
	if (r->cache)
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (r->cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->location != NULL)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->allow != NULL)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->filename != NULL) {
		text = xasprintf("attachment; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, "Content-Disposition", text);
		free(text);
	}
	if (r->retry_after > 0) {
		snprintf(hdr, sizeof(hdr), "%lld", (long long)r->retry_after);
		MHD_add_response_header(resp, "Retry-After", hdr);
	}
	ret = MHD_queue_response(c, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	reply_free(r);
	return ret;
}

/* ---- request helpers ---- */

const char *
req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn,
	    MHD_GET_ARGUMENT_KIND, name);
}

const char *
req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/*
 * Match path against pattern; "#" matches a decimal id of 1 to 18 digits
 * without a leading zero, stored in ids.  1 on a match, else 0.
 */
static int
path_match(const char *pattern, const char *path, int64_t *ids)
{
	size_t	n = 0;
	int64_t	v;
	int	digits;

	while (*pattern != '\0') {
		if (*pattern == '#') {
			if (*path < '1' || *path > '9')
				return 0;
			for (v = 0, digits = 0; *path >= '0' && *path <= '9';
			    path++, digits++) {
				if (digits == 18)
					return 0;
				v = v * 10 + (*path - '0');
			}
			if (n < PATH_IDS)
				ids[n++] = v;
			pattern++;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/* ---- static files ---- */

static const struct {
	const char	*ext;
	const char	*ctype;
} mimes[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".txt", "text/plain; charset=utf-8" },
};

/*
 * Serve path from the web folder.  Refuses anything that could leave it:
 * only [A-Za-z0-9._/-] characters, no ".." or hidden segments, and the
 * resolved file must still lie under the folder (symlinks included).  A
 * folder gets its index.html (or a redirect to add the slash).
 */
static int
static_file(struct server *s, const char *path, struct reply *out)
{
	char		 rel[URL_MAX + 16], full[PATH_MAX * 2], real[PATH_MAX];
	const char	*p, *ext;
	struct stat	 sb;
	size_t		 i, len = strlen(path), rootlen;
	int		 fd;

	if (len == 0 || len > URL_MAX || path[0] != '/')
		return reply_error(out, 404, "not_found", "No such page.");
	for (p = path; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._/-", *p) == NULL)
			return reply_error(out, 404, "not_found",
			    "No such page.");
	if (strstr(path, "/.") != NULL || strstr(path, "//") != NULL)
		return reply_error(out, 404, "not_found", "No such page.");
	snprintf(rel, sizeof(rel), "%s%s", path,
	    path[len - 1] == '/' ? "index.html" : "");
	if ((size_t)snprintf(full, sizeof(full), "%s%s", s->webroot, rel) >=
	    sizeof(full))
		return reply_error(out, 404, "not_found", "No such page.");
	if (realpath(full, real) == NULL)
		return reply_error(out, 404, "not_found", "No such page.");
	rootlen = strlen(s->webroot);
	if (strncmp(real, s->webroot, rootlen) != 0 || real[rootlen] != '/')
		return reply_error(out, 404, "not_found", "No such page.");
	if (stat(real, &sb) == -1)
		return reply_error(out, 404, "not_found", "No such page.");
	if (S_ISDIR(sb.st_mode)) {
		out->location = xasprintf("%s/", path);
		out->body = xstrdup("");
		out->ctype = "text/plain; charset=utf-8";
		return 301;
	}
	if (!S_ISREG(sb.st_mode))
		return reply_error(out, 404, "not_found", "No such page.");
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) == -1)
		return reply_error(out, 404, "not_found", "No such page.");
	out->fd = fd;
	out->fdlen = (uint64_t)sb.st_size;
	out->cache = 1;
	out->ctype = "application/octet-stream";
	if ((ext = strrchr(real, '.')) != NULL)
		for (i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
			if (strcmp(ext, mimes[i].ext) == 0)
				out->ctype = mimes[i].ctype;
	return 200;
}

/* ---- dispatch ---- */

static void
client_address(struct MHD_Connection *c, char *buf, size_t bufsz)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	snprintf(buf, bufsz, "unknown");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, (socklen_t)bufsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)bufsz);
}

/* "GET, POST": the methods the routes matching path accept. */
static char *
allowed_methods(const char *path)
{
	struct buf	 b;
	int64_t		 ids[PATH_IDS];
	size_t		 i;

	buf_init(&b, 256);
	for (i = 0; i < nroutes; i++) {
		if (!path_match(routes[i].pattern, path, ids))
			continue;
		if ((b.len > 0 && buf_puts(&b, ", ") == -1) ||
		    buf_puts(&b, routes[i].method) == -1)
			break;
		if (strcmp(routes[i].method, "GET") == 0 &&
		    buf_puts(&b, ", HEAD") == -1)
			break;
	}
	if (b.p == NULL)
		return xstrdup("");
	return b.p;
}

/*
 * The front-line checks, cheapest first, then the handler: route (404),
 * method (405), body size (413), session (401), role (403), CSRF on
 * writes (403), JSON body (400).  Returns the status; out holds the body.
 */
static int
dispatch(struct server *s, struct req *r, struct conn_ctx *cc,
    struct reply *out)
{
	const struct route	*rt = NULL;
	json_error_t		 jerr;
	size_t			 i;
	int			 path_found = 0, head;
	const char		*method = r->method;
	char			 msg[200];

	head = strcmp(method, "HEAD") == 0;
	if (head)
		method = "GET";
	if (strlen(r->path) > URL_MAX)
		return reply_error(out, 414, "uri_too_long",
		    "The address is too long.");
	for (i = 0; i < nroutes; i++) {
		memset(r->ids, 0, sizeof(r->ids));
		if (!path_match(routes[i].pattern, r->path, r->ids))
			continue;
		path_found = 1;
		if (strcmp(routes[i].method, method) == 0) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL && !path_found) {
		if (strncmp(r->path, "/api/", 5) == 0 ||
		    strcmp(r->path, "/api") == 0)
			return reply_error(out, 404, "not_found",
			    "There is no such API route.");
		if (strcmp(method, "GET") != 0) {
			out->allow = xstrdup("GET, HEAD");
			return reply_error(out, 405, "method_not_allowed",
			    "Only GET is allowed here.");
		}
		if (cc->body.len > 0 || cc->too_large)
			return reply_error(out, 400, "bad_request",
			    "A GET request has no body.");
		return static_file(s, r->path, out);
	}
	if (rt == NULL) {
		out->allow = allowed_methods(r->path);
		return reply_error(out, 405, "method_not_allowed",
		    "This method is not allowed on this route.");
	}
	if (cc->too_large)
		return reply_error(out, 413, "payload_too_large",
		    "The request body is larger than 64 KiB.");
	if (rt->auth != AUTH_NONE) {
		r->has_session = auth_session(r->app,
		    req_cookie(r, "ita_session"), &r->sess) == 1;
		if (!r->has_session)
			return reply_error(out, 401, "unauthorized",
			    "Please log in.");
		if (strcmp(method, "GET") != 0 &&
		    !auth_csrf_ok(r->app, &r->sess,
		    req_header(r, "X-CSRF-Token")))
			return reply_error(out, 403, "csrf",
			    "The X-CSRF-Token header is missing or wrong.");
		if (rt->auth == AUTH_ADMIN && !r->sess.is_admin)
			return reply_error(out, 403, "forbidden",
			    "Your account may only read.");
	}
	if (rt->body) {
		r->json = json_loadb(cc->body.p == NULL ? "" : cc->body.p,
		    cc->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
		    &jerr);
		if (r->json == NULL) {
			snprintf(msg, sizeof(msg), "The body is not valid "
			    "JSON: %s.", jerr.text);
			return reply_error(out, 400, "bad_json", msg);
		}
		if (!json_is_object(r->json))
			return reply_error(out, 400, "bad_request",
			    "The body must be a JSON object.");
	} else if (cc->body.len > 0 && strcmp(method, "GET") == 0)
		return reply_error(out, 400, "bad_request",
		    "A GET request has no body.");
	return rt->fn(r, out);
}

/*
 * The path of an absolute-form request target ("http://host/x" -> "/x",
 * RFC 9112 3.2.2); other targets unchanged.
 */
static const char *
origin_path(const char *url)
{
	const char	*p;

	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return url;
	p = strchr(p, '/');
	return p == NULL ? "/" : p;
}

struct framing {
	int		 lengths;	/* Content-Length headers */
	const char	*length;	/* the first one's value */
	int		 differ;	/* two Content-Lengths disagree */
	int		 encodings;	/* Transfer-Encoding headers */
	int		 unknown;	/* a coding other than chunked */
};

static enum MHD_Result
framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct framing	*f = cls;

	(void)kind;
	if (strcasecmp(key, "Content-Length") == 0) {
		if (f->lengths++ > 0 && strcmp(f->length, value) != 0)
			f->differ = 1;
		if (f->length == NULL)
			f->length = value;
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->encodings++;
		if (strcasecmp(value, "chunked") != 0)
			f->unknown = 1;
	}
	return MHD_YES;
}

/*
 * Refuse request framing that a proxy in front might read another way
 * (request smuggling): two different Content-Lengths, or Content-Length
 * with Transfer-Encoding (400); a coding other than chunked (501).
 * 0 when the framing is plain.
 */
static int
framing_check(struct MHD_Connection *c)
{
	struct framing	f;

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(c, MHD_HEADER_KIND, framing_header, &f);
	if (f.unknown)
		return 501;
	if (f.differ || (f.lengths > 0 && f.encodings > 0) || f.encodings > 1)
		return 400;
	return 0;
}

/* Writer thread: the job is decided; let MHD call on_request again. */
static void
job_done(struct job *j)
{
	MHD_resume_connection(j->arg);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server		*s = cls;
	struct conn_ctx		*cc = *con_cls;
	struct req		 r;
	struct reply		 out;
	const char		*cl;
	char			*end;
	unsigned long long	 clen;
	int			 status;
	enum MHD_Result		 ret;

	(void)version;
	if (cc == NULL) {
		cc = xcalloc(1, sizeof(*cc));
		buf_init(&cc->body, BODY_MAX);
		*con_cls = cc;
		pthread_mutex_lock(&s->mu);
		s->inflight++;
		pthread_mutex_unlock(&s->mu);
		if ((status = framing_check(c)) != 0) {
			memset(&out, 0, sizeof(out));
			out.fd = -1;
			status = status == 501 ? reply_error(&out, 501,
			    "not_implemented", "Only chunked transfer coding "
			    "is understood.") : reply_error(&out, 400,
			    "bad_request", "The request's length is "
			    "ambiguous.");
			return reply_send(c, status, &out);
		}
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			errno = 0;
			clen = strtoull(cl, &end, 10);
			/*
			 * Refuse a huge declared body at once instead of
			 * reading it; smaller excess is read and dropped so
			 * the client sees the 413.
			 */
			if (errno != 0 || *end != '\0' ||
			    clen > BODY_EARLY_MAX) {
				memset(&out, 0, sizeof(out));
				out.fd = -1;
				status = reply_error(&out, 413,
				    "payload_too_large",
				    "The request body is larger than 64 KiB.");
				return reply_send(c, status, &out);
			}
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!cc->too_large &&
		    buf_append(&cc->body, upload, *upload_size) == -1) {
			cc->too_large = 1;
			buf_free(&cc->body);
			buf_init(&cc->body, BODY_MAX);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof(r));
	memset(&out, 0, sizeof(out));
	out.fd = -1;
	r.app = s->app;
	r.method = method;
	r.path = origin_path(url);
	r.conn = c;
	client_address(c, r.client, sizeof(r.client));
	if (cc->job != NULL) {
		/* Resumed: the writer has decided. */
		status = api_responses_finish(&r, cc->job, &out);
		job_free(cc->job);
		cc->job = NULL;
		return reply_send(c, status, &out);
	}
	status = dispatch(s, &r, cc, &out);
	if (status == HTTP_SUSPEND) {
		/* Suspend before queueing, so resume cannot come first. */
		cc->job = r.job;
		cc->job->done = job_done;
		cc->job->arg = c;
		json_decref(r.json);
		reply_free(&out);
		MHD_suspend_connection(c);
		writer_submit(s->w, cc->job);
		return MHD_YES;
	}
	if (status >= 500)
		log_err("%s %s -> %d", method, url, status);
	ret = reply_send(c, status, &out);
	json_decref(r.json);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server	*s = cls;
	struct conn_ctx	*cc = *con_cls;

	(void)c;
	(void)toe;
	if (cc == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->inflight--;
	pthread_mutex_unlock(&s->mu);
	buf_free(&cc->body);
	job_free(cc->job);
	free(cc);
	*con_cls = NULL;
}

static void
on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	log_err("libmicrohttpd: %s:%u: %s", file, line,
	    reason == NULL ? "panic" : reason);
	abort();
}

/* Parse "HOST:PORT" or "[V6]:PORT" into ss.  0 or -1. */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char			 host[128];
	const char		*colon;
	char			*end;
	long			 port;
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)(void *)ss;
	size_t			 hl;

	memset(ss, 0, sizeof(*ss));
	if ((colon = strrchr(spec, ':')) == NULL)
		return -1;
	hl = (size_t)(colon - spec);
	if (spec[0] == '[') {
		if (hl < 3 || spec[hl - 1] != ']')
			return -1;
		spec++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || port < 0 ||
	    port > 65535)
		return -1;
	if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ?
	    "127.0.0.1" : host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* A listening TCP socket on ss.  The descriptor, or -1 (logged). */
static int
listen_socket(const struct sockaddr_storage *ss, socklen_t len)
{
	int	fd, one = 1;

	if ((fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
	    -1) {
		log_err("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) == -1 ||
	    listen(fd, 1024) == -1) {
		log_err("cannot listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The port MHD listens on (the kernel's choice for port 0). */
static unsigned
bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo	*di;

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return di == NULL ? 0 : (unsigned)di->port;
}

static char *
read_pem(const char *path)
{
	FILE	*f;
	char	*p;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	p = xcalloc(1024 * 1024 + 1, 1);
	n = fread(p, 1, 1024 * 1024, f);
	fclose(f);
	p[n] = '\0';
	return p;
}

/*
 * Serve until SIGINT or SIGTERM, then stop accepting, let in-flight
 * requests finish (up to DRAIN_SECS) and return 0.  -1 when the server
 * could not start (logged).
 */
int
http_serve(struct app *app)
{
	struct server		 s;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = 0;
	sigset_t		 sigs;
	int			 sig, rc = -1, waited, lfd = -1;
	int64_t			 busy = 0;
	unsigned		 port;
	unsigned int		 flags;
	char			*cert = NULL, *key = NULL, host[128];

	memset(&s, 0, sizeof(s));
	s.app = app;
	pthread_mutex_init(&s.mu, NULL);
	if (realpath(app->cfg.web, s.webroot) == NULL) {
		log_err("%s: %s", app->cfg.web, strerror(errno));
		return -1;
	}
	if (strcmp(app->cfg.rate_limits, "on") != 0 &&
	    strcmp(app->cfg.rate_limits, "off") != 0) {
		log_err("--rate-limits is on or off");
		return -1;
	}
	limit_enable(strcmp(app->cfg.rate_limits, "on") == 0);
	if (parse_listen(app->cfg.listen, &ss, &sslen) == -1) {
		log_err("%s: not HOST:PORT", app->cfg.listen);
		return -1;
	}
	/* Signals go to sigwait() below, not to MHD's threads. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	MHD_set_panic_func(on_panic, NULL);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (app->cfg.tls_cert != NULL || app->cfg.tls_key != NULL) {
		if (app->cfg.tls_cert == NULL || app->cfg.tls_key == NULL) {
			log_err("--tls-cert and --tls-key go together");
			return -1;
		}
		if ((cert = read_pem(app->cfg.tls_cert)) == NULL ||
		    (key = read_pem(app->cfg.tls_key)) == NULL)
			goto out;
		flags |= MHD_USE_TLS;
	}
	/*
	 * Bind ourselves, then drop privileges and confine the process, and
	 * only then start MHD's threads, which inherit the confinement.
	 */
	if ((lfd = listen_socket(&ss, sslen)) == -1)
		goto out;
	if (sandbox_enter(app->cfg.user, app->cfg.db, s.webroot) == -1)
		goto out;
	if (writer_start(app, &s.w) == -1)
		goto out;
	s.d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &s,
	    MHD_OPTION_LISTEN_SOCKET, lfd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_MAX,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)(strcmp(
	    app->cfg.rate_limits, "on") == 0 ? CONN_PER_IP : 0),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
	    cert == NULL ? MHD_OPTION_END : MHD_OPTION_HTTPS_MEM_CERT, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
	    MHD_OPTION_END);
	if (s.d == NULL) {
		log_err("cannot start the HTTP server on %s",
		    app->cfg.listen);
		goto out;
	}
	lfd = -1;	/* MHD owns it now */
	port = bound_port(s.d);
	if (ss.ss_family == AF_INET6)
		snprintf(host, sizeof(host), "[%s]", "::");
	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ?
	    (const void *)&((struct sockaddr_in *)(void *)&ss)->sin_addr :
	    (const void *)&((struct sockaddr_in6 *)(void *)&ss)->sin6_addr,
	    host + (ss.ss_family == AF_INET6), sizeof(host) - 2);
	if (ss.ss_family == AF_INET6)
		strncat(host, "]", sizeof(host) - strlen(host) - 1);
	printf("listening on %s://%s:%u\n", cert == NULL ? "http" : "https",
	    host, port);
	fflush(stdout);
	log_info("serving %s with forms from %s", app->cfg.db,
	    app->cfg.forms);

	while (sigwait(&sigs, &sig) != 0)
		continue;
	log_info("signal %d: draining", sig);
	/*
	 * Stop accepting, then wait for the requests in flight (not for idle
	 * keep-alive connections, which MHD_stop_daemon closes).
	 */
	if ((lfd = MHD_quiesce_daemon(s.d)) != MHD_INVALID_SOCKET)
		shutdown(lfd, SHUT_RDWR);	/* refuse new connections */
	for (waited = 0; waited < DRAIN_SECS * 100; waited++) {
		pthread_mutex_lock(&s.mu);
		busy = s.inflight;
		pthread_mutex_unlock(&s.mu);
		if (busy == 0)
			break;
		usleep(10 * 1000);
	}
	if (busy > 0)
		log_warn("%lld requests still running after %d s; stopping",
		    (long long)busy, DRAIN_SECS);
	MHD_stop_daemon(s.d);
	s.d = NULL;
	if (lfd != -1)
		close(lfd);	/* ours again after quiesce */
	lfd = -1;
	log_info("stopped");
	rc = 0;
out:
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	if (lfd != -1)
		close(lfd);
	writer_stop(s.w);
	pthread_mutex_destroy(&s.mu);
	free(cert);
	return rc;
}
