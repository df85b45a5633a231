/* SPDX-License-Identifier: ISC */
/*
 * The OIT evidence desk over HTTP, under /api/v1/admin/oit: the
 * checklist, an item's history and the group's word on it, evidence
 * URLs, a URL's kept copy as a download, the alerts.  The rules are
 * oit.c's; http.c has already checked the session, the role and the
 * CSRF header.  (Checking now is the watcher's route, not ours.)
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"
#include "oit.h"

#define HISTORY_DAYS	30	/* ?days= when not given */

/* GET /api/v1/admin/oit: the checklist in use (oit_list).  404. */
int
api_oit_list(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = oit_list(r->app, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/oit/items/{code}?days=N (1 to 366, default 30): the
 * item's history (oit_item_history).  400 bad days; 404 unknown_item,
 * no_checklist.
 */
int
api_oit_item_get(struct req *r, struct reply *out)
{
	const char	*q = req_query(r, "days");
	json_t		*doc;
	char		*end;
	long		 days = HISTORY_DAYS;
	enum err	 e;

	if (q != NULL) {
		days = q[0] >= '1' && q[0] <= '9' ? strtol(q, &end, 10) : 0;
		if (days < 1 || days > 366 || *end != '\0')
			return reply_error_msg(out, ERR_BAD_REQUEST,
			    "Use ?days=1..366.");
	}
	if ((e = oit_item_history(r->app, r->word, days, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * PATCH /api/v1/admin/oit/items/{code} {"ready": bool, "note": "...",
 * "owner": "..."}, one or more: the group's word (oit_item_set).  200
 * with the item as the checklist shows it; 404 unknown_item; 422
 * bad_item for anything else in the body, a wrong type, nothing to
 * change, or a note or owner over its bounds or not one line.
 */
int
api_oit_item_patch(struct req *r, struct reply *out)
{
	json_t		*ready = NULL, *doc;
	const char	*note = NULL, *owner = NULL;
	json_error_t	 jerr;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?o, s?s, s?s}",
	    "ready", &ready, "note", &note, "owner", &owner) == -1 ||
	    (ready != NULL && !json_is_boolean(ready)))
		return reply_error(out, ERR_OIT_BAD_ITEM);
	/* jansson refuses "\u0000" in a string: no NUL cuts them short. */
	if ((e = oit_item_set(r->app, r->sess.username, r->word,
	    ready == NULL ? -1 : json_is_true(ready), note, owner)) != ERR_OK)
		return reply_error(out, e);
	if ((e = oit_item_get(r->app, r->word, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * POST /api/v1/admin/oit/urls {"item": "o1", "url": "https://..."}: a new
 * evidence URL (oit_url_add).  201 with the URL; 400 bad body; 404
 * unknown_item; 409 url_exists; 422 bad_url, url_not_public,
 * too_many_urls.
 */
int
api_oit_urls_post(struct req *r, struct reply *out)
{
	const char	*item, *url;
	json_error_t	 jerr;
	json_t		*doc;
	int64_t		 id;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s}",
	    "item", &item, "url", &url) == -1)
		return reply_bad_body(out, &jerr, "{\"item\": \"o1\", "
		    "\"url\": \"https://...\"}");
	if ((e = oit_url_add(r->app, r->sess.username, item, url, &id)) !=
	    ERR_OK)
		return reply_error(out, e);
	if ((e = oit_url_get(r->app, id, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 201, doc);
}

/*
 * DELETE /api/v1/admin/oit/urls/{id}: stop watching it, its history kept
 * (oit_url_remove).  200 {"status": "removed", "id"}; 404 unknown or
 * already removed.
 */
int
api_oit_url_delete(struct req *r, struct reply *out)
{
	enum err	e;

	if ((e = oit_url_remove(r->app, r->sess.username, r->ids[0])) !=
	    ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:s, s:I}", "status",
	    "removed", "id", (json_int_t)r->ids[0]));
}

/*
 * POST /api/v1/admin/oit/check: check every URL now rather than when due
 * (after a migration was mended, say).  202 {"status": "checking"}: the
 * results arrive in the list as each check ends.
 */
int
api_oit_check_post(struct req *r, struct reply *out)
{
	oit_watch_kick(r->app->watch);
	return reply_json(out, 202, json_pack("{s:s}", "status", "checking"));
}

/* The file name extension for a kept copy's Content-Type. */
static const char *
copy_ext(const char *ctype)
{
	static const struct {
		const char	*type;
		const char	*ext;
	} exts[] = {
		{ "text/html", "html" },
		{ "application/xhtml+xml", "html" },
		{ "text/plain", "txt" },
		{ "text/csv", "csv" },
		{ "application/pdf", "pdf" },
		{ "application/json", "json" },
		{ "application/xml", "xml" },
		{ "text/xml", "xml" },
		{ "application/zip", "zip" },
		{ "application/msword", "doc" },
		{ "application/vnd.ms-excel", "xls" },
		{ "application/vnd.ms-powerpoint", "ppt" },
		{ "application/vnd.openxmlformats-officedocument."
		    "wordprocessingml.document", "docx" },
		{ "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet", "xlsx" },
		{ "application/vnd.openxmlformats-officedocument."
		    "presentationml.presentation", "pptx" },
		{ "image/jpeg", "jpg" },
		{ "image/png", "png" },
		{ "image/gif", "gif" },
		{ "image/webp", "webp" },
	};
	size_t	i, len;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		len = strlen(exts[i].type);
		if (strncasecmp(ctype, exts[i].type, len) == 0 &&
		    (ctype[len] == '\0' || ctype[len] == ';' ||
		    ctype[len] == ' '))
			return exts[i].ext;
	}
	return "bin";
}

/*
 * Header value from text of the outside world: printable ASCII as it is,
 * every other byte (line breaks included) as %XX.  Caller frees.
 */
static char *
header_safe(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*v;
	size_t			 i, n = 0;

	v = xcalloc(strlen(s) * 3 + 1, 1);
	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f &&
		    s[i] != '%') {
			v[n++] = s[i];
			continue;
		}
		v[n++] = '%';
		v[n++] = hex[(unsigned char)s[i] >> 4];
		v[n++] = hex[(unsigned char)s[i] & 15];
	}
	return v;
}

/*
 * GET /api/v1/admin/oit/urls/{id}/copy: the URL's last good copy, as a
 * download that never renders as our page: Content-Type
 * application/octet-stream (the fetched type in X-OIT-Content-Type),
 * Content-Disposition attachment "oit-ITEM-ID.EXT", nosniff and a
 * sandbox CSP; X-OIT-Fetched-At (UTC, ISO 8601), X-OIT-SHA256 and
 * X-OIT-Final-URL say what it is.  404 not_found (no such URL), no_copy.
 */
int
api_oit_copy_get(struct req *r, struct reply *out)
{
	struct oit_copy	 c;
	json_t		*url = NULL;
	const char	*item;
	char		 when[32], *v;
	time_t		 t;
	struct tm	 tm;
	enum err	 e;
	int		 status;

	memset(&c, 0, sizeof(c));
	if ((e = oit_url_get(r->app, r->ids[0], &url)) != ERR_OK ||
	    (e = oit_copy_get(r->app, r->ids[0], &c)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	item = json_string_value(json_object_get(url, "item"));
	t = (time_t)c.fetched_at;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		when[0] = '\0';
	if (reply_header(out, "X-OIT-Fetched-At", when) == -1 ||
	    reply_header(out, "X-OIT-SHA256", c.sha256) == -1) {
		status = reply_error(out, ERR_INTERNAL);
		goto out;
	}
	v = header_safe(c.final_url);
	status = reply_header(out, "X-OIT-Final-URL", v);
	free(v);
	v = header_safe(c.ctype);
	if (status == 0)
		status = reply_header(out, "X-OIT-Content-Type", v);
	free(v);
	if (status == -1) {
		status = reply_error(out, ERR_INTERNAL);
		goto out;
	}
	/* The item code is [a-z0-9.-] (the route's "*"): safe in a name. */
	out->filename = xasprintf("oit-%s-%lld.%s", item != NULL &&
	    item[0] != '\0' && strspn(item, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789.-") == strlen(item) ? item : "item",
	    (long long)c.url_id, copy_ext(c.ctype));
	out->ctype = "application/octet-stream";
	out->sandbox = 1;
	out->body = (char *)c.body;
	out->bodylen = c.size;
	c.body = NULL;
	status = 200;
out:
	oit_copy_free(&c);
	json_decref(url);
	return status;
}

/*
 * GET /api/v1/admin/oit/alerts[?open=1]: the alerts, newest first
 * (oit_alerts_list), open ones only with open=1.  400 another value.
 */
int
api_oit_alerts_list(struct req *r, struct reply *out)
{
	const char	*q = req_query(r, "open");
	json_t		*doc;
	enum err	 e;

	if (q != NULL && strcmp(q, "0") != 0 && strcmp(q, "1") != 0)
		return reply_error_msg(out, ERR_BAD_REQUEST,
		    "Use ?open=1 (open alerts only) or ?open=0.");
	if ((e = oit_alerts_list(r->app, q != NULL && strcmp(q, "1") == 0,
	    &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}
