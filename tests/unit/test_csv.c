/* SPDX-License-Identifier: ISC */
/* CSV cells (export_csv_field): quoting and the formula guard. */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "../check.h"

/* The CSV text of one last field s (caller frees). */
static char *
field(const char *s)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&out, &len)) == NULL)
		abort();
	export_csv_field(fp, s, 1);
	fclose(fp);
	return out;
}

static int
is(const char *s, const char *want)
{
	char	*got = field(s);
	int	 ok = strcmp(got, want) == 0;

	if (!ok)
		fprintf(stderr, "field: got [%s], want [%s]\n", got, want);
	free(got);
	return ok;
}

int
main(void)
{
	CHECK(is("plain", "plain\r\n"));
	CHECK(is("กองคลัง", "กองคลัง\r\n"));
	CHECK(is(NULL, "\"\"\r\n"));
	CHECK(is("a,b", "\"a,b\"\r\n"));
	CHECK(is("say \"hi\"", "\"say \"\"hi\"\"\"\r\n"));
	CHECK(is("two\nlines", "\"two\nlines\"\r\n"));
	/* What a spreadsheet would run, and what leads into it. */
	CHECK(is("=1+1", "\"'=1+1\"\r\n"));
	CHECK(is("+1", "\"'+1\"\r\n"));
	CHECK(is("-1", "\"'-1\"\r\n"));
	CHECK(is("@SUM(A1)", "\"'@SUM(A1)\"\r\n"));
	CHECK(is("\t=1", "\"'\t=1\"\r\n"));
	CHECK(is("\r=1", "\"'\r=1\"\r\n"));
	CHECK(is("\n=1", "\"'\n=1\"\r\n"));
	return check_done("test_csv");
}
