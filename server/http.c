/* SPDX-License-Identifier: ISC */
/*
 * libmicrohttpd glue: the daemon, the per-request context, the body cap,
 * the front-line checks (route, method, size, session, CSRF, JSON), static
 * files from web/, and the one place that sends replies with our security
 * headers.  Also the connection guards libmicrohttpd lacks: a deadline for
 * each request head, caps per /24 and /64, and a throttle on its log.
 * Handlers live in api_*.c and never touch libmicrohttpd.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "tls.h"

#define CONN_MAX	4096	/* connections in all, if descriptors allow */
#define CONN_PER_IP	64	/* connections from one address */
#define CONN_PER_NET	256	/* connections from one /24 (IPv4) or /64 */
#define CONN_TIMEOUT	30	/* seconds of silence before we hang up */
#define HEAD_TIMEOUT	10	/* seconds to send a whole request head */
#define FD_SPARE	64	/* descriptors kept for the database, files */
#define THREADS		4	/* libmicrohttpd worker threads */
#define LOG_KINDS	32	/* libmicrohttpd messages throttled apart */
#define LOG_KEY		64	/* bytes of a format that tell kinds apart */
#define LOG_EVERY_MS	1000	/* at most one line per kind this often */
/* GnuTLS: TLS 1.2 and 1.3 only. */
#define TLS_PRIORITIES	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; " \
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " \
	"form-action 'self'"
/* A body someone else wrote (an OIT copy): nothing of it may run. */
#define CSP_SANDBOX "sandbox; default-src 'none'; frame-ancestors 'none'; " \
	"base-uri 'none'; form-action 'none'"

/*
 * Per-request state, from the URI callback (the first one MHD makes for a
 * request) to MHD's completion one.
 */
struct conn_ctx {
	struct buf		 body;		/* the body: capped, wiped */
	int			 too_large;	/* body passed BODY_MAX */
	int			 started;	/* handler has seen the head */
	enum err		 query_err;	/* query refused, or ERR_OK */
	struct job		*job;		/* with the writer, owned */
	const struct route	*route;		/* that suspended, static */
	char			 client[64];	/* req.client, for the resume */
	int			 secure;	/* req.secure, likewise */
};

/*
 * One accepted connection, from MHD's STARTED notice to its CLOSED one
 * (MHD's socket context); on the list http.conns, under http.mu.  MHD
 * closes the socket only after CLOSED, which unlinks us under the same
 * lock, so the reaper never shuts down a descriptor MHD has let go of.
 */
struct conn {
	struct conn	*prev, *next;	/* http.conns */
	int		 fd;		/* MHD's socket, borrowed; -1 unknown */
	unsigned char	 net[9];	/* 4 or 6, then /24 or /64; 0 none */
	int64_t		 due;		/* monotonic ms: head due by then */
	int		 busy;		/* head in, reply not yet sent */
	int		 cut;		/* shut down by us, closing */
};

/* One kind of libmicrohttpd message (its format) in the log throttle. */
struct logkind {
	char		 fmt[LOG_KEY];	/* the format's start; "" unused */
	int64_t		 last;		/* monotonic ms of the last line */
	unsigned long	 dropped;	/* lines not printed since */
};

struct http {
	struct app		*app;		/* borrowed */
	struct MHD_Daemon	*d;
	struct writer		*w;		/* group commits, borrowed */
	int			 tls;		/* serving HTTPS */
	int			 caps;		/* rate limits on: cap nets */
	struct proxies		*proxies;	/* --trusted-proxy, or NULL */
	pthread_mutex_t		 mu;		/* inflight, conns, stopping */
	pthread_cond_t		 wake;		/* tells the reaper to stop */
	int64_t			 inflight;	/* requests begun, not done */
	struct conn		*conns;		/* open connections, owned */
	int			 stopping;	/* the reaper should return */
	pthread_t		 reaper;
	int			 reaping;	/* the reaper thread runs */
	pthread_mutex_t		 logmu;		/* logs */
	struct logkind		 logs[LOG_KINDS];
	char			 webroot[PATH_MAX];	/* realpath of web/ */
};

/* Milliseconds on the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- replies ---- */

/* The one function that writes the envelope {"error": {"code", "message"}}. */
static int
envelope(struct reply *out, enum err e, const char *message)
{
	json_decref(out->json);
	out->json = json_pack("{s:{s:s, s:s}}", "error", "code", err_code(e),
	    "message", message);
	return err_status(e);
}

/*
 * Set the error e, with its message from the table, as the reply and
 * return its status, so handlers can "return reply_error(out, e)".
 */
