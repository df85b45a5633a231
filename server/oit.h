/* SPDX-License-Identifier: ISC */
/*
 * The OIT evidence desk: the working group's evidence URLs for each item
 * of the year's OIT checklist (checklist.c), watched around the clock.
 *
 *   oitdb.c	 the SQL of the oit_* tables (migrations/0004_oit.sql)
 *   oitconf.c	 the desk's settings (host, schedule, alerts, copies)
 *   fetch.c	 what may be fetched: http(s) URLs without credentials,
 *		 public addresses unless allowed; the main-site rule
 *   watch.c	 the watcher: fetches due URLs with libcurl (caps on time,
 *		 size, redirects), records what changed, raises and clears
 *		 alerts, keeps the last good copy
 *   notify.c	 alert notices by e-mail (SMTP) and webhook
 *   oit.c	 the administrators' actions: URLs, items, lists, history,
 *		 alerts, copies
 *   oitreport.c availability reports: JSON, CSV (oitxlsx.c: XLSX)
 *   oitscore.c	 the OIT estimate from the items and their URLs
 */
#ifndef OIT_H
#define OIT_H

#include <stdint.h>
#include <stdio.h>

#include "extern.h"
#include "err.h"

struct sockaddr;

/* ---- what a check found ---- */

enum oit_state { OIT_UNKNOWN, OIT_UP, OIT_SUSPECT, OIT_DOWN };

const char	*oit_state_name(enum oit_state);	/* "up", ... */
int		 oit_state_parse(const char *, enum oit_state *);

#define OIT_CTYPE_MAX	128	/* bytes of a Content-Type kept */
#define OIT_BODY_MEM	(1024 * 1024) /* bytes of a body held in memory;
					 a larger one goes to a temporary
					 file, so 16 fetches stay small */
#define OIT_ERROR_MAX	32	/* bytes of an error code */

struct oit_check {
	int64_t		 at;		/* unix seconds, when it began */
	enum oit_state	 state;
	long		 status;	/* HTTP status, 0 when none */
	char		 final_url[OIT_URL_MAX + 1];
	int		 on_site;	/* final URL on the main site (1 also
					   when no main site is set) */
	int64_t		 ttfb_ms;	/* -1 when nothing came */
	int64_t		 size;		/* body bytes received */
	char		 ctype[OIT_CTYPE_MAX + 1];
	char		 sha256[65];	/* hex, "" when no body */
	int64_t		 cert_days;	/* -1: not https or unknown */
	char		 error[OIT_ERROR_MAX + 1]; /* "" when up: timeout,
					   dns, connect, blocked_address,
					   http_status, tls, too_many_redirects,
					   error_page, smaller, empty, ... */
	unsigned char	*body;		/* owned: the body, when at most
					   OIT_BODY_MEM bytes, else NULL */
	FILE		*spill;		/* owned: the body, when larger */
	size_t		 body_len;	/* bytes of the body */
	int		 truncated;	/* larger than the copy limit */
};

/* ---- oitconf.c: settings (the settings table, names "oit.*") ---- */

struct oit_conf {
	char		 host[256];	/* main site host, "" = any */
	int64_t		 interval;	/* seconds between checks, 900 */
	int64_t		 strict_interval; /* seconds, in the window, 300 */
	int64_t		 strict_from;	/* window start (unix), 0 = none */
	int64_t		 strict_to;	/* window end (exclusive) */
	int64_t		 fails;		/* checks in a row before alert, 2 */
	int64_t		 cert_days;	/* warn when expiry within, 14 */
	int64_t		 timeout;	/* seconds one fetch may take, 30 */
	int64_t		 copy_max;	/* bytes of one kept copy */
	int64_t		 copy_quota;	/* bytes of all kept copies */
	char		 smtp_url[OIT_URL_MAX + 1]; /* smtp(s)://host:port */
	char		 smtp_user[256];
	char		 mail_from[256];
	char		 mail_to[1024];	/* comma-separated */
	char		 webhook[OIT_URL_MAX + 1];
	char		 checklist[48];	/* "" = the newest file's */
};

