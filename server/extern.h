/* SPDX-License-Identifier: ISC */
/*
 * Shared types and prototypes of ita-survey.  Each section belongs to the
 * module named in its heading; the module's .c file documents the contract
 * of every function in detail.
 */
#ifndef EXTERN_H
#define EXTERN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "bounds.h"
#include "err.h"

#define WUR	__attribute__((warn_unused_result))

#ifndef ITA_VERSION
#define ITA_VERSION	"unknown"	/* the Makefile passes debian/changelog's */
#endif

/* ---- log.c: logging, allocation that cannot fail ---- */

void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_quiet(int);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* ---- text.c: one line of text a person typed ---- */

int	 text_ok(const char *, size_t max);
size_t	 text_base_url(const char *);

/* ---- backup.c: the copies in the backup folder ---- */

int	 backup_is_copy(const char *name);
char	*backup_copy_path(const char *dir);
time_t	 backup_newest(const char *dir);

/* ---- proxy.c: the client behind a trusted reverse proxy ---- */

struct proxies;
struct sockaddr;

int	 proxy_parse(const char *, struct proxies **, char *why, size_t)
	    WUR;
void	 proxy_free(struct proxies *);
int	 proxy_trusted(const struct proxies *, const struct sockaddr *);
int	 proxy_client(const struct proxies *, const char *xff,
	    const char *forwarded, char *out, size_t outsz);

/* ---- buf.c: bounded byte buffer ---- */

struct buf {
	char	*p;	/* NUL-terminated contents, owned */
	size_t	 len;	/* bytes used, without the NUL */
	size_t	 cap;	/* bytes allocated */
	size_t	 max;	/* appends that would pass this fail; 0 = SIZE_MAX */
	int	 wipe;	/* zero memory before letting it go (secrets) */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_init_wiped(struct buf *, size_t max);
int	 buf_append(struct buf *, const void *, size_t) WUR;
int	 buf_puts(struct buf *, const char *) WUR;
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3))) WUR;
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

/* ---- token.c: access codes and keys (Crockford base32, keyed hash) ---- */

#define TOKEN_BYTES	10	/* 80 random bits: one access code */
#define TOKEN_CHARS	16	/* TOKEN_BYTES * 8 / 5 */
#define KIOSK_BYTES	20	/* 160 random bits: one kiosk key */
#define KIOSK_CHARS	32
#define TOKEN_TEXT_MAX	80	/* longest grouped text of any key */
#define HASH_BYTES	32	/* keyed hash stored in the database */
#define SECRET_BYTES	32	/* server secret */

enum token_kind {
	TOKEN_ACCESS,	/* one-time access code of an internal round */
	TOKEN_KIOSK,	/* kiosk key */
	TOKEN_SESSION,	/* admin session cookie */
	TOKEN_CSRF,	/* admin CSRF token */
	TOKEN_SUBMISSION, /* submission_id of a response (replays) */
	TOKEN__MAX
};

void	 token_new(char *out, size_t outsz, size_t nbytes);
int	 token_parse(const char *in, char *canon, size_t canonsz,
	    size_t nchars) WUR;
void	 token_hash(const unsigned char *secret, enum token_kind,
	    int64_t scope, const char *canon, unsigned char out[HASH_BYTES]);

/* ---- form.c: questionnaire files ---- */

struct label {
	char	*th;	/* UTF-8, owned */
	char	*en;	/* UTF-8, owned */
};

struct option {
	char		*value;		/* answer value, owned */
	struct label	 label;
	int64_t		 points;	/* hundredths of a point, 0..10000 */
	int64_t		 rpoints;	/* hundredths, for reverse questions */
};

struct scale {
	char		*code;		/* "L4", owned */
	struct option	*opts;		/* owned array */
	size_t		 nopts;
};

struct question {
	char			*code;	/* "i1a", owned */
	struct label		 text;
	const struct scale	*scale;	/* borrowed from form->scales */
	int			 required;
	int			 reverse;
	size_t			 index;	/* position in form->questions */
	size_t			 base;	/* first slot in a counts array */
};

struct item {
	char		*code;		/* "i1", owned */
	struct label	 text;
	struct question	*qs;		/* owned array */
	size_t		 nqs;
};

struct indicator {
	char		*code;		/* "1", owned */
	struct label	 name;
	int64_t		 weight;	/* weight in the overall ITA */
	struct item	*items;		/* owned array */
	size_t		 nitems;
};