int
reply_error(struct reply *out, enum err e)
{
	char	msg[ERR_MESSAGE_MAX];

	return envelope(out, e, err_message(e, msg, sizeof(msg)));
}

/* As reply_error(), with a message of the caller's (cut if long). */
int
reply_error_msg(struct reply *out, enum err e, const char *fmt, ...)
{
	char	msg[ERR_MESSAGE_MAX];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return envelope(out, e, msg);
}

/*
 * A body that does not fit the route: 400 naming what jansson found and
 * the shape the route expects ("{\"count\": N}").
 */
int
reply_bad_body(struct reply *out, const json_error_t *jerr,
    const char *shape)
{
	return reply_error_msg(out, ERR_BAD_BODY, "Bad request body: %s; "
	    "send %s.", jerr->text, shape);
}

/* Set a JSON reply (stolen) and return status. */
int
reply_json(struct reply *out, int status, json_t *j)
{
	json_decref(out->json);
	out->json = j;
	if (j == NULL)
		return reply_error(out, ERR_INTERNAL);
	return status;
}

/*
 * Set a download as the reply: the contents of f, a temporary file the
 * caller wrote and still closes, sent from its start as ctype with the
 * file name filename (stolen).  Returns 200, or the error's status when
 * f cannot be flushed or handed over.
 */
int
reply_file(struct reply *out, FILE *f, const char *ctype, char *filename)
{
	long	len;

	if (fflush(f) == EOF || ferror(f) || (len = ftell(f)) < 0 ||
	    (out->fd = dup(fileno(f))) == -1 ||
	    lseek(out->fd, 0, SEEK_SET) == -1) {
		free(filename);
		return reply_error(out, ERR_INTERNAL);
	}
	out->fdlen = (uint64_t)len;
	out->ctype = ctype;
	free(out->filename);
	out->filename = filename;
	return 200;
}

/*
 * Add the header name (a static string) with value (copied) to the reply.
 * 0, or -1 when the value is not printable ASCII (no line breaks: it
 * cannot add a header of its own) or REPLY_HEADERS are set already.
 */
int
reply_header(struct reply *out, const char *name, const char *value)
{
	size_t	i;

	for (i = 0; value[i] != '\0'; i++)
		if (value[i] < 0x20 || value[i] > 0x7e)
			return -1;
	for (i = 0; i < REPLY_HEADERS; i++)
		if (out->hname[i] == NULL) {
			out->hname[i] = name;
			out->hvalue[i] = xstrdup(value);
			return 0;
		}
	return -1;
}

/*
 * Set the prepared body p (its reference taken over) as the reply, in the
 * encoding the request accepts, with its ETag and Vary; Cache-Control:
 * no-cache, so a browser keeps it but asks each time, and a matching
 * If-None-Match makes that ask cheap.  Returns 200, or 304 (no body).
 */
int
reply_prepared(struct req *r, struct reply *out, struct prepared *p)
{
	prepared_unref(out->prep);
	out->prep = p;
	out->cache = 1;
	out->vary = 1;
	out->ctype = p->ctype;
	out->gzip = p->gz != NULL &&
	    prepared_accepts_gzip(req_header(r, "Accept-Encoding"));
	snprintf(out->etag, sizeof(out->etag), "%s",
	    out->gzip ? p->etag_gz : p->etag);
	if (prepared_etag_match(req_header(r, "If-None-Match"), out->etag))
		return 304;
	return 200;
}

/* MHD is done with a prepared body it was sending. */
static void
prepared_done(void *cls)
{
	prepared_unref(cls);
}

static void
reply_free(struct reply *r)
{
	size_t	i;

	for (i = 0; i < REPLY_HEADERS; i++)
		free(r->hvalue[i]);
	json_decref(r->json);
	free(r->body);
	if (r->fd != -1)
		close(r->fd);
	free(r->filename);
	free(r->cookie);
	free(r->location);
	free(r->allow);
	prepared_unref(r->prep);
}

/*
 * HSTS only over TLS: a browser ignores it on plain HTTP (RFC 6797 8.1),
 * and sent there it would only tell a man in the middle what to strip.
 */
static void
add_security_headers(struct MHD_Response *resp, int api, int tls,
    int sandbox)
{
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    sandbox ? CSP_SANDBOX : CSP);
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
static void	reply_headers(struct http *, int, struct reply *,
		    struct MHD_Response *);

static enum MHD_Result
reply_send(struct http *s, struct MHD_Connection *c, int status,
    struct reply *r)
{
	struct MHD_Response	*resp = NULL;
	char			*text = NULL;
	enum MHD_Result		 ret;


