/* SPDX-License-Identifier: ISC */
/*
 * The OIT watcher: a thread of the server that checks every evidence URL
 * when it is due (oit.interval, or oit.strict_interval inside the
 * assessment window), all of them at once through one libcurl multi
 * handle, so that a slow or hostile site delays only its own check.
 * Each finished check is recorded in one transaction: the URL's state,
 * a line of the check log when something changed, the day's summary,
 * alerts raised or cleared (one per incident, one on recovery), and the
 * last good copy.  Then the notices of those alerts go out (notify.c).
 * "oit check" runs the same pass once, from the shell.
 */
/* SOCK_CLOEXEC is a GNU/Linux extension. */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "db.h"
#include "oit.h"
#include "oitdb.h"

#define PARALLEL_MAX	16	/* fetches in flight at once */
#define FETCH_MIN	(1024 * 1024) /* bytes read even when copies are
					 off: enough to judge the page */
#define TITLE_SCAN	(64 * 1024) /* bytes searched for <title>, <h1> */
#define SMALLER_ACCEPT	86400	/* seconds a smaller page must stay the
				   same before it is the new normal */
#define TICK_MS		1000	/* longest wait between two looks */

/* One check in flight. */
struct xfer {
	struct oit_url		 u;		/* the URL's row; owned */
	CURL			*h;
	struct oit_check	 c;
	crypto_hash_sha256_state sha;
	size_t			 cap;		/* bytes read at most */
	size_t			 bodysz;	/* allocated */
	const struct app	*app;		/* for the address rule */
	int			 blocked;	/* the address rule refused */
	struct curl_slist	*hdrs;
	struct xfer		*next;
};

struct oit_watch {
	struct app	*app;
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	int		 stop;		/* under mu */
	int		 kick;		/* under mu: check all now */
	CURLM		*multi;
};

/* Pages whose title or first heading says this are error pages. */
static const char *const error_words[] = {
	"404", "403", "500", "502", "503", "not found", "error",
	"forbidden", "unavailable", "maintenance", "\xe0\xb9\x84\xe0\xb8\xa1"
	"\xe0\xb9\x88\xe0\xb8\x9e\xe0\xb8\x9a",		/* ไม่พบ */
	"\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xad\xe0\xb8\x9c\xe0\xb8\xb4\xe0"
	"\xb8\x94\xe0\xb8\x9e\xe0\xb8\xa5\xe0\xb8\xb2\xe0\xb8\x94", /* ข้อผิดพลาด */
	"\xe0\xb8\x9b\xe0\xb8\xb4\xe0\xb8\x94\xe0\xb8\x9b\xe0\xb8\xa3\xe0"
	"\xb8\xb1\xe0\xb8\x9a\xe0\xb8\x9b\xe0\xb8\xa3\xe0\xb8\xb8\xe0\xb8"
	"\x87",						/* ปิดปรับปรุง */
};

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static void
xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	if (x->h != NULL)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->hdrs);
	free(x->u.checklist);
	free(x->u.item);
	free(x->u.url);
	free(x->u.final_url);
	free(x->c.body);
	if (x->c.spill != NULL)
		fclose(x->c.spill);
	free(x);
}

