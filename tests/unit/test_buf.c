/* SPDX-License-Identifier: ISC */
/* The bounded buffer: growth, the ceiling, printf. */
#include <string.h>

#include "extern.h"
#include "../check.h"

int
main(void)
{
	struct buf	b;
	char		big[1000];
	int		i;

	buf_init(&b, 10);
	CHECK(buf_puts(&b, "hello") == 0);
	CHECK(b.len == 5 && strcmp(b.p, "hello") == 0);
	CHECK(buf_puts(&b, "world") == 0);
	CHECK(b.len == 10);
	/* Past the ceiling: refused, unchanged. */
	CHECK(buf_puts(&b, "!") == -1);
	CHECK(b.len == 10 && strcmp(b.p, "helloworld") == 0);
	buf_reset(&b);
	CHECK(b.len == 0 && b.p[0] == '\0');
	CHECK(buf_printf(&b, "%d-%s", 42, "x") == 0);
	CHECK(strcmp(b.p, "42-x") == 0);
	CHECK(buf_printf(&b, "%s", "0123456789") == -1);
	CHECK(strcmp(b.p, "42-x") == 0);
	buf_free(&b);
	buf_free(&b);

	/* Wiped (secrets): grows by copy, keeps its contents and its cap. */
	buf_init_wiped(&b, 3000);
	CHECK(b.wipe == 1);
	for (i = 0; i < 1000; i++)
		CHECK(buf_append(&b, "pw", 2) == 0);
	CHECK(b.len == 2000 && b.p[0] == 'p' && b.p[1999] == 'w');
	CHECK(b.p[2000] == '\0');
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(buf_puts(&b, big) == 0 && b.len == 2999);
	CHECK(buf_append(&b, big, sizeof(big) - 1) == -1 && b.len == 2999);
	CHECK(b.p[2998] == 'z' && b.p[2999] == '\0');
	buf_free(&b);
	CHECK(b.p == NULL && b.len == 0);

	/* Unbounded: grows through many doublings; long printf. */
	buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		CHECK(buf_append(&b, "ab", 2) == 0);
	CHECK(b.len == 20000 && b.p[19999] == 'b' && b.p[20000] == '\0');
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(buf_printf(&b, "%s", big) == 0);
	CHECK(b.len == 20000 + 999);
	/* A size that would overflow is refused. */
	CHECK(buf_append(&b, "x", SIZE_MAX) == -1);
	buf_free(&b);
	buf_free(NULL);
	return check_done("test_buf");
}
