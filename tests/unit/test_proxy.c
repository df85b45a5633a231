/* SPDX-License-Identifier: ISC */
/* The client behind a trusted proxy (proxy.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "extern.h"
#include "../check.h"

static struct proxies	*px;

/* proxy_client() with px; "" when it names nobody. */
static const char *
client(const char *xff, const char *fwd)
{
	static char	out[64];

	if (!proxy_client(px, xff, fwd, out, sizeof(out)))
		out[0] = '\0';
	return out;
}

static int
trusts(const char *addr)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return proxy_trusted(px, (struct sockaddr *)&sin);
	}
	inet_pton(AF_INET6, addr, &sin6.sin6_addr);
	sin6.sin6_family = AF_INET6;
	return proxy_trusted(px, (struct sockaddr *)&sin6);
}

int
main(void)
{
	char		why[128], many[4096];
	struct proxies	*bad;
	size_t		i;

	/* Parsing. */
	CHECK(proxy_parse("10.0.0.0/8, 192.168.1.1,fd00::/8", &px, why,
	    sizeof(why)) == 0);
	CHECK(proxy_parse("10.0.0.0/33", &bad, why, sizeof(why)) == -1 &&
	    bad == NULL && strcmp(why, "10.0.0.0/33") == 0);
	CHECK(proxy_parse("::/129", &bad, why, sizeof(why)) == -1);
	CHECK(proxy_parse("nginx.local", &bad, why, sizeof(why)) == -1 &&
	    strcmp(why, "nginx.local") == 0);
	CHECK(proxy_parse("10.0.0.0/", &bad, why, sizeof(why)) == -1);
	CHECK(proxy_parse("10.0.0.0/8x", &bad, why, sizeof(why)) == -1);
	CHECK(proxy_parse(" , ", &bad, why, sizeof(why)) == -1);
	many[0] = '\0';
	for (i = 0; i < 33; i++)
		strcat(many, "10.0.0.1,");
	CHECK(proxy_parse(many, &bad, why, sizeof(why)) == -1);

	/* Who is trusted. */
	CHECK(trusts("10.200.3.4"));
	CHECK(trusts("192.168.1.1"));
	CHECK(!trusts("192.168.1.2"));
	CHECK(!trusts("11.0.0.1"));
	CHECK(trusts("fd12::1"));
	CHECK(!trusts("fe80::1"));
	CHECK(!proxy_trusted(NULL, NULL));

	/* X-Forwarded-For: the right-most hop not trusted. */
	CHECK(strcmp(client("198.51.100.7", NULL), "198.51.100.7") == 0);
	CHECK(strcmp(client("1.1.1.1, 198.51.100.7, 10.1.1.1", NULL),
	    "198.51.100.7") == 0);
	CHECK(strcmp(client("1.1.1.1,198.51.100.7,192.168.1.1,10.1.1.1",
	    NULL), "198.51.100.7") == 0);
	/* All trusted: the left-most. */
	CHECK(strcmp(client("10.0.0.9, 10.1.1.1", NULL), "10.0.0.9") == 0);
	/* Garbage right of the trusted hops: the nearest trusted one. */
	CHECK(strcmp(client("198.51.100.7, unknown, 10.1.1.1", NULL),
	    "10.1.1.1") == 0);
	CHECK(strcmp(client("junk", NULL), "") == 0);
	CHECK(strcmp(client("", NULL), "") == 0);
	CHECK(strcmp(client(NULL, NULL), "") == 0);
	/* One text per address. */
	CHECK(strcmp(client("2001:DB8:0:0::1", NULL), "2001:db8::1") == 0);
	CHECK(strcmp(client("::ffff:198.51.100.7", NULL), "198.51.100.7")
	    == 0);
	/* Forwarded, only without X-Forwarded-For. */
	CHECK(strcmp(client(NULL, "for=192.0.2.60;proto=http;by=10.0.0.1"),
	    "192.0.2.60") == 0);
	CHECK(strcmp(client(NULL, "for=192.0.2.43, for=\"[2001:db8:cafe::17]"
	    ":4711\""), "2001:db8:cafe::17") == 0);
	CHECK(strcmp(client(NULL, "For=\"192.0.2.44:80\";proto=https, "
	    "for=10.0.0.1"), "192.0.2.44") == 0);
	CHECK(strcmp(client(NULL, "proto=https;for=192.0.2.45"),
	    "192.0.2.45") == 0);
	CHECK(strcmp(client(NULL, "for=_hidden, for=198.51.100.1"),
	    "198.51.100.1") == 0);
	CHECK(strcmp(client(NULL, "by=10.0.0.1"), "") == 0);
	CHECK(strcmp(client("198.51.100.9", "for=192.0.2.60"),
	    "198.51.100.9") == 0);
	/* A long chain: only the right-most hops are read. */
	many[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(many, "10.0.0.1, ");
	strcat(many, "198.51.100.3, 10.0.0.2");
	CHECK(strcmp(client(many, NULL), "198.51.100.3") == 0);
	/* An over-long hop is not an address. */
	memset(many, '1', 200);
	strcpy(many + 200, ", 10.0.0.1");
	CHECK(strcmp(client(many, NULL), "10.0.0.1") == 0);

	proxy_free(px);
	return check_done("test_proxy");
}