/*
 * Every connection the fetch opens, to the first address and after each
 * redirect, passes here after DNS: the address rule decides.
 */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer	*x = arg;

	(void)purpose;
	if (!oit_addr_allowed(x->app, &a->addr)) {
		x->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/*
 * Move the body from memory to a temporary file (unlinked, in /tmp),
 * once it outgrows OIT_BODY_MEM.  0, or -1 (logged).
 */
static int
body_spill(struct xfer *x)
{
	if ((x->c.spill = tmpfile()) == NULL) {
		log_err("oit: %s: tmpfile: %s", x->u.url, strerror(errno));
		return -1;
	}
	if (x->c.body_len > 0 && fwrite(x->c.body, 1, x->c.body_len,
	    x->c.spill) != x->c.body_len) {
		log_err("oit: %s: tmpfile: %s", x->u.url, strerror(errno));
		return -1;
	}
	free(x->c.body);
	x->c.body = NULL;
	x->bodysz = 0;
	return 0;
}

/*
 * The body: hashed whole, kept in memory up to OIT_BODY_MEM and in a
 * temporary file past it, cut off past the cap.
 */
static size_t
body_write(char *p, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;
	size_t		 len = size * n;

	if (x->c.body_len + len > x->cap) {
		x->c.truncated = 1;
		return 0;		/* stops the transfer */
	}
	crypto_hash_sha256_update(&x->sha, (const unsigned char *)p, len);
	if (x->c.spill == NULL && x->c.body_len + len > OIT_BODY_MEM &&
	    body_spill(x) == -1)
		return 0;
	if (x->c.spill != NULL) {
		if (fwrite(p, 1, len, x->c.spill) != len)
			return 0;
		x->c.body_len += len;
		return len;
	}
	if (x->c.body_len + len > x->bodysz) {
		x->bodysz = x->bodysz * 2 > x->c.body_len + len ?
		    x->bodysz * 2 : x->c.body_len + len;
		if (x->bodysz > OIT_BODY_MEM)
			x->bodysz = OIT_BODY_MEM;
		x->c.body = xreallocarray(x->c.body, x->bodysz, 1);
	}
	memcpy(x->c.body + x->c.body_len, p, len);
	x->c.body_len += len;
	return len;
}

static const char *
user_agent(void)
{
	return "ita-survey/" ITA_VERSION " (OIT evidence watcher)";
}

/* A fetch of x->u.url with every cap and rule set.  0 or -1. */
static int
xfer_setup(struct xfer *x, const struct app *app, const struct oit_conf *cf)
{
	CURL	*h;
	long	 secs = (long)cf->timeout;

	if ((h = x->h = curl_easy_init()) == NULL)
		return -1;
	x->cap = cf->copy_max > FETCH_MIN ? (size_t)cf->copy_max : FETCH_MIN;
	crypto_hash_sha256_init(&x->sha);
	x->hdrs = curl_slist_append(NULL, "Accept: text/html,application/"
	    "xhtml+xml,application/pdf,*/*;q=0.8");
	if (curl_easy_setopt(h, CURLOPT_URL, x->u.url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK)
		return -1;
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)OIT_REDIRECTS_MAX);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, secs);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, secs < 10 ? secs : 10L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent());
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	/* No proxy from the environment, no cookies, no .netrc. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	/* A fresh connection each time, as an assessor's browser would
	 * open one, so the certificate is seen on every check. */
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
	if (app->cfg.oit_ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, app->cfg.oit_ca_file);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	return 0;
}

static struct xfer *
xfer_new(const struct oit_url *u, struct app *app, const struct oit_conf *cf)
{
	struct xfer	*x = xcalloc(1, sizeof(*x));

	x->u = *u;
	x->u.checklist = xstrdup(u->checklist);
	x->u.item = xstrdup(u->item);
	x->u.url = xstrdup(u->url);
	x->u.final_url = xstrdup(u->final_url);
	x->app = app;
	x->c.at = now_s();
	x->c.ttfb_ms = -1;
	x->c.cert_days = -1;
	if (xfer_setup(x, app, cf) == -1) {
		log_err("oit: %s: cannot set up a fetch", u->url);
		xfer_free(x);
		return NULL;
	}
	return x;
}

/*
 * Days until the leaf certificate's "Expire date" (libcurl's certinfo:
 * "2026-12-09 10:00:00 GMT" from its own ASN.1 reader, or OpenSSL's
 * "Dec  9 10:00:00 2026 GMT"), rounded down; -1 when unknown.
 */