	/*
	 * A 304 is made like its 200: MHD sends no body with it (RFC 9110
	 * 15.4.5), and its Content-Length is then the 200's, the one value
	 * 8.6 allows there (an empty body would make it a wrong 0).
	 */
	if (r->prep != NULL) {
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
		    r->gzip ? r->prep->gzlen : r->prep->len,
		    r->gzip ? r->prep->gz : r->prep->body, prepared_done,
		    r->prep);
		if (resp != NULL)
			r->prep = NULL;	/* MHD gives it back */
	} else if (r->fd != -1) {
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
			(void)reply_error(r, ERR_INTERNAL);
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
	reply_headers(s, status, r, resp);
	ret = MHD_queue_response(c, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	reply_free(r);
	return ret;
}

/* The headers of reply r (status) on resp. */
static void
reply_headers(struct http *s, int status, struct reply *r,
    struct MHD_Response *resp)
{
	char	*text, hdr[64];
	size_t	 i;

	if (status != 304)
		MHD_add_response_header(resp, "Content-Type", r->ctype ==
		    NULL ? "application/octet-stream" : r->ctype);
	if (status != 304 && r->gzip)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (r->etag[0] != '\0')
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->vary)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	add_security_headers(resp, !r->cache, s->tls, r->sandbox);
	for (i = 0; i < REPLY_HEADERS; i++)
		if (r->hname[i] != NULL)
			MHD_add_response_header(resp, r->hname[i],
			    r->hvalue[i]);
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
}

