/* SPDX-License-Identifier: ISC */
/*
 * The OIT evidence desk's settings: their names (settings.c stores and
 * audits them like any other), the rule of each value, their defaults,
 * and reading them all at once for the watcher.  The SMTP password is
 * not among them: it is a secret, read from --smtp-password-file.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "audit.h"
#include "db.h"
#include "oit.h"

enum kind { K_HOST, K_SECONDS, K_DAY, K_COUNT, K_BYTES, K_SMTP, K_TEXT,
	K_MAIL, K_MAILS, K_URL, K_ID };

struct oitset {
	const char	*name;
	enum kind	 kind;
	int64_t		 lo, hi;	/* numbers' range */
	const char	*def;		/* default when unset */
};

static const struct oitset sets[] = {
	{ "oit.host", K_HOST, 0, 0, "" },
	{ "oit.interval", K_SECONDS, 1, 86400, "900" },
	{ "oit.strict_interval", K_SECONDS, 1, 86400, "300" },
	{ "oit.strict_from", K_DAY, 0, 0, "" },
	{ "oit.strict_to", K_DAY, 0, 0, "" },
	{ "oit.fails", K_COUNT, 1, 100, "2" },
	{ "oit.cert_days", K_COUNT, 0, 365, "14" },
	{ "oit.timeout", K_SECONDS, 1, 300, "30" },
	{ "oit.copy_max", K_BYTES, 0, 256LL << 20, "20971520" },
	{ "oit.copy_quota", K_BYTES, 0, 64LL << 30, "1073741824" },
	{ "oit.smtp_url", K_SMTP, 0, 0, "" },
	{ "oit.smtp_user", K_TEXT, 0, 200, "" },
	{ "oit.mail_from", K_MAIL, 0, 0, "" },
	{ "oit.mail_to", K_MAILS, 0, 0, "" },
	{ "oit.webhook", K_URL, 0, 0, "" },
	{ "oit.checklist", K_ID, 0, 0, "" },
};

#define NSETS	(sizeof(sets) / sizeof(sets[0]))
#define MAILS_MAX 20	/* addresses in oit.mail_to */

static const struct oitset *
find(const char *name)
{
	size_t	i;

	for (i = 0; i < NSETS; i++)
		if (strcmp(sets[i].name, name) == 0)
			return &sets[i];
	return NULL;
}

/* The names of the desk's settings, for settings.c: i-th, or NULL. */
const char *
oit_setting_name(size_t i)
{
	return i < NSETS ? sets[i].name : NULL;
}

static int
number_ok(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
	char		*ep;
	long long	 n;

	if (v[0] < '0' || v[0] > '9' || strlen(v) > 15)
		return 0;
	n = strtoll(v, &ep, 10);
	if (*ep != '\0' || n < lo || n > hi)
		return 0;
	if (out != NULL)
		*out = n;
	return 1;
}

/* A DNS host name: labels of [A-Za-z0-9-] joined by dots. */
static int
host_ok(const char *v)
{
	size_t	i, label = 0;

	if (strlen(v) > 253)
		return 0;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= 'A' && v[i] <= 'Z') ||
		    (v[i] >= '0' && v[i] <= '9') || v[i] == '-') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0;
}

/* An e-mail address: printable ASCII, no space, quote or brackets. */
static int
mail_ok(const char *v, size_t len)
{
	const char	*at = memchr(v, '@', len);
	size_t		 i;

	if (len < 3 || len > 254 || at == NULL || at == v ||
	    at == v + len - 1 || memchr(at + 1, '@', len -
	    (size_t)(at + 1 - v)) != NULL)
		return 0;
	for (i = 0; i < len; i++)
		if (v[i] <= ' ' || v[i] > '~' || strchr("<>()[]\\,;:\"",
		    v[i]) != NULL)
			return 0;
	return 1;
}