static int64_t
cert_days(CURL *h, int64_t now)
{
	static const char	 months[] = "JanFebMarAprMayJunJulAugSepOctNov"
	    "Dec";
	struct curl_certinfo	*ci = NULL;
	struct curl_slist	*l;
	struct tm		 tm;
	const char		*v;
	char			 mon[4];
	int			 y, mo, d, hh, mm, ss;
	const char		*p;
	time_t			 t;

	if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    ci == NULL || ci->num_of_certs < 1)
		return -1;
	for (l = ci->certinfo[0]; l != NULL; l = l->next) {
		if (strncasecmp(l->data, "Expire date:", 12) != 0)
			continue;
		v = l->data + 12;
		memset(&tm, 0, sizeof(tm));
		if (sscanf(v, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &hh,
		    &mm, &ss) == 6) {
			/* found */
		} else if (sscanf(v, "%3s %d %d:%d:%d %d", mon, &d, &hh, &mm,
		    &ss, &y) == 6 && (p = strstr(months, mon)) != NULL) {
			mo = (int)((p - months) / 3) + 1;
		} else
			return -1;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_sec = ss;
		if ((t = timegm(&tm)) == (time_t)-1)
			return -1;
		return (int64_t)t <= now ? 0 : ((int64_t)t - now) / 86400;
	}
	return -1;
}

/*
 * The text of the first <tag ...>...</tag> of lower-case html into text
 * (textsz bytes, cut to fit); 1, or 0 when there is none.
 */
static int
tag_text(const char *html, const char *tag, char *text, size_t textsz)
{
	const char	*s, *e;
	size_t		 len = strlen(tag), n;

	for (s = html; (s = strstr(s, tag)) != NULL; s += len)
		if (s[len] == '>' || s[len] == ' ' || s[len] == '\t' ||
		    s[len] == '\n' || s[len] == '\r')
			break;
	if (s == NULL || (s = strchr(s, '>')) == NULL)
		return 0;
	s++;
	n = (e = strchr(s, '<')) != NULL ? (size_t)(e - s) : strlen(s);
	if (n >= textsz)
		n = textsz - 1;
	memcpy(text, s, n);
	text[n] = '\0';
	return 1;
}

/*
 * Whether the HTML page's <title> or first <h1> reads as an error page
 * (error_words), looking at its first TITLE_SCAN bytes, ASCII letters
 * folded to lower case.
 */
static int
error_page(const struct oit_check *c)
{
	static const char *const tags[] = { "<title", "<h1" };
	char		*low, *text;
	size_t		 len, i, j;
	int		 found = 0;

	if (c->body == NULL || strcasestr(c->ctype, "html") == NULL)
		return 0;
	len = c->body_len < TITLE_SCAN ? c->body_len : TITLE_SCAN;
	low = xcalloc(1, len + 1);
	text = xcalloc(1, len + 1);	/* a tag's text is never longer */
	for (j = 0; j < len; j++)
		low[j] = (char)(c->body[j] >= 'A' && c->body[j] <= 'Z' ?
		    c->body[j] + 32 : c->body[j] == '\0' ? ' ' : c->body[j]);
	for (i = 0; i < 2 && !found; i++)
		if (tag_text(low, tags[i], text, len + 1))
			for (j = 0; j < sizeof(error_words) /
			    sizeof(error_words[0]) && !found; j++)
				found = strstr(text, error_words[j]) != NULL;
	free(low);
	free(text);
	return found;
}

static void
set_error(struct oit_check *c, enum oit_state s, const char *why)
{
	c->state = s;
	snprintf(c->error, sizeof(c->error), "%s", why);
}

static const char *
curl_why(CURLcode rc, int blocked)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "dns";
	case CURLE_COULDNT_CONNECT:
		return blocked ? "blocked_address" : "connect";
	case CURLE_TOO_MANY_REDIRECTS:
		return "too_many_redirects";
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "bad_redirect";
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return "tls";
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return "no_answer";
	default:
		return "fetch";
	}
}

/*
 * What the finished fetch x found, in x->c: the facts, then the state.
 * Up: a 2xx answer.  Suspect: a 2xx that is empty, reads as an error
 * page, or is less than half its last good copy (unless that same body
 * has been served for SMALLER_ACCEPT seconds: then it is the new normal).
 * Down: anything else.
 */