/* reply_send(), counted for /metrics under route rt (NULL: none). */
static enum MHD_Result
reply_counted(struct http *s, struct MHD_Connection *c,
    const struct route *rt, const char *url, int status, struct reply *r)
{
	metrics_request(rt, strncmp(url, "/api/", 5) == 0, status);
	return reply_send(s, c, status, r);
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
 * without a leading zero, stored in ids; "*" a word of 1 to PATH_WORD_MAX
 * bytes of [a-z0-9.-] (an OIT item's code), stored in word.  1 on a
 * match, else 0.
 */
static int
path_match(const char *pattern, const char *path, int64_t *ids,
    char word[PATH_WORD_MAX + 1])
{
	size_t	n = 0, len;
	int64_t	v;
	int	digits;

	while (*pattern != '\0') {
		if (*pattern == '*') {
			len = strspn(path, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789.-");
			if (len == 0 || len > PATH_WORD_MAX)
				return 0;
			memcpy(word, path, len);
			word[len] = '\0';
			path += len;
			pattern++;
			continue;
		}
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

/*
 * Each connection's memory pool in libmicrohttpd: the request line and
 * headers (a path is at most URL_MAX, a query QUERY_MAX), its read
 * buffer and the reply's headers; bodies are copied out as they come
 * (on_request).  libmicrohttpd zeroes the pool for every request on a
 * kept-alive connection, so its size is paid per request: 16 KiB is
 * four times what a browser's headers take, half its default.
 */
#define CONN_POOL	(16 * 1024)

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
 * folder gets its index.html (or a redirect to add the slash).  Text is
 * sent from memory, gzipped when accepted (webcache.c); every file has
 * an ETag, and If-None-Match naming it answers 304.
 */
static int
static_file(struct http *s, struct req *r, struct reply *out)
{
	char		 rel[URL_MAX + 16], full[PATH_MAX * 2], real[PATH_MAX];
	char		 tag[ETAG_MAX - 8];	/* room for the quotes */
	const char	*p, *ext, *path = r->path, *ctype;
	struct stat	 sb;
	struct prepared	*prep;
	size_t		 i, len = strlen(path), rootlen;
	int		 fd, text;

	if (len == 0 || len > URL_MAX || path[0] != '/')
		return reply_error(out, ERR_NO_PAGE);
	for (p = path; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._/-", *p) == NULL)
			return reply_error(out, ERR_NO_PAGE);
	if (strstr(path, "/.") != NULL || strstr(path, "//") != NULL)
		return reply_error(out, ERR_NO_PAGE);
	snprintf(rel, sizeof(rel), "%s%s", path,
	    path[len - 1] == '/' ? "index.html" : "");
	if ((size_t)snprintf(full, sizeof(full), "%s%s", s->webroot, rel) >=
	    sizeof(full))
		return reply_error(out, ERR_NO_PAGE);
	if (realpath(full, real) == NULL)
		return reply_error(out, ERR_NO_PAGE);
	rootlen = strlen(s->webroot);
	if (strncmp(real, s->webroot, rootlen) != 0 || real[rootlen] != '/')
		return reply_error(out, ERR_NO_PAGE);
	if (stat(real, &sb) == -1)
		return reply_error(out, ERR_NO_PAGE);
	if (S_ISDIR(sb.st_mode)) {
		out->location = xasprintf("%s/", path);
		out->body = xstrdup("");
		out->ctype = "text/plain; charset=utf-8";
		return 301;
	}
	if (!S_ISREG(sb.st_mode))
		return reply_error(out, ERR_NO_PAGE);
	ctype = "application/octet-stream";
	if ((ext = strrchr(real, '.')) != NULL)
		for (i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
			if (strcmp(ext, mimes[i].ext) == 0)
				ctype = mimes[i].ctype;
	/* Text: from memory, gzipped once (webcache.c). */
	text = webcache_compressible(ctype);
	if (text && (prep = webcache_find(real, &sb)) != NULL)
		return reply_prepared(r, out, prep);
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) == -1)
		return reply_error(out, ERR_NO_PAGE);
	/* The file as opened: its size and tag match the bytes sent. */
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return reply_error(out, ERR_NO_PAGE);
	}
	if (text && (prep = webcache_put(real, fd, &sb, ctype)) != NULL) {
		close(fd);
		return reply_prepared(r, out, prep);
	}
	/* Images and the rare large file: from disk, as they are. */
	out->fd = fd;
	out->fdlen = (uint64_t)sb.st_size;
	out->cache = 1;
	out->ctype = ctype;
	webcache_tag(&sb, tag, sizeof(tag));
	snprintf(out->etag, sizeof(out->etag), "\"%s\"", tag);
	if (prepared_etag_match(req_header(r, "If-None-Match"), out->etag))
		return 304;
	return 200;
}

/* ---- dispatch ---- */

/* The forwarding headers of a request: the last of each kind. */
struct forwarding {
	const char	*xff;		/* X-Forwarded-For */
	const char	*fwd;		/* Forwarded */
	const char	*proto;		/* X-Forwarded-Proto */
};

static enum MHD_Result
forwarding_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct forwarding	*f = cls;

	(void)kind;
	if (value == NULL)
		return MHD_YES;
	if (strcasecmp(key, "X-Forwarded-For") == 0)
		f->xff = value;
	else if (strcasecmp(key, "Forwarded") == 0)
		f->fwd = value;
	else if (strcasecmp(key, "X-Forwarded-Proto") == 0)
		f->proto = value;
	return MHD_YES;
}

/*
 * Who sent the request, for the rate limits: the peer's address, or,
 * when the peer is a trusted proxy (--trusted-proxy), the client it
 * names (proxy.c).  r->secure: the client's connection is TLS, ours or
 * the trusted proxy's (X-Forwarded-Proto: https); cookies get Secure.
 */
static void
client_address(struct http *s, struct MHD_Connection *c, struct req *r)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;
	struct forwarding		 f;

	snprintf(r->client, sizeof(r->client), "unknown");
	r->secure = s->tls;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, r->client,
		    (socklen_t)sizeof(r->client));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, r->client,
		    (socklen_t)sizeof(r->client));
	if (!proxy_trusted(s->proxies, sa))
		return;
	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(c, MHD_HEADER_KIND, forwarding_header, &f);
	(void)proxy_client(s->proxies, f.xff, f.fwd, r->client,
	    sizeof(r->client));
	if (f.proto != NULL && strcasecmp(f.proto, "https") == 0)
		r->secure = 1;
}