static int
mails_ok(const char *v)
{
	const char	*p = v, *comma;
	size_t		 n = 0, len;

	if (strlen(v) > 1000)
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		comma = strchr(p, ',');
		len = comma == NULL ? strlen(p) : (size_t)(comma - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (!mail_ok(p, len) || ++n > MAILS_MAX)
			return 0;
		if (comma == NULL)
			return 1;
		p = comma + 1;
	}
}

/* "YYYY-MM-DD", a local day: its first second, or the next day's. */
static int
day_ok(const char *v, int end, int64_t *out)
{
	int64_t	t;

	if (strlen(v) != 10 || v[4] != '-' ||
	    audit_time_parse(v, end, &t) == -1)
		return 0;
	if (out != NULL)
		*out = t;
	return 1;
}

static int
value_ok(const struct oitset *s, const char *v)
{
	if (v[0] == '\0')
		return 1;		/* "" unsets: the default applies */
	switch (s->kind) {
	case K_HOST:
		return host_ok(v);
	case K_SECONDS:
	case K_COUNT:
	case K_BYTES:
		return number_ok(v, s->lo, s->hi, NULL);
	case K_DAY:
		return day_ok(v, 0, NULL);
	case K_SMTP:
		return strlen(v) <= OIT_URL_MAX && text_ok(v, OIT_URL_MAX) &&
		    (strncmp(v, "smtp://", 7) == 0 ||
		    strncmp(v, "smtps://", 8) == 0) && strchr(v, '@') == NULL;
	case K_TEXT:
		return text_ok(v, (size_t)s->hi);
	case K_MAIL:
		return mail_ok(v, strlen(v));
	case K_MAILS:
		return mails_ok(v);
	case K_URL:
		return oit_url_shape(v) == ERR_OK;
	case K_ID:
		return strlen(v) <= 40 && strncmp(v, "oit-", 4) == 0 &&
		    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
		    strlen(v);
	}
	return 0;
}

/*
 * The rule of the desk's setting name in words, for error messages, in
 * buf.  Returns buf, or NULL when name is not one of the desk's.
 */
const char *
oit_setting_rule(const char *name, char *buf, size_t bufsz)
{
	static const char *const rules[] = {
		[K_HOST] = "a host name such as www.agency.go.th",
		[K_SECONDS] = "whole seconds",
		[K_DAY] = "a day, YYYY-MM-DD",
		[K_COUNT] = "a whole number",
		[K_BYTES] = "bytes, a whole number",
		[K_SMTP] = "smtp://HOST[:PORT] or smtps://HOST[:PORT], without "
		    "a user name (oit.smtp_user)",
		[K_TEXT] = "one line of text",
		[K_MAIL] = "an e-mail address",
		[K_MAILS] = "e-mail addresses separated by commas",
		[K_URL] = "an http:// or https:// URL",
		[K_ID] = "the id of an OIT checklist file, such as oit-2563",
	};
	const struct oitset	*s;

	if ((s = find(name)) == NULL)
		return NULL;
	if (s->kind == K_TEXT)
		snprintf(buf, bufsz, "\"%s\" must be one line of text of at "
		    "most %lld bytes.", name, (long long)s->hi);
	else if (s->hi > 0)
		snprintf(buf, bufsz, "\"%s\" must be %s from %lld to %lld, or "
		    "empty for the default (%s).", name, rules[s->kind],
		    (long long)s->lo, (long long)s->hi, s->def);
	else
		snprintf(buf, bufsz, "\"%s\" must be %s, or empty for the "
		    "default%s%s%s.", name, rules[s->kind], s->def[0] ? " (" :
		    "", s->def, s->def[0] ? ")" : "");
	return buf;
}

/*
 * For settings_check(): 1 when name is one of the desk's settings (then
 * *ok says whether value follows its rule), else 0.
 */
int
oit_setting_check(const char *name, const char *value, int *ok)
{
	const struct oitset	*s;

	if ((s = find(name)) == NULL)
		return 0;
	*ok = value_ok(s, value);
	return 1;
}

