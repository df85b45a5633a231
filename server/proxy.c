/* SPDX-License-Identifier: ISC */
/*
 * Who the client is behind a reverse proxy.  Behind nginx every
 * connection comes from the proxy, so the per-address rate limits would
 * throttle a whole agency as one client.  Only from the peers named by
 * --trusted-proxy do we believe what a proxy says about the client: the
 * right-most address of X-Forwarded-For (or, without it, of Forwarded's
 * for= parameters) that is not itself a trusted proxy.  Addresses further
 * left were written by the client and could be anything.  From any other
 * peer the headers are ignored, and the peer is the client.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "extern.h"

#define PROXIES_MAX	32	/* CIDRs in --trusted-proxy */
#define HOPS_MAX	32	/* addresses of a forwarding chain we read */

struct cidr {
	unsigned char	addr[16];	/* IPv4 as ::ffff:a.b.c.d */
	unsigned	bits;		/* prefix length over the 16 bytes */
};

struct proxies {
	struct cidr	nets[PROXIES_MAX];
	size_t		n;
};

/* An IPv4 address as IPv4-mapped IPv6, so one CIDR list holds both. */
static void
map_v4(unsigned char a[16], const struct in_addr *v4)
{
	memset(a, 0, 10);
	a[10] = a[11] = 0xff;
	memcpy(a + 12, v4, 4);
}

/*
 * Parse an address (IPv4 or IPv6, no brackets) into 16 bytes, IPv4 mapped.
 * 0 for IPv4, 1 for IPv6, -1 when it is neither.
 */
static int
addr_parse(const char *s, unsigned char a[16])
{
	struct in_addr	v4;

	if (inet_pton(AF_INET, s, &v4) == 1) {
		map_v4(a, &v4);
		return 0;
	}
	return inet_pton(AF_INET6, s, a) == 1 ? 1 : -1;
}

static int
addr_v4mapped(const unsigned char a[16])
{
	static const unsigned char	prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xff, 0xff };

	return memcmp(a, prefix, 12) == 0;
}

