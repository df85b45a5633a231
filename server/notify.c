/* SPDX-License-Identifier: ISC */
/*
 * Notices of the OIT desk's alerts: one when an incident opens and one
 * when it closes, by e-mail through the agency's SMTP server and as a
 * JSON POST to a webhook (chat bots), both with libcurl.  The notices
 * are rows (oit_notices) written in the same transaction as the alert,
 * so none is lost when the network or the mail server is down: each is
 * tried again later, up to NOTICE_TRIES times.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "db.h"
#include "oit.h"
#include "oitdb.h"

#define NOTICE_TRIES	10	/* attempts per notice */
#define NOTICES_BATCH	20	/* notices one call sends at most */
#define SEND_TIMEOUT	20L	/* seconds one delivery may take */
#define NOTICE_RETRY	60	/* seconds between two tries of one */

/* The sentence of an event, in Thai and in English (%s: item, url). */
struct words {
	const char	*kind;
	int		 close;
	const char	*th;
	const char	*en;
};

static const struct words words[] = {
	{ "down", 0, "หลักฐาน OIT ข้อ %s เปิดไม่ได้: %s",
	  "OIT evidence %s cannot be opened: %s" },
	{ "down", 1, "หลักฐาน OIT ข้อ %s กลับมาเปิดได้แล้ว: %s",
	  "OIT evidence %s opens again: %s" },
	{ "cert", 0, "ใบรับรอง TLS ของหลักฐาน OIT ข้อ %s ใกล้หมดอายุ: %s",
	  "The TLS certificate of OIT evidence %s expires soon: %s" },
	{ "cert", 1, "ใบรับรอง TLS ของหลักฐาน OIT ข้อ %s ต่ออายุแล้ว: %s",
	  "The TLS certificate of OIT evidence %s was renewed: %s" },
	{ "offsite", 0, "หลักฐาน OIT ข้อ %s ไม่อยู่บนเว็บไซต์หลักแล้ว: %s",
	  "OIT evidence %s is no longer on the main website: %s" },
	{ "offsite", 1, "หลักฐาน OIT ข้อ %s กลับมาอยู่บนเว็บไซต์หลักแล้ว: %s",
	  "OIT evidence %s is on the main website again: %s" },
};

static const struct words *
words_of(const struct oit_notice *n)
{
	size_t	i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].kind, n->kind) == 0 &&
		    words[i].close == n->close)
			return &words[i];
	return &words[0];
}

static void
iso_time(int64_t t, char out[32])
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

/* The sentences of n, formatted (caller frees both). */
static void
sentences(const struct oit_notice *n, char **th, char **en)
{
	const struct words	*w = words_of(n);

	/* The formats are the constants of words[], two %s each. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	*th = xasprintf(w->th, n->item, n->url);
	*en = xasprintf(w->en, n->item, n->url);
#pragma GCC diagnostic pop
}

/* The console's page of the item, when the public address is known. */
static char *
console_link(const struct app *app, const struct oit_notice *n)
{
	if (app->cfg.public_url == NULL)
		return NULL;
	return xasprintf("%s/admin/oit-item.html?item=%s",
	    app->cfg.public_url, n->item);
}

/* The webhook's JSON body (caller frees). */
static char *
webhook_body(const struct app *app, const struct oit_notice *n)
{
	json_t	*o, *detail;
	char	 opened[32], closed[32], *th, *en, *link, *s;

	iso_time(n->opened_at, opened);
	iso_time(n->closed_at, closed);
	sentences(n, &th, &en);
	link = console_link(app, n);
	if ((detail = json_loads(n->detail, 0, NULL)) == NULL)
		detail = json_object();
	o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:o, s:s, "
	    "s:s, s:s?}", "event", n->close ? "oit.alert.close" :
	    "oit.alert.open", "kind", n->kind, "alert", (json_int_t)n->alert,
	    "checklist", n->checklist, "item", n->item, "url", n->url,
	    "opened_at", opened, "closed_at", n->closed_at > 0 ? closed :
	    NULL, "detail", detail, "text", en, "text_th", th, "link", link);
	s = o == NULL ? NULL : json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(th);
	free(en);
	free(link);
	return s;
}

