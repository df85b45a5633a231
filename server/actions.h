/* SPDX-License-Identifier: ISC */
/*
 * The administrators' actions, one module per resource: rounds.c,
 * codes.c, kiosks.c, export.c (exports), accounts.c, settings.c, and
 * ita.c for the overall estimate.  Each action checks its rule, runs its transaction
 * and writes its audit line in one place; the command line (cmd_*.c) and
 * the HTTP handlers (api_*.c) only translate arguments and replies.
 *
 * Actions return ERR_OK or the enum err that says why not (err.h);
 * database failures are logged where they happen.  "actor" names who
 * acts in the audit log: ACTOR_CLI or the console user's name.
 */
#ifndef ACTIONS_H
#define ACTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "extern.h"
#include "db.h"
#include "err.h"

#define ACTOR_CLI	"cli"	/* the audit log's name for the shell */

/* ---- rounds.c ---- */

enum err rounds_create(struct app *, const char *actor, const char *form,
	    const char *title, int64_t population, int public,
	    struct round *out) WUR;
enum err rounds_set_open(struct app *, const char *actor, int64_t id,
	    int open, struct round *out) WUR;
enum err rounds_make_final(struct app *, const char *actor,
	    int64_t id) WUR;
enum err rounds_get(struct app *, int64_t id, struct round *out) WUR;
enum err rounds_list(struct app *, int archived, struct round **out,
	    size_t *n) WUR;

/* What rounds_change() changes; the rest stays. */
struct round_change {
	const char	*title;		/* new title, or NULL */
	int		 has_population;
	int64_t		 population;	/* new head-count, if has_population */
	int		 archived;	/* 1 archive, 0 restore, -1 leave */
};
enum err rounds_change(struct app *, const char *actor, int64_t id,
	    const struct round_change *, struct round *out) WUR;
enum err rounds_delete(struct app *, const char *actor, int64_t id) WUR;
json_t	*rounds_json(const struct app *, const struct round *);
enum err rounds_scores(struct app *, int64_t id, json_t **out) WUR;

/* ---- codes.c: one-time access codes ---- */

#define CODES_CHUNK		10000	/* codes per transaction */

/* Called with each code once its chunk is committed; 0, or -1 to stop. */
typedef int (*codes_fn)(const char *code, void *arg);
enum err codes_issue(struct app *, const char *actor, int64_t round,
	    int64_t count, const char *unit, codes_fn, void *arg) WUR;
enum err codes_void(struct app *, const char *actor, int64_t round,
	    const char *const *codes, size_t n, int64_t *voided,
	    size_t *unknown, size_t *nunknown) WUR;
enum err codes_void_unused(struct app *, const char *actor,
	    int64_t round) WUR;

/* ---- kiosks.c ---- */

int	 kiosks_name_ok(const char *);
enum err kiosks_add(struct app *, const char *actor, int64_t round,
	    const char *name, const char *unit, char key[TOKEN_TEXT_MAX],
	    struct kiosk *out) WUR;
enum err kiosks_change(struct app *, const char *actor, int64_t id,
	    const char *name, int revoked, struct kiosk *out) WUR;
enum err kiosks_list(struct app *, int64_t round, struct kiosk **out,
	    size_t *n) WUR;
json_t	*kiosks_json(const struct kiosk *);

/* ---- export.c: scores and responses as CSV, JSON, XLSX ---- */

enum export_what { EXPORT_SCORES, EXPORT_RESPONSES, EXPORT_UNITS,
	EXPORT_COMPARE };
enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX };

int	 export_parse(const char *what, const char *format,
	    enum export_what *, enum export_format *) WUR;
const char *export_mime(enum export_format);
const char *export_ext(enum export_format);
const char *export_what_name(enum export_what);
void	 export_csv_field(FILE *, const char *, int last);
void	 export_csv_number(FILE *, json_t *, int last);
int	 export_copy(FILE *in, FILE *out) WUR;
int	 export_copy_path(const char *path, FILE *out) WUR;
enum err export_round(struct app *, const char *actor, int64_t round,
	    enum export_what, enum export_format, FILE *out) WUR;

