/* SPDX-License-Identifier: ISC */
/* audit.c: the audit log's lines, their facts and their sentences. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct db;

int	 audit_add(struct db *, const char *user, const char *action,
	    json_t *facts) WUR;
json_t	*audit_text(const char *action, const json_t *facts,
	    const char *detail);
int	 audit_time_parse(const char *, int end, int64_t *) WUR;
void	 audit_write_csv(FILE *, const json_t *lines);

#endif /* !AUDIT_H */