struct grade {
	char	*name;			/* "AA", owned */
	int64_t	 min;			/* hundredths */
};

struct form {
	char			 *id;		/* "ita-2563-iit", owned */
	char			 *instrument;	/* "IIT", owned */
	int			  internal;	/* audience "internal" */
	struct label		  title;
	struct scale		 *scales;	/* owned array */
	size_t			  nscales;
	struct indicator	 *inds;		/* owned array */
	size_t			  ninds;
	const struct question	**questions;	/* flat, borrowed entries */
	const struct question	**sorted;	/* the same, by code */
	size_t			  nquestions;
	size_t			  ncounts;	/* sum of options over questions */
	struct grade		 *grades;	/* owned, min decreasing */
	size_t			  ngrades;
	int64_t			  target;	/* hundredths */
	int64_t			  min_cell;	/* respondents per published step */
	int64_t			  sample_percent;
	int64_t			  sample_min;
	int64_t			  sample_max;	/* -1: no maximum */
	json_t			 *doc;		/* public form document, owned */
};

/* ---- checklist.c: OIT checklist files, forms/oit-YEAR.json ---- */

#define CHECKLIST_ITEMS_MAX	200	/* items of one checklist */
#define CHECKLIST_CODE_MAX	7	/* bytes of an item code, "o123" */

struct checklist_indicator {
	char		 code[9];	/* "9" */
	struct label	 name;
	int64_t		 weight;	/* of the ITA's 100, e.g. 20 */
};

struct checklist_group {
	char		 code[17];	/* "9.1" */
	struct label	 name;
	size_t		 indicator;	/* index into inds */
};

struct checklist_item {
	char		 code[CHECKLIST_CODE_MAX + 1]; /* "o1" */
	struct label	 name;
	struct label	 hint;		/* what the evidence shows; may be
					   NULL strings */
	size_t		 indicator;	/* index into inds */
	size_t		 group;		/* index into groups */
};

struct checklist {
	char				 id[48];	/* "oit-2563" */
	int64_t				 fiscal_year;	/* 2563 */
	struct label			 title;
	struct label			 note;		/* may be NULL strings */
	struct checklist_indicator	*inds;
	size_t				 ninds;
	struct checklist_group		*groups;
	size_t				 ngroups;
	struct checklist_item		*items;		/* in file order */
	size_t				 nitems;
	json_t				*doc;		/* the checked file */
};

int	 checklist_load(const char *path, struct checklist **out,
	    FILE *errs) WUR;
void	 checklist_free(struct checklist *);
int	 checklist_name(const char *file);

/* ---- guidance.c: the guidance per indicator, forms/ita-guidance.json ---- */

#define GUIDANCE_FILE		"ita-guidance.json"
#define GUIDANCE_INDS_MAX	32	/* indicators of the file */

struct guidance_entry {
	char		 code[9];	/* indicator "1" */
	struct label	 text;		/* lines of text, owned */
};

struct guidance {
	struct guidance_entry	*ents;	/* owned, in file order */
	size_t			 n;
};

int	 guidance_load(const char *path, struct guidance **out, FILE *errs)
	    WUR;
void	 guidance_free(struct guidance *);
int	 guidance_text_ok(const char *, size_t max);

struct formset {
	struct form	**forms;	/* owned */
	size_t		  nforms;
	struct checklist **lists;	/* owned: OIT checklists */
	size_t		  nlists;
	struct guidance	 *guidance;	/* owned, or NULL: no file */
};

const struct checklist *checklist_get(const struct formset *, const char *id);
const struct checklist *checklist_latest(const struct formset *);
const struct checklist_item *checklist_item(const struct checklist *,
	    const char *code);

#define FORM_FILE_MAX	(4 * 1024 * 1024)	/* bytes of one form file */
#define FORMS_MAX	64			/* form files in a folder */

int	 form_load(const char *path, struct form **out, FILE *errs) WUR;
int	 form_load_buf(const char *name, const char *buf, size_t len,
	    struct form **out, FILE *errs) WUR;
void	 form_free(struct form *);
int	 formset_load(const char *dir, struct formset **out, FILE *errs) WUR;
void	 formset_free(struct formset *);
const struct form *formset_get(const struct formset *, const char *id);
const struct question *form_question(const struct form *, const char *code);
int	 form_option_index(const struct question *, const char *value);
/* A form's counts array (form->ncounts entries) filled from a snapshot. */
struct form_counts {
	const struct form	*form;		/* borrowed */
	int64_t			*n;		/* the array, the caller's */
};
int	 form_counts_put(const char *question, const char *value, int64_t n,
	    void *arg);
