/* SPDX-License-Identifier: ISC */
/*
 * The SQL of units (migrations/0005_analysis.sql): names, each unit's
 * part in a round, its running counts and its published snapshot.
 * Callers hold db_lock() (or own the connection, as the writer does).
 */
#ifndef UNITDB_H
#define UNITDB_H

#include <stdint.h>

#include "db.h"

/* A unit's part in one round, as an administrator may see it. */
struct unit_part {
	int64_t	 id;
	char	 name[UNIT_NAME_MAX + 1];
	int64_t	 tokens_issued;		/* codes issued for it */
	int64_t	 kiosks;		/* kiosks of the round carrying it */
	int64_t	 scored;		/* its published snapshot: a
					   multiple of the round's min_cell */
};

int	 unitdb_find(struct db *, const char *name, int64_t *id) WUR;
int	 unitdb_add(struct db *, const char *name, int64_t *id) WUR;
int	 unitdb_count(struct db *, int64_t round, int64_t *n) WUR;
int	 unitdb_names(struct db *, json_t **out) WUR;
int	 unitdb_join(struct db *, int64_t round, int64_t unit,
	    int64_t tokens) WUR;
int	 unitdb_parts(struct db *, int64_t round, struct unit_part **,
	    size_t *) WUR;
int	 unitdb_kiosks_without(struct db *, int64_t round, int64_t *n) WUR;
int	 unitdb_published_each(struct db *, int64_t round, int64_t unit,
	    published_fn, void *) WUR;

/* The writer's, inside its transaction. */
int	 unitdb_add_responses(struct db *, int64_t round, int64_t unit,
	    int64_t n, int64_t *respondents) WUR;
int	 unitdb_publish(struct db *, int64_t round, int64_t unit,
	    int64_t scored) WUR;

#endif /* !UNITDB_H */
