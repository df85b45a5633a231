/* SPDX-License-Identifier: ISC */
/*
 * The HTTP layer's shared types: a request as handlers see it, the reply
 * they fill, the route table's entries.  http.c owns libmicrohttpd; the
 * api_*.c handlers never call it.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdint.h>

#include "extern.h"
#include "db.h"
#include "err.h"
#include "prepared.h"

#define BODY_EARLY_MAX	(1024 * 1024) /* larger: refused before reading */
#define PATH_IDS	2	/* numeric path segments a route may have */
#define PATH_WORD_MAX	16	/* bytes of a route's "*" segment */
#define REPLY_HEADERS	4	/* headers a handler may add (reply_header) */
#define HTTP_SUSPEND	1	/* handler status: r->job goes to the writer */

/*
 * Who may call a route.  A session whose password was set by another
 * administrator (must_change) may call only the AUTH_SELF routes (who am
 * I, log out, change my password) until it has chosen its own.
 */
enum auth_level {
	AUTH_NONE,	/* anyone */
	AUTH_VIEWER,	/* an admin session of either role */
	AUTH_ADMIN,	/* an admin session of role admin */
	AUTH_SELF,	/* any admin session, even one that must change
			   its password first */
};

struct route;

struct req {
	struct app		*app;		/* borrowed */
	const struct route	*route;		/* the matched route, static */
	const char		*method;	/* borrowed from MHD */
	const char		*path;		/* borrowed from MHD */
	int64_t			 ids[PATH_IDS];	/* the route's "#" segments */
	char			 word[PATH_WORD_MAX + 1]; /* its "*" segment */
	json_t			*json;		/* parsed body, owned */
	struct session		 sess;		/* valid if has_session */
	int			 has_session;
	char			 client[64];	/* client address, text */
	int			 secure;	/* the client used TLS */
	void			*conn;		/* struct MHD_Connection */
	struct job		*job;		/* set with HTTP_SUSPEND */
};

struct reply {
	json_t		*json;		/* body, owned (stolen when set) */
	char		*body;		/* raw body, owned */
	size_t		 bodylen;
	int		 fd;		/* file body, owned; -1 none */
	uint64_t	 fdlen;
	const char	*ctype;		/* Content-Type of body or fd */
	char		*filename;	/* Content-Disposition, owned */
	char		*cookie;	/* Set-Cookie value, owned */
	char		*location;	/* Location, owned */
	char		*allow;		/* Allow (405), owned */
	int64_t		 retry_after;	/* seconds; 0 = no header */
	int		 cache;		/* static file: may be cached */
	int		 sandbox;	/* a body from elsewhere (an OIT copy):
					   CSP sandbox, it never runs as ours */
	const char	*hname[REPLY_HEADERS];	/* added headers, static */
	char		*hvalue[REPLY_HEADERS];	/* their values, owned */
	struct prepared	*prep;		/* shared body (prepared.c), one
					   reference owned; a 304 sends its
					   headers only */
	int		 gzip;		/* send prep's gzip bytes */
	int		 vary;		/* Vary: Accept-Encoding */
	char		 etag[ETAG_MAX];	/* ETag, or "" */
};

/* A handler returns the HTTP status, or HTTP_SUSPEND with r->job set. */
typedef int (*handler_fn)(struct req *, struct reply *);
/* The answer to a suspended request once the writer decided its job. */
typedef int (*resume_fn)(struct req *, const struct job *, struct reply *);

struct route {
	const char	*method;
	const char	*pattern;	/* "#" matches a positive id, "*" a
					   word of 1 to PATH_WORD_MAX bytes of
					   [a-z0-9.-] */
	handler_fn	 fn;
	enum auth_level	 auth;
	int		 body;		/* expects a JSON object body */
	resume_fn	 resume;	/* when fn may suspend, else NULL */
};

extern const struct route routes[];
extern const size_t nroutes;