static void
xfer_judge(struct xfer *x, CURLcode rc, const char *main_host)
{
	struct oit_check	*c = &x->c;
	unsigned char		 md[crypto_hash_sha256_BYTES];
	curl_off_t		 t = 0, clen = -1;
	char			*s = NULL;
	long			 status = 0;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	c->status = status;
	if (curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK &&
	    s != NULL)
		snprintf(c->final_url, sizeof(c->final_url), "%s", s);
	c->on_site = oit_on_site(c->final_url[0] != '\0' ? c->final_url :
	    x->u.url, main_host);
	if (curl_easy_getinfo(x->h, CURLINFO_STARTTRANSFER_TIME_T, &t) ==
	    CURLE_OK && t > 0 && status > 0)
		c->ttfb_ms = (int64_t)(t / 1000);
	s = NULL;
	if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK &&
	    s != NULL)
		snprintf(c->ctype, sizeof(c->ctype), "%s", s);
	c->cert_days = cert_days(x->h, c->at);
	c->size = (int64_t)c->body_len;
	if (c->truncated) {
		/* Too large to keep: the size it declares, no hash. */
		if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
		    &clen) == CURLE_OK && clen > c->size)
			c->size = (int64_t)clen;
		free(c->body);
		c->body = NULL;
		if (c->spill != NULL)
			fclose(c->spill);
		c->spill = NULL;
		c->body_len = 0;
	} else if (rc == CURLE_OK) {
		crypto_hash_sha256_final(&x->sha, md);
		sodium_bin2hex(c->sha256, sizeof(c->sha256), md, sizeof(md));
	}
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && c->truncated)) {
		set_error(c, OIT_DOWN, curl_why(rc, x->blocked));
		return;
	}
	if (status < 200 || status > 299) {
		set_error(c, OIT_DOWN, "http_status");
		return;
	}
	c->state = OIT_UP;
	if (c->truncated)
		return;
	if (c->body_len == 0)
		set_error(c, OIT_SUSPECT, "empty");
	else if (error_page(c))
		set_error(c, OIT_SUSPECT, "error_page");
	else if (x->u.copy_size > 0 &&
	    (int64_t)c->body_len * 2 < x->u.copy_size &&
	    !(x->u.state == OIT_SUSPECT && x->u.since > 0 &&
	    c->at - x->u.since >= SMALLER_ACCEPT &&
	    x->u.checked_at > 0 && x->u.final_url[0] != '\0' &&
	    strcmp(x->u.sha256, c->sha256) == 0))
		set_error(c, OIT_SUSPECT, "smaller");
}

/* The local day of t, "YYYY-MM-DD". */
static void
local_day(int64_t t, char day[11])
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(day, 11, "%Y-%m-%d", &tm) != 10)
		snprintf(day, 11, "1970-01-01");
}

/* The alert's facts as JSON text (caller frees). */
static char *
alert_detail(const struct xfer *x, int64_t fails)
{
	const struct oit_check	*c = &x->c;
	json_t			*o;
	char			*s;

	o = json_pack("{s:s, s:I, s:s, s:s, s:b, s:I, s:I}",
	    "state", oit_state_name(c->state), "status", (json_int_t)c->status,
	    "error", c->error, "final_url", c->final_url, "on_site",
	    c->on_site, "cert_days", (json_int_t)c->cert_days, "fails",
	    (json_int_t)fails);
	s = o == NULL ? NULL : json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s == NULL ? xstrdup("{}") : s;
}

/* Queue the event's notices on every channel configured now. */
static int
notices_add(struct db *db, const struct oit_conf *cf, int64_t alert,
    const char *event, int64_t at)
{
	if (cf->smtp_url[0] != '\0' && cf->mail_to[0] != '\0' &&
	    oitdb_notice_add(db, alert, event, "mail", at) == -1)
		return -1;
	if (cf->webhook[0] != '\0' &&
	    oitdb_notice_add(db, alert, event, "webhook", at) == -1)
		return -1;
	return 0;
}

/*
 * Raise the URL's alert of kind when raise is 1 and none is open; clear
 * it when raise is 0 and one is; leave it when raise is -1 (the check
 * could not tell).  *changed counts alerts raised or cleared.
 */