/* "GET, POST": the methods the routes matching path accept. */
static char *
allowed_methods(const char *path)
{
	struct buf	 b;
	int64_t		 ids[PATH_IDS];
	char		 word[PATH_WORD_MAX + 1];
	size_t		 i;

	buf_init(&b, 256);
	for (i = 0; i < nroutes; i++) {
		if (!path_match(routes[i].pattern, path, ids, word))
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
 * method (405), body size (413), session (401; 503 when it cannot be
 * checked), CSRF on writes (403), a password to change first (403),
 * role (403), JSON body (400).  Sets
 * r->route.  Returns the status; out holds the body.
 */
static int
dispatch(struct http *s, struct req *r, struct conn_ctx *cc,
    struct reply *out)
{
	const struct route	*rt = NULL;
	json_error_t		 jerr;
	size_t			 i;
	int			 path_found = 0, rc;
	const char		*method = r->method;

	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	if (strlen(r->path) > URL_MAX)
		return reply_error(out, ERR_URI_TOO_LONG);
	for (i = 0; i < nroutes; i++) {
		memset(r->ids, 0, sizeof(r->ids));
		memset(r->word, 0, sizeof(r->word));
		if (!path_match(routes[i].pattern, r->path, r->ids, r->word))
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
			return reply_error(out, ERR_NO_ROUTE);
		if (strcmp(method, "GET") != 0) {
			out->allow = xstrdup("GET, HEAD");
			return reply_error(out, ERR_METHOD_GET);
		}
		if (cc->body.len > 0 || cc->too_large)
			return reply_error(out, ERR_GET_BODY);
		return static_file(s, r, out);
	}
	if (rt == NULL) {
		out->allow = allowed_methods(r->path);
		return reply_error(out, ERR_METHOD);
	}
	r->route = rt;
	if (cc->too_large)
		return reply_error(out, ERR_TOO_LARGE);
	if (rt->auth != AUTH_NONE) {
		/* A storage fault is not a logout: 503, and the cookie stays. */
		rc = auth_session(r->app, req_cookie(r, "ita_session"),
		    &r->sess);
		if (rc == -1)
			return reply_error(out, ERR_SESSION_UNAVAILABLE);
		if ((r->has_session = rc == 1) == 0)
			return reply_error(out, ERR_UNAUTHORIZED);
		if (strcmp(method, "GET") != 0 &&
		    !auth_csrf_ok(r->app, &r->sess,
		    req_header(r, "X-CSRF-Token")))
			return reply_error(out, ERR_CSRF);
		if (r->sess.must_change && rt->auth != AUTH_SELF)
			return reply_error(out, ERR_PASSWORD_CHANGE);
		if (rt->auth == AUTH_ADMIN && !r->sess.is_admin)
			return reply_error(out, ERR_READ_ONLY);
	}
	if (rt->body) {
		r->json = json_loadb(cc->body.p == NULL ? "" : cc->body.p,
		    cc->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
		    &jerr);
		if (r->json == NULL)
			return reply_error_msg(out, ERR_BAD_JSON, "The body is "
			    "not valid JSON: %s.", jerr.text);
		if (!json_is_object(r->json))
			return reply_error(out, ERR_BODY_NOT_OBJECT);
	} else if (cc->body.len > 0 && strcmp(method, "GET") == 0)
		return reply_error(out, ERR_GET_BODY);
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
 * with Transfer-Encoding (ERR_FRAMING); a coding other than chunked
 * (ERR_NOT_IMPLEMENTED).  ERR_OK when the framing is plain.
 */
static enum err
framing_check(struct MHD_Connection *c)
{
	struct framing	f;

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(c, MHD_HEADER_KIND, framing_header, &f);
	if (f.unknown)
		return ERR_NOT_IMPLEMENTED;
	if (f.differ || (f.lengths > 0 && f.encodings > 0) || f.encodings > 1)
		return ERR_FRAMING;
	return ERR_OK;
}

/*
 * MHD's URI callback: the request line is in, its headers not yet.  Sets
 * up the request's context and checks the query string before MHD parses
 * it.  That check must come here: libmicrohttpd 0.9.75 stores each query
 * parameter as a record in the connection's memory pool (32 KiB, shared
 * with the read buffer and the reply's head) and ignores running out of it
 * while parsing the request line, so a few hundred parameters left the
 * connection without any reply until CONN_TIMEOUT.  MHD parses the query
 * from this very buffer after we return (it found the '?' before calling
 * us); ending the string just after the '?' leaves it nothing to store,
 * and on_request() answers with the error.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http	*s = cls;
	struct conn_ctx	*cc;
	char		*q;
	size_t		 args = 1;

	(void)c;
	cc = xcalloc(1, sizeof(*cc));
	buf_init_wiped(&cc->body, BODY_MAX);
	pthread_mutex_lock(&s->mu);
	s->inflight++;
	pthread_mutex_unlock(&s->mu);
	if ((q = strchr(uri, '?')) == NULL)
		return cc;
	if (strlen(q + 1) > QUERY_MAX)
		cc->query_err = ERR_QUERY_TOO_LONG;
	else {
		while ((q = strchr(q + 1, '&')) != NULL)
			args++;
		if (args > QUERY_ARGS_MAX)
			cc->query_err = ERR_TOO_MANY_PARAMS;
	}
	/* MHD's own read buffer, writable; const only in the prototype. */
	if (cc->query_err != ERR_OK)
		((char *)(uintptr_t)strchr(uri, '?'))[1] = '\0';
	return cc;
}

/* The connection's entry in http.conns (MHD's socket context), or NULL. */
static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci == NULL ? NULL : ci->socket_context;
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
	struct http		*s = cls;
	struct conn_ctx		*cc = *con_cls;
	struct conn		*conn;
	struct req		 r;
	struct reply		 out;
	const char		*cl;
	char			*end;
	unsigned long long	 clen;
	int			 status;
	enum err		 e;
	enum MHD_Result		 ret;

	(void)version;
	/* on_uri() made cc; MHD always calls it first. */
	assert(cc != NULL);
	if (!cc->started) {
		/* The head is in: the reaper's deadline no longer applies. */
		cc->started = 1;
		pthread_mutex_lock(&s->mu);
		if ((conn = conn_of(c)) != NULL)
			conn->busy = 1;
		pthread_mutex_unlock(&s->mu);
		if ((e = cc->query_err) != ERR_OK ||
		    (e = framing_check(c)) != ERR_OK) {
			memset(&out, 0, sizeof(out));
			out.fd = -1;
			status = reply_error(&out, e);
			return reply_counted(s, c, NULL, url, status, &out);
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
				status = reply_error(&out, ERR_TOO_LARGE);
				return reply_counted(s, c, NULL, url, status,
				    &out);
			}
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!cc->too_large &&
		    buf_append(&cc->body, upload, *upload_size) == -1) {
			cc->too_large = 1;
			buf_free(&cc->body);
			buf_init_wiped(&cc->body, BODY_MAX);
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
	if (cc->job != NULL) {
		/* Resumed: the writer has decided; the route answers. */
		memcpy(r.client, cc->client, sizeof(r.client));
		r.secure = cc->secure;
		r.route = cc->route;
		status = cc->route->resume(&r, cc->job, &out);
		job_free(cc->job);
		cc->job = NULL;
		return reply_counted(s, c, r.route, url, status, &out);
	}
	client_address(s, c, &r);
	status = dispatch(s, &r, cc, &out);
	if (status == HTTP_SUSPEND) {
		/* Only routes with a resume handler may suspend. */
		assert(r.route != NULL && r.route->resume != NULL &&
		    r.job != NULL);
		/* Suspend before queueing, so resume cannot come first. */
		cc->route = r.route;
		cc->job = r.job;
		memcpy(cc->client, r.client, sizeof(cc->client));
		cc->secure = r.secure;
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
	ret = reply_counted(s, c, r.route, url, status, &out);
	json_decref(r.json);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http	*s = cls;
	struct conn_ctx	*cc = *con_cls;
	struct conn	*conn;

	(void)toe;
	if (cc == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->inflight--;
	/*
	 * On a keep-alive connection the next head is due HEAD_TIMEOUT
	 * after this reply, so an idle one is closed then too.
	 */
	if ((conn = conn_of(c)) != NULL) {
		conn->busy = 0;
		conn->due = now_ms() + HEAD_TIMEOUT * 1000;
	}
	pthread_mutex_unlock(&s->mu);
	buf_free(&cc->body);
	job_free(cc->job);
	free(cc);
	*con_cls = NULL;
}

/* ---- connection guards ---- */

/*
 * The network of sa as a key: 4 and the /24 of an IPv4 address (mapped
 * ones too), or 6 and the /64 of an IPv6 one; all zero when unknown.
 */
static void
net_key(const struct sockaddr *sa, unsigned char key[9])
{
	const unsigned char	*a;

	memset(key, 0, 9);
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
		key[0] = 4;
		memcpy(key + 1, a, 3);
	} else if (sa->sa_family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)
		    (const void *)a)) {
			key[0] = 4;
			memcpy(key + 1, a + 12, 3);
		} else {
			key[0] = 6;
			memcpy(key + 1, a, 8);
		}
	}
}

