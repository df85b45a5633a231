/* SPDX-License-Identifier: ISC */
/*
 * The working group's measures: what it decided to do about a weak
 * indicator or item of last year's results, who does it and by when,
 * and how far it got.  Published as OIT item o42 (the plan) and o43
 * (the report on it); the printable documents are the console's
 * (web/admin/measures-print.html), from the list here.
 *
 *   measures.c	     the actions, their rules, their SQL (db_slot()s
 *		     208-255) and their audit lines
 *   api_measures.c  /api/v1/admin/measures
 *   cmd_measures.c  ita-survey measures list | add | set | delete
 */
#ifndef MEASURES_H
#define MEASURES_H

#include <stdint.h>
#include <stdio.h>

#include "extern.h"
#include "err.h"

#define MEASURE_TARGET_MAX	16	/* bytes of a target code, "o43" */

/*
 * What a measure is given: on add, what is NULL (or not has_) takes its
 * default; on change, it stays as it is.  Text is borrowed.
 */
struct measure_input {
	int		 has_year;
	int64_t		 year;		/* fiscal year, Buddhist Era */
	int		 has_round;
	int64_t		 round;		/* 0: none */
	const char	*target;	/* "3", "i9", "e2", "o42" */
	const char	*what;
	const char	*how;
	const char	*who;
	const char	*due;		/* "YYYY-MM-DD" (Christian Era) */
	const char	*status;	/* planned|doing|done|dropped */
	const char	*progress;
	const char	*evidence;
};

int64_t	 measures_fiscal_year(int64_t unix_time);
int	 measures_status_ok(const char *);
enum err measures_add(struct app *, const char *actor,
	    const struct measure_input *, int64_t *id, json_t **fields) WUR;
enum err measures_change(struct app *, const char *actor, int64_t id,
	    const struct measure_input *, json_t **fields) WUR;
enum err measures_delete(struct app *, const char *actor, int64_t id) WUR;
enum err measures_get(struct app *, int64_t id, json_t **doc) WUR;
enum err measures_list(struct app *, int64_t year, const char *status,
	    json_t **doc) WUR;
enum err measures_csv(struct app *, int64_t year, FILE *out) WUR;
enum err measures_targets(struct app *, json_t **doc) WUR;

/* api_measures.c (the route table names them) */
struct req;
struct reply;
int	 api_measures_list(struct req *, struct reply *);
int	 api_measures_post(struct req *, struct reply *);
int	 api_measure_get(struct req *, struct reply *);
int	 api_measure_patch(struct req *, struct reply *);
int	 api_measure_delete(struct req *, struct reply *);
int	 api_measures_export(struct req *, struct reply *);
int	 api_measures_targets(struct req *, struct reply *);

#endif /* !MEASURES_H */