int	 form_answers_check(const struct form *, json_t *answers,
	    json_t **fields) WUR;
int	 form_answers_opts(const struct form *, json_t *answers,
	    uint16_t *opts, json_t **fields) WUR;

/* ---- tally.c: answer counts as the writer keeps them ---- */

struct tally_counts {
	const struct form	*form;		/* borrowed */
	int64_t			*n;		/* form->ncounts slots, owned */
	json_t			*extra;		/* counts the form lacks */
};

int	 tally_counts_load(const struct form *, const char *text,
	    struct tally_counts *) WUR;
int	 tally_counts_dump(const struct tally_counts *, struct buf *) WUR;
void	 tally_counts_free(struct tally_counts *);

/* ---- submit.c: a response body, parsed and checked against its form ---- */

#define SUBMISSION_ID_LEN	36	/* canonical UUID text */

struct submit {
	char		 sid[SUBMISSION_ID_LEN + 1]; /* UUID, lower case */
	int		 has_token;	/* internal: a well-formed code */
	int		 token_bad;	/* internal: a malformed code */
	char		 token_canon[TOKEN_CHARS + 1]; /* if has_token */
	char		*answers_text;	/* canonical JSON, owned */
	uint16_t	*opts;		/* per question: option+1, or
					   0 unanswered; owned */
};

enum err submit_parse(const char *body, size_t len, const struct form *,
	    struct submit *out, json_t **fields, char *msg, size_t msgsz) WUR;
enum err submit_check(json_t *body, const struct form *, struct submit *out,
	    json_t **fields, char *msg, size_t msgsz) WUR;
void	 submit_free(struct submit *);

/* ---- score.c: pure scoring from counts ---- */

int64_t	 score_round_div(int64_t num, int64_t den);
const char *score_grade(const struct form *, int64_t score);
int64_t	 score_sample_minimum(const struct form *, int64_t population);
int64_t	 score_weighted(const int64_t *scores, const int64_t *weights,
	    size_t n);
json_t	*score_document(const struct form *, int64_t round,
	    int64_t respondents, int64_t scored, int64_t population,
	    const int64_t *counts);
double	 score_to_double(int64_t hundredths);

/* ---- compare.c: the pure part, a figure's 95 % interval from counts ---- */

struct estimate {
	int	 has;		/* a score: somebody answered */
	int64_t	 score;		/* hundredths, as score_document has it */
	int	 has_se;	/* a standard error (every part had n >= 2) */
	double	 se;		/* of the score, in points */
	int64_t	 n;		/* answers behind it (the fewest of its parts) */
};

int	 compare_question(const struct question *, const int64_t *counts,
	    struct estimate *);
void	 compare_combine(const struct estimate *parts, size_t n,
	    struct estimate *out);
int	 compare_interval(const struct estimate *, double *low, double *high);
int	 compare_change(const struct estimate *a, const struct estimate *b,
	    double *change, double *low, double *high, int *significant);
double	 compare_round2(double);

/* ---- config.c: settings, and everything a command opens ---- */

struct config {
	const char	*config;	/* configuration file, or NULL */
	const char	*db;		/* database file */
	const char	*secret;	/* server secret file */
	const char	*forms;		/* folder of form files */
	const char	*web;		/* folder of static pages */
	const char	*migrations;	/* folder of migrations */
	const char	*listen;	/* "HOST:PORT" */
	const char	*user;		/* drop privileges to this user */
	const char	*tls_cert;	/* PEM files for HTTPS, or NULL */
	const char	*tls_key;
	const char	*rate_limits;	/* "on" (default) or "off" */
	const char	*public_url;	/* "https://host[:port]", or NULL */
	const char	*trusted_proxies; /* "CIDR[,CIDR...]", or NULL */
	const char	*metrics_listen; /* "HOST:PORT" of /metrics, or NULL */
	const char	*backup_dir;	/* where "backup" keeps its copies */
	const char	*backup_keep;	/* how many of them, "7" */
	const char	*oit_allow_private; /* "off" (default), "on": the
					   OIT watcher may fetch loopback and
					   private addresses, or only those
					   in "CIDR[,CIDR...]" */
	const char	*smtp_password_file; /* the OIT alerts' SMTP
					   password, or NULL */
	const char	*oit_ca_file;	/* more CAs the OIT watcher trusts
					   (intranet), or NULL */
	const char	*wal_max;	/* bound of the write-ahead log,
					   MiB, "64" */
	unsigned	 flagged;	/* bit k: setting k came from a flag */
};