static int
alert_set(struct db *db, const struct oit_conf *cf, const struct xfer *x,
    const char *kind, int raise, int64_t fails, int *changed)
{
	int64_t	 alert;
	char	*detail;
	int	 rc;

	if (raise == -1)
		return 0;
	if ((rc = oitdb_alert_open_get(db, x->u.id, kind, &alert)) == -1)
		return -1;
	if (raise && rc == 0) {
		detail = alert_detail(x, fails);
		rc = oitdb_alert_open(db, x->u.id, kind, x->c.at, detail,
		    &alert);
		free(detail);
		if (rc == -1 || notices_add(db, cf, alert, "open",
		    x->c.at) == -1)
			return -1;
		log_warn("oit: %s %s: alert %s raised (%s)", x->u.item,
		    x->u.url, kind, x->c.error[0] ? x->c.error : "-");
		(*changed)++;
	} else if (!raise && rc == 1) {
		if (oitdb_alert_close(db, alert, x->c.at) == -1 ||
		    notices_add(db, cf, alert, "close", x->c.at) == -1)
			return -1;
		log_info("oit: %s %s: alert %s cleared", x->u.item, x->u.url,
		    kind);
		(*changed)++;
	}
	return 0;
}

/*
 * Keep the good body as the URL's copy when it is new, fits the size
 * limit and, with the others, the quota.  A body over either is not
 * kept, and the older copy stays.
 */
static int
copy_keep(struct db *db, const struct oit_conf *cf, const struct xfer *x)
{
	const struct oit_check	*c = &x->c;
	int64_t			 size, others;
	char			 sha[65];

	if (c->state != OIT_UP || (c->body == NULL && c->spill == NULL) ||
	    c->truncated || (int64_t)c->body_len > cf->copy_max)
		return 0;
	if (oitdb_copy_size(db, x->u.id, &size, sha) == -1)
		return -1;
	if (size == (int64_t)c->body_len && strcmp(sha, c->sha256) == 0)
		return 0;		/* the same document */
	if (oitdb_copies_others(db, x->u.id, &others) == -1)
		return -1;
	if (others + (int64_t)c->body_len > cf->copy_quota) {
		log_warn("oit: %s: copy of %zu bytes not kept: the quota of "
		    "%lld bytes is full", x->u.url, c->body_len,
		    (long long)cf->copy_quota);
		return 0;
	}
	return oitdb_copy_put(db, x->u.id, c);
}

/*
 * Record the finished check x in one transaction.  Returns the number of
 * alerts raised or cleared, or -1 (logged; the check is lost, the next
 * one will do).
 */
static int
record(struct app *app, const struct oit_conf *cf, struct xfer *x)
{
	struct db		*db = app->db;
	const struct oit_check	*c = &x->c;
	const struct oit_url	*u = &x->u;
	int64_t			 fails, since;
	char			 day[11];
	int			 changed = 0, moved, answered, rc;

	fails = c->state == OIT_UP ? 0 : u->fails + 1;
	since = c->state != u->state || u->since == 0 ? c->at : u->since;
	moved = u->checked_at == 0 || c->state != u->state ||
	    c->on_site != u->on_site ||
	    strcmp(c->final_url, u->final_url) != 0;
	answered = c->status > 0;
	local_day(c->at, day);
	db_lock(db);
	if (db_tx_begin(db) == -1 ||
	    (rc = oitdb_url_checked(db, u->id, c, since, fails)) == -1)
		goto fail;
	if (rc == 0) {
		/* Removed while we fetched: its history ends at removal. */
		db_tx_rollback(db);
		db_unlock(db);
		return 0;
	}
	if ((moved && oitdb_change_add(db, u->id, c) == -1) ||
	    oitdb_daily_add(db, u->id, day, c) == -1 ||
	    alert_set(db, cf, x, "down", fails >= cf->fails ? 1 :
	    fails == 0 ? 0 : -1, fails, &changed) == -1 ||
	    alert_set(db, cf, x, "offsite", answered ? !c->on_site : -1,
	    fails, &changed) == -1 ||
	    alert_set(db, cf, x, "cert", c->cert_days < 0 ? -1 :
	    c->cert_days < cf->cert_days, fails, &changed) == -1 ||
	    copy_keep(db, cf, x) == -1 ||
	    db_tx_commit(db) == -1)
		goto fail;
	db_unlock(db);
	return changed;
fail:
	db_tx_rollback(db);
	db_unlock(db);
	log_err("oit: %s: the check could not be recorded", u->url);
	return -1;
}

