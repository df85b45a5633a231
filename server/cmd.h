/* SPDX-License-Identifier: ISC */
/*
 * The subcommands.  Each takes the arguments after its name (common flags
 * already removed into cfg), prints --help, and returns the exit status:
 * 0 ok, 1 failure, 2 bad usage.
 */
#ifndef CMD_H
#define CMD_H

#include "extern.h"
#include "actions.h"

#define EXIT_USAGE	2

int	 cmd_serve(struct config *, int, char **);
int	 cmd_migrate(struct config *, int, char **);
int	 cmd_backup(struct config *, int, char **);
int	 cmd_forms(struct config *, int, char **);
int	 cmd_round(struct config *, int, char **);
int	 cmd_tokens(struct config *, int, char **);
int	 cmd_kiosk(struct config *, int, char **);
int	 cmd_scores(struct config *, int, char **);
int	 cmd_export(struct config *, int, char **);
int	 cmd_admin(struct config *, int, char **);
int	 cmd_settings(struct config *, int, char **);
int	 cmd_oit(struct config *, int, char **);
int	 cmd_oit_report(struct config *, int, char **);	/* cmd_oitreport.c */
int	 cmd_measures(struct config *, int, char **);
int	 cmd_compare(struct config *, int, char **);

/* main.c: what every command shares */

int	 usage_error(const char *usage, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 wants_help(int, char **);
int	 parse_id(const char *, int64_t *);
int	 cmd_fail(const char *usage, enum err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 cmd_open(struct app *, struct config *, int flags) WUR;
FILE	*cmd_out_open(const char *path, char **tmp);
int	 cmd_out_close(FILE *, char *tmp, const char *path, int ok);

#endif /* !CMD_H */
