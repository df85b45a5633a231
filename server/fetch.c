/* SPDX-License-Identifier: ISC */
/*
 * What the OIT desk may fetch, and whether a URL is on the main site.
 * The rule, checked when a URL is added and again, by the watcher, on
 * every connection it opens (after DNS, and after each redirect): only
 * http and https, no user name or password in the URL, and no loopback,
 * private, shared, link-local (cloud metadata), multicast or reserved
 * address unless the server runs with --oit-allow-private.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "extern.h"
#include "oit.h"

struct net4 {
	uint32_t	addr;
	unsigned	bits;
};

/* IPv4 blocks no evidence URL may reach by default. */
static const struct net4 denied4[] = {
	{ 0x00000000u, 8 },	/* "this" network */
	{ 0x0a000000u, 8 },	/* private */
	{ 0x64400000u, 10 },	/* shared (carrier-grade NAT) */
	{ 0x7f000000u, 8 },	/* loopback */
	{ 0xa9fe0000u, 16 },	/* link-local, cloud metadata */
	{ 0xac100000u, 12 },	/* private */
	{ 0xc0000000u, 24 },	/* IETF protocol assignments */
	{ 0xc0a80000u, 16 },	/* private */
	{ 0xc6120000u, 15 },	/* benchmarking */
	{ 0xe0000000u, 4 },	/* multicast */
	{ 0xf0000000u, 4 },	/* reserved, broadcast */
};

static int
v4_allowed(uint32_t a)
{
	size_t		i;
	uint32_t	mask;

	for (i = 0; i < sizeof(denied4) / sizeof(denied4[0]); i++) {
		mask = 0xffffffffu << (32 - denied4[i].bits);
		if ((a & mask) == denied4[i].addr)
			return 0;
	}
	return 1;
}

static int
v6_allowed(const unsigned char *b)
{
	static const unsigned char	 zero[12];
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0xff, 0xff };
	static const unsigned char	 nat64[12] = { 0, 0x64, 0xff, 0x9b };
	uint32_t			 v4;

	memcpy(&v4, b + 12, 4);
	v4 = ntohl(v4);
	/* ::, ::1 and the IPv4-compatible ones; mapped and NAT64 IPv4. */
	if (memcmp(b, zero, 12) == 0)
		return v4 > 1 && v4_allowed(v4);
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_allowed(v4);
	if ((b[0] & 0xfe) == 0xfc ||		/* unique local fc00::/7 */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || /* fe80::/10 */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) || /* fec0::/10 */
	    b[0] == 0xff)			/* multicast */
		return 0;
	return 1;
}

/*
 * Whether the watcher may connect to sa: a public address, or any with
 * --oit-allow-private, or one of its CIDRs.
 */
int
oit_addr_allowed(const struct app *app, const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;
	int				 pub;

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		pub = v4_allowed(ntohl(s4->sin_addr.s_addr));
	} else if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		pub = v6_allowed(s6->sin6_addr.s6_addr);
	} else
		return 0;
	return pub || app->oit_allow_all || (app->oit_allow != NULL &&
	    proxy_trusted(app->oit_allow, sa));
}

/*
 * The host of an http(s) URL without user name or password, lower case
 * and without IPv6 brackets.  0, or -1 when the URL breaks that shape.
 */
int
oit_url_host(const char *url, char *host, size_t hostsz)
{
	CURLU		*u;
	char		*scheme = NULL, *h = NULL, *user = NULL, *pw = NULL;
	size_t		 i, len;
	int		 rc = -1;

	const char	*sep = strstr(url, "://");

	/* libcurl reads "https:///x" as host x: we want the host written. */
	if (strlen(url) > OIT_URL_MAX || !text_ok(url, OIT_URL_MAX) ||
	    strpbrk(url, " \t") != NULL || sep == NULL || sep[3] == '/' ||
	    sep[3] == '\0' || (u = curl_url()) == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_NO_USER ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) != CURLUE_NO_PASSWORD)
		goto out;
	len = strlen(h);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
		memmove(h, h + 1, len - 2);
		h[len -= 2] = '\0';
	}
	if (len == 0 || len >= hostsz)
		goto out;
	for (i = 0; i <= len; i++)
		host[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 :
		    h[i]);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(user);
	curl_free(pw);
	curl_url_cleanup(u);
	return rc;
}

/* Whether url has the shape of an evidence URL.  ERR_OIT_BAD_URL. */
enum err
oit_url_shape(const char *url)
{
	char	host[256];

	return oit_url_host(url, host, sizeof(host)) == -1 ?
	    ERR_OIT_BAD_URL : ERR_OK;
}

/*
 * Whether url may be watched: its shape (oit_url_host), and every
 * address its host resolves to now (oit_addr_allowed).
 * ERR_OK, ERR_OIT_BAD_URL, ERR_OIT_URL_PRIVATE.
 */
enum err
oit_url_check(const struct app *app, const char *url)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256];
	enum err	 e = ERR_OK;

	if (oit_url_host(url, host, sizeof(host)) == -1)
		return ERR_OIT_BAD_URL;
	if (app->oit_allow_all)
		return ERR_OK;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return ERR_OIT_URL_PRIVATE;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (!oit_addr_allowed(app, ai->ai_addr))
			e = ERR_OIT_URL_PRIVATE;
	freeaddrinfo(res);
	return e;
}

/*
 * Whether url is on the main site main_host: its host is main_host or a
 * name under it (www.agency.go.th is on agency.go.th).  An empty
 * main_host means every URL is.
 */
int
oit_on_site(const char *url, const char *main_host)
{
	char	host[256];
	size_t	hl, ml = strlen(main_host);

	if (ml == 0)
		return 1;
	if (oit_url_host(url, host, sizeof(host)) == -1)
		return 0;
	hl = strlen(host);
	if (hl == ml)
		return strcasecmp(host, main_host) == 0;
	return hl > ml && host[hl - ml - 1] == '.' &&
	    strcasecmp(host + hl - ml, main_host) == 0;
}