/*
 * Open connections from the network key, not counting those we cut.  A
 * walk of the list, under s->mu: it holds at most CONN_MAX entries, and
 * a hash would be more code than this costs.
 */
static size_t
net_count(struct http *s, const unsigned char key[9])
{
	struct conn	*c;
	size_t		 n = 0;

	if (key[0] == 0)
		return 0;
	for (c = s->conns; c != NULL; c = c->next)
		if (!c->cut && memcmp(c->net, key, 9) == 0)
			n++;
	return n;
}

/*
 * MHD's accept policy: refuse a connection from a network that already
 * has CONN_PER_NET, before MHD spends a TLS handshake on it.  Connections
 * accepted at once by several workers may pass together; on_connection()
 * cuts the excess.
 */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *sa, socklen_t salen)
{
	struct http	*s = cls;
	unsigned char	 key[9];
	size_t		 n;

	(void)salen;
	if (!s->caps || proxy_trusted(s->proxies, sa))
		return MHD_YES;
	net_key(sa, key);
	pthread_mutex_lock(&s->mu);
	n = net_count(s, key);
	pthread_mutex_unlock(&s->mu);
	return n >= CONN_PER_NET ? MHD_NO : MHD_YES;
}

/*
 * MHD's connection notices: register a new connection with the time its
 * head is due (cutting it at once past CONN_PER_NET), and unregister a
 * closed one.  The entry is MHD's socket context for the connection.
 */
