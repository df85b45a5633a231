/* SPDX-License-Identifier: ISC */
/*
 * oitdb.c: the SQL of the OIT evidence desk's tables.  Callers hold
 * db_lock(); functions return 0 (or 1 for "found") and -1 on error,
 * logged where it happened.
 */
#ifndef OITDB_H
#define OITDB_H

#include <stdint.h>

#include "oit.h"

struct db;

/* A watched URL as the watcher needs it. */
struct oit_url {
	int64_t		 id;
	char		*checklist;	/* owned */
	char		*item;		/* owned */
	char		*url;		/* owned */
	enum oit_state	 state;		/* after the last check */
	int64_t		 since;		/* when that state began, 0 never */
	int64_t		 fails;		/* checks in a row not up */
	int64_t		 checked_at;	/* 0 never */
	char		*final_url;	/* owned, "" never */
	int		 on_site;
	int64_t		 copy_size;	/* bytes of the kept copy, -1 none */
	int64_t		 cert_days;	/* -1 unknown */
	char		 sha256[65];	/* the last check's body hash */
};

int	 oitdb_urls_live(struct db *, struct oit_url **, size_t *) WUR;
void	 oitdb_urls_free(struct oit_url *, size_t);
int	 oitdb_url_checked(struct db *, int64_t id, const struct oit_check *,
	    int64_t since, int64_t fails) WUR;
int	 oitdb_change_add(struct db *, int64_t id,
	    const struct oit_check *) WUR;
int	 oitdb_daily_add(struct db *, int64_t id, const char *day,
	    const struct oit_check *) WUR;
int	 oitdb_alert_open_get(struct db *, int64_t url, const char *kind,
	    int64_t *alert) WUR;
int	 oitdb_alert_open(struct db *, int64_t url, const char *kind,
	    int64_t at, const char *detail, int64_t *alert) WUR;
int	 oitdb_alert_close(struct db *, int64_t alert, int64_t at) WUR;
int	 oitdb_notice_add(struct db *, int64_t alert, const char *event,
	    const char *channel, int64_t at) WUR;

/* A notice to deliver, with what it tells. */
struct oit_notice {
	int64_t		 id;
	int		 close;		/* 0 the alert opened, 1 it closed */
	int		 webhook;	/* 0 e-mail, 1 webhook */
	int64_t		 attempts;
	int64_t		 alert;
	char		 kind[16];	/* down, cert, offsite */
	int64_t		 opened_at;
	int64_t		 closed_at;	/* 0 while open */
	char		*detail;	/* JSON facts, owned */
	char		*checklist;	/* owned */
	char		*item;		/* owned */
	char		*url;		/* owned */
};

int	 oitdb_notices_pending(struct db *, int64_t tries, int64_t max,
	    int64_t before, struct oit_notice **, size_t *) WUR;
int	 oitdb_notice_claim(struct db *, int64_t id, int64_t now,
	    int64_t before) WUR;
void	 oitdb_notices_free(struct oit_notice *, size_t);
int	 oitdb_notice_done(struct db *, int64_t id, int64_t at,
	    const char *error) WUR;
int	 oitdb_copies_others(struct db *, int64_t url, int64_t *bytes) WUR;
int	 oitdb_copy_size(struct db *, int64_t url, int64_t *size,
	    char sha[65]) WUR;
int	 oitdb_copy_put(struct db *, int64_t url,
	    const struct oit_check *) WUR;

/* ---- oit-api: the administrators' actions (oit.c) ---- */

/* The working group's word on one item (oit_items). */
struct oit_item_row {
	int		 ready;			/* 0 or 1 */
	char		 note[OIT_NOTE_MAX + 1];
	char		 owner[OIT_OWNER_MAX + 1];
};

int	 oitdb_item_get(struct db *, const char *checklist, const char *item,
	    struct oit_item_row *) WUR;
int	 oitdb_item_put(struct db *, const char *checklist, const char *item,
	    const struct oit_item_row *, int64_t at, const char *by) WUR;
int	 oitdb_items_json(struct db *, const char *checklist,
	    json_t **) WUR;
int	 oitdb_url_count(struct db *, const char *checklist,
	    const char *item, int64_t *n) WUR;
int	 oitdb_url_find(struct db *, const char *checklist, const char *item,
	    const char *url) WUR;
int	 oitdb_url_insert(struct db *, const char *checklist,
	    const char *item, const char *url, int64_t at, const char *by,
	    int64_t *id) WUR;
int	 oitdb_url_remove(struct db *, int64_t id, int64_t at) WUR;
int	 oitdb_urls_json(struct db *, const char *checklist, const char *item,
	    int64_t id, int removed, const char *since_day, json_t **) WUR;
int	 oitdb_changes_json(struct db *, int64_t url, int64_t since,
	    int64_t limit, json_t **) WUR;
int	 oitdb_daily_json(struct db *, int64_t url, const char *since_day,
	    int64_t limit, json_t **) WUR;
int	 oitdb_alerts_json(struct db *, int open_only, const char *checklist,
	    const char *item, int64_t limit, json_t **) WUR;
int	 oitdb_alerts_open_count(struct db *, int64_t *n) WUR;
int	 oitdb_copy_get(struct db *, int64_t url, struct oit_copy *) WUR;
/* ---- oit-report: availability reports (oitreport.c), the estimate
   (oitscore.c) ---- */

/* A URL and its counts over a report's days. */
struct oit_rep_url {
	int64_t		 id;
	char		*checklist;	/* owned */
	char		*item;		/* owned */
	char		*url;		/* owned */
	int64_t		 added_at;
	int64_t		 removed_at;	/* 0 while watched */
	enum oit_state	 state;		/* at its last check */
	int64_t		 checks, up, suspect, down;
	int64_t		 ttfb_sum;	/* ms, summed over the checks */
};

/* An incident as a report tells it. */
struct oit_rep_alert {
	char		 kind[16];	/* down, cert, offsite */
	int64_t		 opened_at;
	int64_t		 closed_at;	/* 0 while open */
};

int	 oitdb_rep_urls(struct db *, const char *day_from,
	    const char *day_last, struct oit_rep_url **, size_t *) WUR;
void	 oitdb_rep_urls_free(struct oit_rep_url *, size_t);
int	 oitdb_rep_alerts(struct db *, int64_t url, int64_t from, int64_t to,
	    int (*)(const struct oit_rep_alert *, void *), void *) WUR;
int	 oitdb_rep_changes(struct db *, int64_t url, int64_t from, int64_t to,
	    int64_t max, int (*)(const struct oit_check *, void *),
	    void *) WUR;
int	 oitdb_items_ready(struct db *, const char *checklist,
	    int (*)(const char *, int, void *), void *) WUR;
int	 oitdb_live_states(struct db *, const char *checklist,
	    int (*)(const char *, enum oit_state, void *), void *) WUR;

#endif /* !OITDB_H */