/* The check's line for "oit check" (caller owns). */
static json_t *
check_json(const struct xfer *x)
{
	const struct oit_check	*c = &x->c;

	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:b, s:I, s:I, "
	    "s:s, s:s, s:I, s:s}", "id", (json_int_t)x->u.id, "item",
	    x->u.item, "url", x->u.url, "state", oit_state_name(c->state),
	    "status", (json_int_t)c->status, "final_url", c->final_url,
	    "on_site", c->on_site, "ttfb_ms", (json_int_t)c->ttfb_ms,
	    "size", (json_int_t)c->size, "ctype", c->ctype, "sha256",
	    c->sha256, "cert_days", (json_int_t)c->cert_days, "error",
	    c->error);
}

/* The fetches in flight. */
struct flight {
	struct xfer	*x[PARALLEL_MAX];
	size_t		 n;
};

static int
flight_has(const struct flight *f, int64_t id)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (f->x[i]->u.id == id)
			return 1;
	return 0;
}

static void
flight_drop(struct flight *f, const struct xfer *x)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (f->x[i] == x) {
			f->x[i] = f->x[--f->n];
			return;
		}
}

/* Start checking u on multi.  0, or -1 (logged; it stays due). */
static int
launch(struct app *app, const struct oit_conf *cf, CURLM *multi,
    struct flight *f, const struct oit_url *u)
{
	struct xfer	*x;

	if (f->n == PARALLEL_MAX || (x = xfer_new(u, app, cf)) == NULL)
		return -1;
	if (curl_multi_add_handle(multi, x->h) != CURLM_OK) {
		xfer_free(x);
		return -1;
	}
	f->x[f->n++] = x;
	return 0;
}

/*
 * Let multi work, then judge and record every fetch it finished; results
 * (if not NULL) gets each check's line.  *running: fetches still going.
 */
static void
reap(struct app *app, const struct oit_conf *cf, CURLM *multi,
    struct flight *f, json_t *results, int *running)
{
	struct xfer	*x;
	CURLMsg		*msg;
	int		 left;

	if (curl_multi_perform(multi, running) != CURLM_OK)
		*running = 0;
	while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)(void *)&x);
		curl_multi_remove_handle(multi, msg->easy_handle);
		if (x == NULL)
			continue;
		flight_drop(f, x);
		xfer_judge(x, msg->data.result, cf->host);
		(void)record(app, cf, x);
		if (results != NULL)
			json_array_append_new(results, check_json(x));
		xfer_free(x);
	}
}

/* Abandon whatever is still in flight, unrecorded. */
static void
abandon(CURLM *multi, struct flight *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		curl_multi_remove_handle(multi, f->x[i]->h);
		xfer_free(f->x[i]);
	}
	f->n = 0;
}

/*
 * "oit check": every watched URL once, now, recorded like the watcher's
 * checks, then the notices sent.  *result: one line per URL (caller
 * owns).  ERR_OK, ERR_INTERNAL.
 */
enum err
oit_check_now(struct app *app, json_t **result)
{
	struct oit_conf	 cf;
	struct oit_url	*urls = NULL;
	struct flight	 f = { { 0 }, 0 };
	CURLM		*multi;
	size_t		 n = 0, i;
	int		 rc, running = 0;

	*result = NULL;
	if (oit_conf_read(app, &cf) == -1)
		return ERR_INTERNAL;
	db_lock(app->db);
	rc = oitdb_urls_live(app->db, &urls, &n);
	db_unlock(app->db);
	if (rc == -1 || (multi = curl_multi_init()) == NULL) {
		oitdb_urls_free(urls, n);
		return ERR_INTERNAL;
	}
	*result = json_array();
	for (i = 0;;) {
		while (i < n && f.n < PARALLEL_MAX)
			(void)launch(app, &cf, multi, &f, &urls[i++]);
		if (f.n == 0)
			break;
		reap(app, &cf, multi, &f, *result, &running);
		if (running > 0 && curl_multi_poll(multi, NULL, 0, TICK_MS,
		    NULL) != CURLM_OK)
			break;
	}
	abandon(multi, &f);
	curl_multi_cleanup(multi);
	oitdb_urls_free(urls, n);
	(void)oit_notify_pending(app, &cf, NULL, NULL);
	return ERR_OK;
}