static void
on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http			*s = cls;
	struct conn			*c = *socket_context;
	const union MHD_ConnectionInfo	*ci;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = xcalloc(1, sizeof(*c));
		ci = MHD_get_connection_info(mc,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci == NULL ? -1 : ci->connect_fd;
		ci = MHD_get_connection_info(mc,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		/* A trusted proxy carries many clients: no cap (key 0). */
		if (ci != NULL && !proxy_trusted(s->proxies, ci->client_addr))
			net_key(ci->client_addr, c->net);
		c->due = now_ms() + HEAD_TIMEOUT * 1000;
		pthread_mutex_lock(&s->mu);
		if ((c->next = s->conns) != NULL)
			c->next->prev = c;
		s->conns = c;
		if (s->caps && c->fd != -1 &&
		    net_count(s, c->net) > CONN_PER_NET) {
			/* MHD reads EOF and closes it itself. */
			shutdown(c->fd, SHUT_RDWR);
			c->cut = 1;
		}
		pthread_mutex_unlock(&s->mu);
		*socket_context = c;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || c == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->mu);
	free(c);
	*socket_context = NULL;
}

/*
 * The reaper thread: once a second, shut down the connections whose
 * request head is overdue (slowloris: a byte now and then keeps MHD's
 * inactivity timeout from ever firing).  shutdown(2), not close(2): the
 * socket stays MHD's, which sees EOF and closes the connection in its own
 * thread, and s->mu keeps CLOSED from freeing the entry meanwhile.
 */
static void *
reaper(void *arg)
{
	struct http	*s = arg;
	struct conn	*c;
	struct timespec	 ts;
	int64_t		 now;

	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		now = now_ms();
		for (c = s->conns; c != NULL; c = c->next)
			if (!c->busy && !c->cut && c->fd != -1 &&
			    now >= c->due) {
				shutdown(c->fd, SHUT_RDWR);
				c->cut = 1;
			}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 1;
		(void)pthread_cond_timedwait(&s->wake, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/*
 * MHD's error log, throttled: a hostile client can make MHD log a line
 * per connection.  Each kind of message (its format) gets at most one
 * line per LOG_EVERY_MS; the next line printed says how many were
 * dropped.  LOG_KINDS kinds are tracked; a new one takes the slot of the
 * least recently printed.
 */
static void __attribute__((format(printf, 2, 0)))
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http	*s = cls;
	struct logkind	*k = NULL, *oldest = NULL;
	char		 line[512], more[64];
	unsigned long	 dropped;
	int64_t		 now = now_ms();
	size_t		 i, len;

	pthread_mutex_lock(&s->logmu);
	for (i = 0; i < LOG_KINDS && k == NULL; i++) {
		if (s->logs[i].fmt[0] != '\0' &&
		    strncmp(s->logs[i].fmt, fmt, LOG_KEY - 1) == 0)
			k = &s->logs[i];
		else if (oldest == NULL || s->logs[i].last < oldest->last)
			oldest = &s->logs[i];
	}
	if (k == NULL) {
		k = oldest;
		snprintf(k->fmt, sizeof(k->fmt), "%s", fmt);
		k->last = INT64_MIN;
		k->dropped = 0;
	}
	if (k->last != INT64_MIN && now - k->last < LOG_EVERY_MS) {
		k->dropped++;
		pthread_mutex_unlock(&s->logmu);
		return;
	}
	k->last = now;
	dropped = k->dropped;
	k->dropped = 0;
	pthread_mutex_unlock(&s->logmu);

	(void)vsnprintf(line, sizeof(line), fmt, ap);
	for (len = strlen(line); len > 0 && (line[len - 1] == '\n' ||
	    line[len - 1] == '\r' || line[len - 1] == ' '); len--)
		line[len - 1] = '\0';
	more[0] = '\0';
	if (dropped > 0)
		snprintf(more, sizeof(more), " (%lu similar lines dropped)",
		    dropped);
	log_warn("libmicrohttpd: %s%s", line, more);
}

/*
 * How many connections to allow: CONN_MAX, each a descriptor, so first
 * raise the soft open-file limit towards the hard one if it is short
 * (the usual soft 1024 would not even hold CONN_MAX), and stay FD_SPARE
 * under whatever we get.
 */
static unsigned int
conn_limit(void)
{
	struct rlimit	rl;
	rlim_t		want = CONN_MAX + FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit: %s", strerror(errno));
		return CONN_MAX / 4;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1 &&
		    getrlimit(RLIMIT_NOFILE, &rl) == -1)
			return CONN_MAX / 4;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return CONN_MAX;
	log_warn("the open-file limit (%llu) allows %llu connections, not %d",
	    (unsigned long long)rl.rlim_cur, rl.rlim_cur > 2 * FD_SPARE ?
	    (unsigned long long)(rl.rlim_cur - FD_SPARE) :
	    (unsigned long long)(rl.rlim_cur / 2), CONN_MAX);
	return (unsigned int)(rl.rlim_cur > 2 * FD_SPARE ?
	    rl.rlim_cur - FD_SPARE : rl.rlim_cur / 2);
}