/* ---- accounts.c: the console's accounts ---- */

#define ACCOUNT_TEMP_MAX TOKEN_TEXT_MAX	/* bytes of a temporary password */

enum err accounts_add(struct app *, const char *actor, const char *user,
	    const char *password, int is_admin,
	    char temp[ACCOUNT_TEMP_MAX], struct admin *out) WUR;
enum err accounts_find(struct app *, const char *user,
	    struct admin *out) WUR;
enum err accounts_list(struct app *, struct admin **out, size_t *n) WUR;
json_t	*accounts_json(const struct admin *);
enum err accounts_change(struct app *, const char *actor, int64_t self,
	    int64_t id, int is_admin, int disabled, struct admin *out) WUR;
enum err accounts_reset(struct app *, const char *actor, int64_t self,
	    int64_t id, char temp[ACCOUNT_TEMP_MAX], struct admin *out) WUR;
enum err accounts_set_password(struct app *, const char *actor,
	    int64_t id, const char *password) WUR;
enum err accounts_change_password(struct app *, int64_t id,
	    const char *current, const char *new,
	    const unsigned char *keep) WUR;

/* ---- settings.c: what an administrator sets once for every round ---- */

#define SETTING_AGENCY	"agency"	/* the agency's name, on exports */

enum err settings_check(const char *name, const char *value);
enum err settings_get(struct app *, const char *name, char **value) WUR;
enum err settings_json(struct app *, json_t **out) WUR;
enum err settings_set(struct app *, const char *actor, json_t *values,
	    const char **bad) WUR;

/* ---- ita.c: the overall ITA estimate ---- */

#define ITA_WEIGHT_TOTAL 100	/* the ten indicators' weights add up to it */
#define ITA_PARTS_MAX	65	/* two forms' indicators (32 each) and OIT */
#define ITA_OIT_ESTIMATE (-1)	/* ita_overview: the OIT desk's estimate */

int	 ita_overall(const int64_t *scores, const int64_t *weights, size_t n,
	    int64_t oit, int64_t *oit_weight, int64_t *overall) WUR;
int	 ita_score_parse(const char *, int64_t *) WUR;
enum err ita_overview(struct app *, int64_t iit, int64_t eit, int64_t oit,
	    json_t **out, char *msg, size_t msgsz) WUR;

/* ---- units.c: organisational units, small ones hidden ---- */

int	 units_name(const char *, char out[UNIT_NAME_MAX + 1]);
enum err units_enter(struct app *, int64_t round, const char *name,
	    int64_t tokens, int64_t *unit) WUR;
size_t	 units_suppress(const int64_t *scored, size_t n, int unassigned,
	    int64_t min_cell, int *shown);
enum err units_document(struct app *, int64_t round, json_t **out) WUR;
enum err units_names(struct app *, json_t **out) WUR;
json_t	*units_compare(json_t *a, json_t *b);

/* ---- unitexport.c: the per-unit scores as CSV, JSON, XLSX ---- */

enum err units_export(struct app *, int64_t round, enum export_format,
	    FILE *out) WUR;
/* ---- guidance.c: the guidance per indicator, and the agency's own ---- */

json_t	*guidance_for(struct app *, const char *indicator);
enum err guidance_list(struct app *, json_t **out) WUR;
enum err guidance_set(struct app *, const char *actor, const char *code,
	    const char *th, const char *en, json_t **out) WUR;
enum err guidance_reset(struct app *, const char *actor, const char *code,
	    json_t **out) WUR;

/* ---- compare.c, compexport.c: two rounds side by side, weak items ---- */

enum err compare_rounds(struct app *, int64_t a, int64_t b, json_t **out)
	    WUR;
enum err compare_weak(struct app *, int64_t a, int64_t b, json_t **out)
	    WUR;
enum err export_compare(struct app *, const char *actor, int64_t a,
	    int64_t b, enum export_format, FILE *out) WUR;

#endif /* !ACTIONS_H */