/* Whether the server asked the watcher to stop. */
static int
stopping(void *arg)
{
	struct oit_watch	*w = arg;
	int			 stop;

	pthread_mutex_lock(&w->mu);
	stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}

/*
 * The watcher's loop: each tick (at most TICK_MS, sooner when a fetch
 * moves or someone kicks), start every due URL not in flight, record
 * what finished, send what is owed.  A URL is due when never checked,
 * when its interval has passed since its last check began, or when a
 * kick came after that.
 */
/* Whether id is among the n URLs in owed; if so, drop it (once). */
static int
owed_take(int64_t *owed, size_t *n, int64_t id)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (owed[i] == id) {
			owed[i] = owed[--*n];
			return 1;
		}
	return 0;
}

static void *
watch_main(void *arg)
{
	struct oit_watch	*w = arg;
	struct app		*app = w->app;
	struct oit_conf		 cf;
	struct oit_url		*urls;
	struct flight		 f = { { 0 }, 0 };
	int64_t			*owed = NULL, now, every;
	size_t			 nowed = 0, n, i;
	int			 stop, kick = 0, running = 0, rc, due;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		stop = w->stop;
		kick |= w->kick;
		w->kick = 0;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			break;
		now = now_s();
		if (oit_conf_read(app, &cf) == -1)
			goto wait;
		every = oit_conf_interval(&cf, now);
		urls = NULL;
		n = 0;
		db_lock(app->db);
		rc = oitdb_urls_live(app->db, &urls, &n);
		db_unlock(app->db);
		/* A kick owes every URL one check that starts after it. */
		if (rc == 0 && kick) {
			free(owed);
			owed = xcalloc(n + 1, sizeof(*owed));
			for (nowed = 0; nowed < n; nowed++)
				owed[nowed] = urls[nowed].id;
			kick = 0;
		}
		for (i = 0; rc == 0 && i < n && f.n < PARALLEL_MAX; i++) {
			if (flight_has(&f, urls[i].id))
				continue;
			due = urls[i].checked_at == 0 ||
			    now - urls[i].checked_at >= every;
			if ((owed_take(owed, &nowed, urls[i].id) || due) &&
			    launch(app, &cf, w->multi, &f, &urls[i]) == -1 &&
			    !due)
				owed[nowed++] = urls[i].id;	/* next tick */
		}
		oitdb_urls_free(urls, n);
		if (f.n > 0)
			reap(app, &cf, w->multi, &f, NULL, &running);
		(void)oit_notify_pending(app, &cf, stopping, w);
wait:
		(void)curl_multi_poll(w->multi, NULL, 0, TICK_MS, NULL);
	}
	abandon(w->multi, &f);
	free(owed);
	return NULL;
}

/*
 * Start the watcher thread (after the sandbox: it inherits it).  0 and
 * *out (stop with oit_watch_stop), or -1 (logged).
 */
int
oit_watch_start(struct app *app, struct oit_watch **out)
{
	struct oit_watch	*w;

	*out = NULL;
	w = xcalloc(1, sizeof(*w));
	w->app = app;
	pthread_mutex_init(&w->mu, NULL);
	if ((w->multi = curl_multi_init()) == NULL) {
		log_err("oit: curl_multi_init failed");
		goto fail;
	}
	if ((errno = pthread_create(&w->thread, NULL, watch_main, w)) != 0) {
		log_err("oit: pthread_create: %s", strerror(errno));
		goto fail;
	}
	*out = w;
	return 0;
fail:
	if (w->multi != NULL)
		curl_multi_cleanup(w->multi);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return -1;
}

/* Check every URL now (a URL added, a setting changed, a button). */
void
oit_watch_kick(struct oit_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->kick = 1;
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
}

/* Stop the thread (fetches in flight are dropped, unrecorded) and free. */
void
oit_watch_stop(struct oit_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	curl_multi_cleanup(w->multi);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