struct payload {
	const char	*p;
	size_t		 left;
};

static size_t
payload_read(char *dst, size_t size, size_t n, void *arg)
{
	struct payload	*pl = arg;
	size_t		 len = size * n < pl->left ? size * n : pl->left;

	memcpy(dst, pl->p, len);
	pl->p += len;
	pl->left -= len;
	return len;
}

/* base64 of s, for MIME (caller frees). */
static char *
b64(const char *s, size_t len)
{
	size_t	 sz = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL);
	char	*out = xcalloc(1, sz);

	return sodium_bin2base64(out, sz, (const unsigned char *)s, len,
	    sodium_base64_VARIANT_ORIGINAL);
}

/* The e-mail: headers and a base64 UTF-8 body (caller frees). */
static char *
mail_text(const struct app *app, const struct oit_conf *cf,
    const struct oit_notice *n)
{
	char		 date[64], opened[32], closed[32], id[33];
	unsigned char	 rnd[16];
	char		*th, *en, *link, *subject, *body, *b, *s, *sb;
	struct tm	 tm;
	time_t		 now = time(NULL);
	size_t		 i, len;
	struct buf	 out;
	int		 ok = 0;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	iso_time(n->opened_at, opened);
	iso_time(n->closed_at, closed);
	sentences(n, &th, &en);
	link = console_link(app, n);
	subject = xasprintf("[ITA OIT] %s / %s", th, en);
	body = xasprintf("%s\r\n%s\r\n\r\nitem / ข้อ: %s (%s)\r\nURL: %s\r\n"
	    "opened / เริ่ม: %s\r\n%s%s%sdetail: %s\r\n%s%s%s", th, en,
	    n->item, n->checklist, n->url, opened, n->close ?
	    "closed / สิ้นสุด: " : "", n->close ? closed : "",
	    n->close ? "\r\n" : "", n->detail, link != NULL ?
	    "console / หน้าจัดการ: " : "", link != NULL ? link : "",
	    link != NULL ? "\r\n" : "");
	sb = b64(subject, strlen(subject));
	b = b64(body, strlen(body));
	buf_init(&out, 0);
	s = xasprintf("Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@"
	    "ita-survey>\r\nSubject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n", date,
	    cf->mail_from[0] != '\0' ? cf->mail_from : "ita-survey@localhost",
	    cf->mail_to, id, sb);
	if (buf_puts(&out, s) == -1)
		goto out;
	/* base64 lines of 76 (RFC 2045). */
	for (i = 0, len = strlen(b); i < len; i += 76)
		if (buf_append(&out, b + i, len - i < 76 ? len - i : 76) ==
		    -1 || buf_puts(&out, "\r\n") == -1)
			goto out;
	ok = 1;
out:
	free(s);
	free(sb);
	free(b);
	free(th);
	free(en);
	free(link);
	free(subject);
	free(body);
	if (!ok) {
		buf_free(&out);
		return NULL;
	}
	return out.p;		/* the buffer's memory, now the caller's */
}

/* The recipients of oit.mail_to, as "<a@b>" (caller frees). */
static struct curl_slist *
recipients(const char *to)
{
	struct curl_slist	*l = NULL, *nl;
	char			*copy = xstrdup(to), *p, *save = NULL, *r;
	size_t			 len;

	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		len = strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			p[--len] = '\0';
		if (len == 0)
			continue;
		r = xasprintf("<%s>", p);
		if ((nl = curl_slist_append(l, r)) != NULL)
			l = nl;
		free(r);
	}
	free(copy);
	return l;
}

static void
tls_options(CURL *h, const struct app *app)
{
	if (app->cfg.oit_ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, app->cfg.oit_ca_file);
}