/* --wal-max, MiB */
#define WAL_MAX_MIN	4
#define WAL_MAX_MAX	65536

int64_t	 config_wal_max(const struct config *);

struct db;

/* The database file's name, and what SQLite may put beside it, as suffixes. */
#define DB_FILE_SUFFIXES	{ "", "-wal", "-shm", "-journal" }

struct app {
	struct config	 cfg;
	struct db	*db;		/* owned */
	struct formset	*forms;		/* owned */
	unsigned char	 secret[SECRET_BYTES];
	char		*smtp_password;	/* owned, or NULL */
	int		 curl;		/* curl_global_init() done */
	int		 oit_allow_all;	/* --oit-allow-private on */
	struct proxies	*oit_allow;	/* its CIDRs, or NULL; owned */
	struct oit_watch *watch;	/* the OIT watcher, when serving */
};

#define APP_FORMS	0x01	/* load forms (and refuse broken ones) */

void	 config_init(struct config *);
int	 config_take(struct config *, int *argc, char **argv) WUR;
int	 config_finish(struct config *) WUR;
void	 config_usage(FILE *);
void	 config_free(void);
int	 app_open(struct app *, const struct config *, int flags) WUR;
void	 app_close(struct app *);

/* ---- writer.c: group commit of responses ---- */

struct job {
	int64_t			 round;
	const struct form	*form;		/* borrowed from app->forms */
	unsigned char		 sub[HASH_BYTES]; /* submission hash */
	int			 internal;	/* uses an access code */
	unsigned char		 token[HASH_BYTES]; /* the code's hash */
	int64_t			 kiosk;		/* sending kiosk, or 0 */
	int			 public_gate;	/* external, no kiosk: the writer
						   checks the round is public
						   and the address's limit */
	char			 client[64];	/* the address, for that limit */
	int64_t			 retry_after;	/* with a 429 */
	int64_t			 unit;		/* its unit, or 0: the kiosk's,
						   or the code's (writer) */
	char			*answers;	/* canonical JSON, owned */
	uint16_t		*opts;		/* per question: option+1, or
						   0 unanswered; owned */
	int			 status;	/* outcome: 201 200 403 409 410
						   429 503 */
	void			(*done)(struct job *);
	void			*arg;		/* for done() */
	struct job		*next;		/* queue link */
};

struct writer;

/* What the writer has done since it started (metrics). */
struct writer_stats {
	uint64_t	queued;		/* jobs waiting now */
	uint64_t	commits;	/* groups committed */
	uint64_t	failures;	/* groups rolled back */
	uint64_t	commit_ns;	/* their time, begin to commit, summed */
	uint64_t	commit_ns_max;	/* the longest */
	uint64_t	wal_bytes;	/* appended to the write-ahead log */
};

int	 writer_start(struct app *, struct writer **) WUR;
void	 writer_submit(struct writer *, struct job *);
void	 writer_stats(struct writer *, struct writer_stats *);
void	 writer_stop(struct writer *);
void	 job_free(struct job *);

/* ---- sandbox.c: privilege drop, Landlock ---- */

int	 sandbox_nodump(void) WUR;
int	 sandbox_enter(const struct config *, const char *web) WUR;
int	 sandbox_become_owner(const char *db) WUR;

/* ---- migrate.c ---- */

int	 migrate_run(struct db *, const char *dir, int *applied) WUR;

/* ---- auth.c: passwords, sessions, CSRF ---- */

#define SESSION_TTL	(8 * 3600)	/* seconds a session lives */

struct session;
int	 auth_password_hash(const char *pw, char *out, size_t outsz) WUR;
int	 auth_password_verify(const char *hash, const char *pw);
enum err auth_login(struct app *, const char *user, const char *pw,
	    char *cookie, size_t cookiesz, char *csrf, size_t csrfsz,
	    int *must_change) WUR;
int	 auth_session(struct app *, const char *cookie, struct session *) WUR;
int	 auth_csrf_ok(struct app *, const struct session *, const char *);
int	 auth_logout(struct app *, const char *cookie) WUR;

#endif /* !EXTERN_H */