int	 reply_error(struct reply *, enum err);
int	 reply_error_msg(struct reply *, enum err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 reply_bad_body(struct reply *, const json_error_t *,
	    const char *shape);
int	 reply_json(struct reply *, int status, json_t *);
int	 reply_file(struct reply *, FILE *, const char *ctype,
	    char *filename);
int	 reply_header(struct reply *, const char *name, const char *value)
	    WUR;
int	 reply_prepared(struct req *, struct reply *, struct prepared *);
const char *req_header(struct req *, const char *name);
const char *req_query(struct req *, const char *name);
const char *req_cookie(struct req *, const char *name);

/* ratelimit: fixed windows per key (client address or kiosk). */
enum limit_kind {
	LIMIT_GUESS,	/* wrong access codes and kiosk keys, per address */
	LIMIT_PUBLIC,	/* public-round submissions, per address */
	LIMIT_LOGIN,	/* failed logins, per address */
	LIMIT_ACCOUNT,	/* failed logins, per account name and address */
	LIMIT_KIOSK,	/* submissions, per kiosk */
	LIMIT__MAX
};
void	 limit_enable(int);
int64_t	 limit_check(enum limit_kind, const char *key);
void	 limit_hit(enum limit_kind, const char *key);
int64_t	 limit_take(enum limit_kind, const char *key);
void	 limit_undo(enum limit_kind, const char *key);

/* api_public.c */
int	 api_health_get(struct req *, struct reply *);
int	 api_form_get(struct req *, struct reply *);
int	 api_responses_post(struct req *, struct reply *);
int	 api_responses_finish(struct req *, const struct job *,
	    struct reply *);
int	 api_token_check(struct req *, struct reply *);
int	 api_kiosk_get(struct req *, struct reply *);

/* api_session.c: logging in and out */
int	 api_login_post(struct req *, struct reply *);
int	 api_logout_post(struct req *, struct reply *);
int	 api_me_get(struct req *, struct reply *);

/* The failed-login limits of one attempt (api_session.c). */
struct login_limits {
	char	pair[USERNAME_MAX + 2 + sizeof(((struct req *)NULL)->client)];
				/* "name address" */
};
enum err api_login_take(struct req *, const char *user,
	    struct login_limits *, struct reply *) WUR;
void	 api_login_undo(struct req *, const struct login_limits *);
void	 api_body_wipe(json_t *body, const char *name);

/* api_accounts.c: the console's accounts, and one's own password */
int	 api_accounts_list(struct req *, struct reply *);
int	 api_accounts_post(struct req *, struct reply *);
int	 api_account_patch(struct req *, struct reply *);
int	 api_account_reset(struct req *, struct reply *);
int	 api_password_post(struct req *, struct reply *);

/* api_rounds.c: rounds, their codes, scores and exports */
int	 api_rounds_list(struct req *, struct reply *);
int	 api_rounds_post(struct req *, struct reply *);
int	 api_round_get(struct req *, struct reply *);
int	 api_round_open(struct req *, struct reply *);
int	 api_round_close(struct req *, struct reply *);
int	 api_scores_get(struct req *, struct reply *);
int	 api_units_get(struct req *, struct reply *);
int	 api_unit_names_get(struct req *, struct reply *);
int	 api_export_get(struct req *, struct reply *);
int	 api_tokens_post(struct req *, struct reply *);
int	 api_round_patch(struct req *, struct reply *);
int	 api_round_delete(struct req *, struct reply *);
int	 api_tokens_void(struct req *, struct reply *);

/* api_kiosks.c */
int	 api_kiosks_list(struct req *, struct reply *);
int	 api_kiosks_post(struct req *, struct reply *);
int	 api_kiosk_patch(struct req *, struct reply *);

/* api_console.c: what the console reads besides rounds */
int	 api_audit_list(struct req *, struct reply *);
int	 api_forms_list(struct req *, struct reply *);
int	 api_qr_post(struct req *, struct reply *);
int	 api_ita_get(struct req *, struct reply *);

/* api_oit.c: the OIT evidence desk (oit.c) */
int	 api_oit_list(struct req *, struct reply *);
int	 api_oit_item_get(struct req *, struct reply *);
int	 api_oit_item_patch(struct req *, struct reply *);
int	 api_oit_urls_post(struct req *, struct reply *);
int	 api_oit_url_delete(struct req *, struct reply *);
int	 api_oit_copy_get(struct req *, struct reply *);
int	 api_oit_alerts_list(struct req *, struct reply *);
int	 api_oit_check_post(struct req *, struct reply *);

/* api_settings.c: the settings (settings.c) */
int	 api_settings_get(struct req *, struct reply *);
int	 api_settings_put(struct req *, struct reply *);

/* api_oitreport.c: the OIT desk's reports and estimate */
int	 api_oit_report_get(struct req *, struct reply *);
int	 api_oit_estimate_get(struct req *, struct reply *);

/* api_analysis.c: rounds compared, weak items, guidance */
int	 api_compare_get(struct req *, struct reply *);
int	 api_weak_get(struct req *, struct reply *);
int	 api_compare_export(struct req *, struct reply *, int format);
int	 api_guidance_list(struct req *, struct reply *);
int	 api_guidance_put(struct req *, struct reply *);
int	 api_guidance_delete(struct req *, struct reply *);

/* qr.c: QR codes as SVG for the admin console */
#define QR_SVG_MAX	(256 * 1024) /* bytes of one SVG (far above need) */
int	 qr_svg(const char *text, struct buf *out) WUR;

/* http.c: the HTTP server, started and stopped by cmd_serve.c */
struct http;
struct writer;
int	 http_start(struct app *, struct writer *, const char *webroot,
	    int listen_fd, int tls, struct http **) WUR;
int64_t	 http_drain(struct http *, int seconds);

/* metrics.c: GET /metrics on --metrics-listen */
struct metrics;
void	 metrics_request(const struct route *, int api, int status);
int	 metrics_start(struct app *, struct writer *, int listen_fd,
	    struct metrics **) WUR;
void	 metrics_stop(struct metrics *);
void	 http_stop(struct http *);

#endif /* !HTTP_H */