/* Send n by e-mail.  NULL, or why not (a constant). */
static const char *
send_mail(const struct app *app, const struct oit_conf *cf,
    const struct oit_notice *n)
{
	struct curl_slist	*rcpt;
	struct payload		 pl;
	char			*text, from[300];
	const char		*why = NULL;
	CURLcode		 rc;
	CURL			*h;

	if (cf->smtp_url[0] == '\0' || cf->mail_to[0] == '\0')
		return "mail is not configured";
	if ((text = mail_text(app, cf, n)) == NULL)
		return "out of memory";
	if ((h = curl_easy_init()) == NULL) {
		free(text);
		return "curl_easy_init";
	}
	rcpt = recipients(cf->mail_to);
	snprintf(from, sizeof(from), "<%s>", cf->mail_from[0] != '\0' ?
	    cf->mail_from : "ita-survey@localhost");
	pl.p = text;
	pl.left = strlen(text);
	curl_easy_setopt(h, CURLOPT_URL, cf->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, payload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &pl);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	/* A password goes only over TLS; without one, TLS when offered. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, cf->smtp_user[0] != '\0' ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (cf->smtp_user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, cf->smtp_user);
		if (app->smtp_password != NULL)
			curl_easy_setopt(h, CURLOPT_PASSWORD,
			    app->smtp_password);
	}
	tls_options(h, app);
	if ((rc = curl_easy_perform(h)) != CURLE_OK)
		why = curl_easy_strerror(rc);
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	sodium_memzero(text, strlen(text));
	free(text);
	return why;
}

/* The webhook too obeys the address rule of the evidence URLs. */
static curl_socket_t
hook_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	const struct app	*app = arg;

	(void)purpose;
	if (!oit_addr_allowed(app, &a->addr))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POST n to the webhook.  NULL, or why not (a constant). */
static const char *
send_webhook(const struct app *app, const struct oit_conf *cf,
    const struct oit_notice *n)
{
	struct curl_slist	*hdrs;
	const char		*why = NULL;
	char			*body;
	long			 status = 0;
	CURLcode		 rc;
	CURL			*h;

	if (cf->webhook[0] == '\0')
		return "no webhook is configured";
	if ((body = webhook_body(app, n)) == NULL)
		return "out of memory";
	if ((h = curl_easy_init()) == NULL) {
		free(body);
		return "curl_easy_init";
	}
	hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, cf->webhook);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ita-survey/" ITA_VERSION);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, hook_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, (void *)(uintptr_t)app);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	tls_options(h, app);
	if ((rc = curl_easy_perform(h)) != CURLE_OK)
		why = curl_easy_strerror(rc);
	else if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK || status < 200 || status > 299)
		why = "the webhook did not answer 2xx";
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	free(body);
	return why;
}

/*
 * Send the notices owed (oldest first, a batch at a time), each claimed
 * first so that no other sender (the server, "oit check") sends it too,
 * and marked sent or failed.  A failed one waits NOTICE_RETRY seconds.
 * Between two notices stopping(arg), if given, may cut the batch short
 * (the server is stopping).  Returns how many failed, or -1 on a
 * database error.
 */
int
oit_notify_pending(struct app *app, const struct oit_conf *cf,
    int (*stopping)(void *), void *arg)
{
	struct oit_notice	*v = NULL;
	const char		*why;
	int64_t			 now = (int64_t)time(NULL);
	size_t			 n = 0, i;
	int			 rc, failed = 0;

	db_lock(app->db);
	rc = oitdb_notices_pending(app->db, NOTICE_TRIES, NOTICES_BATCH,
	    now - NOTICE_RETRY, &v, &n);
	db_unlock(app->db);
	if (rc == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++) {
		if (stopping != NULL && stopping(arg))
			break;		/* the rest go on the next start */
		db_lock(app->db);
		rc = oitdb_notice_claim(app->db, v[i].id, now,
		    now - NOTICE_RETRY);
		db_unlock(app->db);
		if (rc != 1)
			continue;
		why = v[i].webhook ? send_webhook(app, cf, &v[i]) :
		    send_mail(app, cf, &v[i]);
		if (why != NULL) {
			failed++;
			log_warn("oit: alert %lld %s notice by %s failed: %s",
			    (long long)v[i].alert, v[i].close ? "close" :
			    "open", v[i].webhook ? "webhook" : "mail", why);
		}
		db_lock(app->db);
		rc = oitdb_notice_done(app->db, v[i].id, (int64_t)time(NULL),
		    why);
		db_unlock(app->db);
	}
	oitdb_notices_free(v, n);
	return rc == -1 ? -1 : failed;
}