static void
on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	log_err("libmicrohttpd: %s:%u: %s", file, line,
	    reason == NULL ? "panic" : reason);
	abort();
}

/*
 * Start serving on the listening socket listen_fd (taken over: closed
 * on failure too) the API and the static files under webroot (a real
 * path), with TLS when tls is set (the pair tls_load() loaded last),
 * handing responses to w.  *out gets the server.  0, or -1 (logged).
 */
int
http_start(struct app *app, struct writer *w, const char *webroot,
    int listen_fd, int tls, struct http **out)
{
	struct http		*s;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	pthread_condattr_t	 ca;
	unsigned int		 flags;
	char			 why[128];
	int			 rc;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->w = w;
	s->tls = tls;
	s->caps = strcmp(app->cfg.rate_limits, "on") == 0;
	if (app->cfg.trusted_proxies != NULL && proxy_parse(
	    app->cfg.trusted_proxies, &s->proxies, why, sizeof(why)) == -1) {
		log_err("--trusted-proxy: %s: not an address or CIDR", why);
		free(s);
		close(listen_fd);
		return -1;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->logmu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((size_t)snprintf(s->webroot, sizeof(s->webroot), "%s", webroot) >=
	    sizeof(s->webroot)) {
		log_err("%s: path too long", webroot);
		goto fail;
	}
	MHD_set_panic_func(on_panic, NULL);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (tls)
		flags |= MHD_USE_TLS;
	if (getsockname(listen_fd, (struct sockaddr *)&ss, &sslen) == 0 &&
	    ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, on_accept, s, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, conn_limit(),
	    /*
	     * libmicrohttpd's cap per address would hold a trusted proxy
	     * to CONN_PER_IP connections for all its clients; with proxies
	     * the cap per network (on_accept, which exempts them) remains.
	     */
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)(s->caps &&
	    s->proxies == NULL ? CONN_PER_IP : 0),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_POOL,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END,
	    tls_retrieve,
	    MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		log_err("cannot start the HTTP server on %s",
		    app->cfg.listen);
		goto fail;
	}
	if ((rc = pthread_create(&s->reaper, NULL, reaper, s)) != 0) {
		log_err("pthread_create: %s", strerror(rc));
		MHD_stop_daemon(s->d);	/* closes listen_fd */
		listen_fd = -1;
		goto fail;
	}
	s->reaping = 1;
	*out = s;
	return 0;
fail:
	if (listen_fd != -1)
		close(listen_fd);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->logmu);
	pthread_mutex_destroy(&s->mu);
	proxy_free(s->proxies);
	free(s);
	return -1;
}

/*
 * Stop accepting (new connections are refused), then wait up to seconds
 * for the requests in flight, not for idle keep-alive connections, which
 * http_stop() closes.  Returns the requests still running.
 */
int64_t
http_drain(struct http *s, int seconds)
{
	MHD_socket	lfd;
	int64_t		busy = 0;
	int		waited;

	if ((lfd = MHD_quiesce_daemon(s->d)) != MHD_INVALID_SOCKET) {
		shutdown(lfd, SHUT_RDWR);	/* refuse new connections */
		close(lfd);			/* ours again after quiesce */
	}
	for (waited = 0; waited < seconds * 100; waited++) {
		pthread_mutex_lock(&s->mu);
		busy = s->inflight;
		pthread_mutex_unlock(&s->mu);
		if (busy == 0)
			break;
		usleep(10 * 1000);
	}
	return busy;
}

/* Stop the server and free it.  Accepts NULL. */
void
http_stop(struct http *s)
{
	if (s == NULL)
		return;
	if (s->reaping) {
		pthread_mutex_lock(&s->mu);
		s->stopping = 1;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->reaper, NULL);
	}
	/* Each connection's CLOSED notice frees its entry. */
	MHD_stop_daemon(s->d);
	formdoc_clear();
	webcache_clear();
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->logmu);
	pthread_mutex_destroy(&s->mu);
	proxy_free(s->proxies);
	free(s);
}
