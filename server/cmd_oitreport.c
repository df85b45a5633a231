/* SPDX-License-Identifier: ISC */
/*
 * ita-survey oit report --from DATE --to DATE --format csv|xlsx|json
 * (placeholder until oitreport.c lands).
 */
#include "cmd.h"

int
cmd_oit_report(struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	fprintf(stderr, "ita-survey: oit report: not built yet\n");
	return 1;
}