/* Setting s's value, or its default when unset or broken. */
static char *
value_get(struct db *db, const struct oitset *s)
{
	char	*v = NULL;

	if (db_setting_get(db, s->name, &v) != 1 || v == NULL ||
	    v[0] == '\0' || !value_ok(s, v)) {
		free(v);
		v = xstrdup(s->def);
	}
	return v;
}

static void
copy(char *dst, size_t dstsz, const char *v)
{
	snprintf(dst, dstsz, "%s", v);
}

/*
 * Every setting of the desk into *c, defaults for those unset.  0, or -1
 * on a database error (logged).  Takes db_lock() itself.
 */
int
oit_conf_read(struct app *app, struct oit_conf *c)
{
	struct {
		const char	*name;
		int64_t		*num;
		char		*str;
		size_t		 strsz;
	} map[] = {
		{ "oit.host", NULL, c->host, sizeof(c->host) },
		{ "oit.interval", &c->interval, NULL, 0 },
		{ "oit.strict_interval", &c->strict_interval, NULL, 0 },
		{ "oit.strict_from", &c->strict_from, NULL, 0 },
		{ "oit.strict_to", &c->strict_to, NULL, 0 },
		{ "oit.fails", &c->fails, NULL, 0 },
		{ "oit.cert_days", &c->cert_days, NULL, 0 },
		{ "oit.timeout", &c->timeout, NULL, 0 },
		{ "oit.copy_max", &c->copy_max, NULL, 0 },
		{ "oit.copy_quota", &c->copy_quota, NULL, 0 },
		{ "oit.smtp_url", NULL, c->smtp_url, sizeof(c->smtp_url) },
		{ "oit.smtp_user", NULL, c->smtp_user, sizeof(c->smtp_user) },
		{ "oit.mail_from", NULL, c->mail_from, sizeof(c->mail_from) },
		{ "oit.mail_to", NULL, c->mail_to, sizeof(c->mail_to) },
		{ "oit.webhook", NULL, c->webhook, sizeof(c->webhook) },
		{ "oit.checklist", NULL, c->checklist, sizeof(c->checklist) },
	};
	const struct oitset	*s;
	char			*v;
	size_t			 i;
	int64_t			 t;

	memset(c, 0, sizeof(*c));
	db_lock(app->db);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if ((s = find(map[i].name)) == NULL)
			continue;
		v = value_get(app->db, s);
		if (map[i].str != NULL)
			copy(map[i].str, map[i].strsz, v);
		else if (s->kind == K_DAY)
			/* The window's last day counts whole. */
			*map[i].num = v[0] != '\0' && day_ok(v,
			    map[i].num == &c->strict_to, &t) ? t : 0;
		else
			(void)number_ok(v, s->lo, s->hi, map[i].num);
		free(v);
	}
	db_unlock(app->db);
	return 0;
}

/* Seconds between two checks of a URL at time now. */
int64_t
oit_conf_interval(const struct oit_conf *c, int64_t now)
{
	if (c->strict_from > 0 && now >= c->strict_from &&
	    (c->strict_to == 0 || now < c->strict_to) &&
	    c->strict_interval < c->interval)
		return c->strict_interval;
	return c->interval;
}

/* The checklist the desk uses: the setting's, else the newest file's. */
const struct checklist *
oit_checklist(struct app *app, const struct oit_conf *c)
{
	const struct checklist	*cl = NULL;

	if (app->forms == NULL)
		return NULL;
	if (c->checklist[0] != '\0')
		cl = checklist_get(app->forms, c->checklist);
	return cl != NULL ? cl : checklist_latest(app->forms);
}

static const char *const state_names[] = {
	[OIT_UNKNOWN] = "unknown", [OIT_UP] = "up",
	[OIT_SUSPECT] = "suspect", [OIT_DOWN] = "down",
};

const char *
oit_state_name(enum oit_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "unknown";
}

int
oit_state_parse(const char *s, enum oit_state *out)
{
	unsigned	i;

	for (i = 0; s != NULL && i < 4; i++)
		if (strcmp(state_names[i], s) == 0) {
			*out = (enum oit_state)i;
			return 0;
		}
	return -1;
}