static int
cidr_match(const struct cidr *c, const unsigned char a[16])
{
	unsigned	full = c->bits / 8, rest = c->bits % 8;
	unsigned char	mask;

	if (memcmp(c->addr, a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (c->addr[full] & mask) == (a[full] & mask);
}

/*
 * Parse "CIDR[,CIDR...]" (an address alone is a /32 or /128; spaces
 * around commas allowed) into *out.  0, or -1 with *out NULL and the
 * offending part in why (for the caller's message).
 */
int
proxy_parse(const char *spec, struct proxies **out, char *why, size_t whysz)
{
	struct proxies	*p;
	char		*copy, *tok, *save = NULL, *slash, *end;
	unsigned long	 bits;
	int		 v6;

	*out = NULL;
	p = xcalloc(1, sizeof(*p));
	copy = xstrdup(spec);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		snprintf(why, whysz, "%s", tok);
		if (p->n == PROXIES_MAX) {
			snprintf(why, whysz, "more than %d networks",
			    PROXIES_MAX);
			goto fail;
		}
		if ((slash = strchr(tok, '/')) != NULL)
			*slash++ = '\0';
		if ((v6 = addr_parse(tok, p->nets[p->n].addr)) == -1)
			goto fail;
		bits = v6 ? 128 : 32;
		if (slash != NULL) {
			if (*slash < '0' || *slash > '9')
				goto fail;
			bits = strtoul(slash, &end, 10);
			if (*end != '\0' || bits > (v6 ? 128u : 32u))
				goto fail;
		}
		p->nets[p->n].bits = (unsigned)bits + (v6 ? 0 : 96);
		p->n++;
	}
	if (p->n == 0) {
		snprintf(why, whysz, "no network given");
		goto fail;
	}
	free(copy);
	*out = p;
	return 0;
fail:
	free(copy);
	free(p);
	return -1;
}

void
proxy_free(struct proxies *p)
{
	free(p);
}

/* 1 when the 16-byte address a is in one of p's networks. */
static int
trusted(const struct proxies *p, const unsigned char a[16])
{
	size_t	i;

	for (i = 0; p != NULL && i < p->n; i++)
		if (cidr_match(&p->nets[i], a))
			return 1;
	return 0;
}

/* 1 when the peer sa is a trusted proxy. */
int
proxy_trusted(const struct proxies *p, const struct sockaddr *sa)
{
	unsigned char	a[16];

	if (p == NULL || sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		map_v4(a, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr);
	else if (sa->sa_family == AF_INET6)
		memcpy(a, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, 16);
	else
		return 0;
	return trusted(p, a);
}

/*
 * One hop of Forwarded's for= (RFC 7239 6): a quoted "[v6]:port" or
 * "v4:port", or a bare v4 or token ("unknown", "_hidden").  Writes the
 * address alone into out.
 */
static void
forwarded_node(const char *v, size_t len, char *out, size_t outsz)
{
	const char	*e;
	size_t		 n;

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	if (len > 0 && v[0] == '[') {
		e = memchr(v, ']', len);
		n = e == NULL ? 0 : (size_t)(e - v - 1);
		v++;
	} else {
		e = memchr(v, ':', len);
		n = e == NULL ? len : (size_t)(e - v);
	}
	if (n >= outsz)
		n = 0;
	memcpy(out, v, n);
	out[n] = '\0';
}

/*
 * Split a forwarding header into its hops, left to right, as address
 * texts (hops[i], each INET6_ADDRSTRLEN).  Forwarded: each element's for=.
 * Returns the count (at most HOPS_MAX: the right-most ones).
 */
static size_t
hops_of(const char *h, int forwarded, char hops[][INET6_ADDRSTRLEN])
{
	const char	*p, *e, *f, *pe;
	size_t		 n = 0, len;

	for (p = h; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		if (n == HOPS_MAX) {
			memmove(hops[0], hops[1], (HOPS_MAX - 1) *
			    sizeof(hops[0]));
			n--;
		}
		hops[n][0] = '\0';
		if (!forwarded) {
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			for (len = (size_t)(e - p); len > 0 &&
			    (p[len - 1] == ' ' || p[len - 1] == '\t'); len--)
				continue;
			if (len < INET6_ADDRSTRLEN) {
				memcpy(hops[n], p, len);
				hops[n][len] = '\0';
			}
			n++;
			continue;
		}
		/* for=... among the ;-separated pairs of this element */
		for (f = p; f < e; f = pe + 1) {
			pe = f + strcspn(f, ";");
			if (pe > e)
				pe = e;
			while (f < pe && (*f == ' ' || *f == '\t'))
				f++;
			if ((size_t)(pe - f) > 4 && strncasecmp(f, "for=", 4) ==
			    0) {
				for (len = (size_t)(pe - f - 4); len > 0 &&
				    (f[4 + len - 1] == ' ' ||
				    f[4 + len - 1] == '\t'); len--)
					continue;
				forwarded_node(f + 4, len, hops[n],
				    INET6_ADDRSTRLEN);
				break;
			}
			if (pe == e)
				break;
		}
		n++;
	}
	return n;
}

/*
 * The client's address behind the trusted peer into out (a text for the
 * rate limits' keys): the right-most hop of xff (X-Forwarded-For), else
 * of forwarded (Forwarded), that is not a trusted proxy.  When every hop
 * is trusted, the left-most; when a hop is not an address, the trusted
 * hop right of it (the client hid itself: the nearest proxy we know
 * stands for it).  Returns 1 when out was set, 0 when neither header
 * names anybody (the caller keeps the peer).
 */
int
proxy_client(const struct proxies *p, const char *xff, const char *forwarded,
    char *out, size_t outsz)
{
	char		hops[HOPS_MAX][INET6_ADDRSTRLEN];
	unsigned char	a[16], last[16];
	size_t		n, i;
	int		found = 0;

	if (xff != NULL && xff[0] != '\0')
		n = hops_of(xff, 0, hops);
	else if (forwarded != NULL && forwarded[0] != '\0')
		n = hops_of(forwarded, 1, hops);
	else
		return 0;
	for (i = n; i-- > 0; ) {
		if (addr_parse(hops[i], a) == -1)
			break;
		memcpy(last, a, 16);
		found = 1;
		if (!trusted(p, a))
			break;
	}
	if (!found)
		return 0;
	/* One text per address, as a direct peer's would be written. */
	if (addr_v4mapped(last))
		inet_ntop(AF_INET, last + 12, out, (socklen_t)outsz);
	else
		inet_ntop(AF_INET6, last, out, (socklen_t)outsz);
	return 1;
}