int	 oit_conf_read(struct app *, struct oit_conf *) WUR;
int	 oit_setting_check(const char *name, const char *value, int *ok);
const char *oit_setting_name(size_t i);
const char *oit_setting_rule(const char *name, char *buf, size_t bufsz);
int64_t	 oit_conf_interval(const struct oit_conf *, int64_t now);
const struct checklist *oit_checklist(struct app *, const struct oit_conf *);

/* ---- fetch.c ---- */

int	 oit_addr_allowed(const struct app *, const struct sockaddr *);
enum err oit_url_check(const struct app *, const char *url);
enum err oit_url_shape(const char *url);
int	 oit_url_host(const char *url, char *host, size_t hostsz);
int	 oit_on_site(const char *url, const char *main_host);

/* ---- watch.c ---- */

struct oit_watch;

int	 oit_watch_start(struct app *, struct oit_watch **) WUR;
void	 oit_watch_kick(struct oit_watch *);	/* check everything now */
void	 oit_watch_stop(struct oit_watch *);	/* accepts NULL */
enum err oit_check_now(struct app *, json_t **result) WUR;

/* ---- notify.c ---- */

int	 oit_notify_pending(struct app *, const struct oit_conf *,
	    int (*stopping)(void *), void *arg);

/* ---- oit.c: the actions (actor as in actions.h) ---- */

enum err oit_url_add(struct app *, const char *actor, const char *item,
	    const char *url, int64_t *id) WUR;
enum err oit_url_remove(struct app *, const char *actor, int64_t id) WUR;
enum err oit_item_set(struct app *, const char *actor, const char *item,
	    int ready, const char *note, const char *owner) WUR;
enum err oit_list(struct app *, json_t **doc) WUR;
enum err oit_item_get(struct app *, const char *item, json_t **doc) WUR;
enum err oit_url_get(struct app *, int64_t id, json_t **doc) WUR;
enum err oit_item_history(struct app *, const char *item, int64_t days,
	    json_t **doc) WUR;
enum err oit_alerts_list(struct app *, int open_only, json_t **doc) WUR;
enum err oit_estimate(struct app *, json_t **doc, int64_t *score) WUR;

struct oit_copy {
	int64_t		 url_id;
	int64_t		 fetched_at;
	char		*final_url;	/* owned */
	char		*ctype;		/* owned */
	char		 sha256[65];
	unsigned char	*body;		/* owned */
	size_t		 size;
};
enum err oit_copy_get(struct app *, int64_t url_id, struct oit_copy *) WUR;
void	 oit_copy_free(struct oit_copy *);

/* ---- oitreport.c ---- */

#define OIT_LOG_PER_URL	2000	/* check log lines of one URL in a report */
#define OIT_LOG_MAX	50000	/* check log lines of one report */

/* What oit_report_write() writes: the CSVs are one table each. */
enum oit_report_format {
	OIT_REPORT_JSON,
	OIT_REPORT_CSV,		/* per URL: checks, uptime, incidents */
	OIT_REPORT_XLSX,	/* the three tables, for the committee */
	OIT_REPORT_CSV_LOG,	/* the check log */
	OIT_REPORT_CSV_INCIDENTS, /* the incidents */
};

enum err oit_report_range(const char *from, const char *to,
	    int64_t *start, int64_t *end) WUR;
enum err oit_report(struct app *, int64_t from, int64_t to,
	    json_t **doc) WUR;
enum err oit_report_write(struct app *, int64_t from, int64_t to,
	    enum oit_report_format, FILE *out) WUR;
int	 oit_report_format_parse(const char *format, const char *part,
	    enum oit_report_format *) WUR;
const char *oit_report_mime(enum oit_report_format);
char	*oit_report_filename(int64_t from, int64_t to,
	    enum oit_report_format);
int	 oit_report_xlsx(json_t *doc, FILE *out) WUR;	/* oitxlsx.c */

/* ---- oitscore.c: the OIT estimate (oit_estimate above) ---- */

enum oit_state oit_state_worse(enum oit_state, enum oit_state);

#endif /* !OIT_H */
