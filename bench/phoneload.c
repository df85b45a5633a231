/* SPDX-License-Identifier: ISC */
/*
 * bench/phoneload.c: the load of "make bench" that wrk cannot make.  A 304
 * may carry the Content-Length of the 200 it stands for (RFC 9110, 8.6),
 * and wrk's HTTP parser then waits for a body that never comes; a phone
 * also needs each connection to follow its own respondent, which wrk's
 * scripts cannot see.  Here each connection is a thread with a blocking
 * socket, as a phone is one client.
 *
 *   phoneload get PORT PATH CONNS SECS GZIP [ETAG]
 *	GET PATH over and over on CONNS keep-alive connections for SECS s,
 *	"Accept-Encoding: gzip" when GZIP is 1, "If-None-Match: ETAG" when
 *	given.
 *   phoneload respondent PORT ROUND CONNS SECS CODEDIR QUESTIONS
 *	Each connection repeats a whole IIT respondent: GET the form
 *	document (gzip; If-None-Match once this connection has an ETag),
 *	POST tokens/check with its next code (codes from CODEDIR/codes.K,
 *	K = 1..CONNS), POST responses with the same code and an answer to
 *	each of QUESTIONS ("code:scale,...", scale L4 or YNn: "yes" n in
 *	ten), a fresh UUID v4.  A respondent counts at its 201.
 *
 * Traffic goes to 127.0.0.1 only.  Prints one line "BENCH key=value ..."
 * that bench/run.sh parses; the rate is what was answered over the time
 * from the start until every connection's last answer.
 */

#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ		(256 * 1024)
#define MAXQ		128
#define TIMEOUT_S	10

struct conn {
	int		 id;		/* 1-based */
	int		 fd;
	pthread_t	 th;
	unsigned int	 seed;
	char		*buf;
	size_t		 have;		/* bytes of the next answer in buf */
	uint32_t	*lat;		/* latencies, microseconds */
	size_t		 nlat, cap;
	/* what came back */
	long		 s200, s201, s304, other, gz, sockerr, bytes;
	long		 respondents, bad, exhausted, loaded, forms200;
	long		 forms304, formsgz, checks;
	/* the respondent */
	char		**codes;
	size_t		 ncodes, next;
	char		 etag[256];
};

static int		 port, conns, secs, gzip_on, respondent;
static const char	*path, *inm, *round_id, *codedir;
static char		*qname[MAXQ], *qscale[MAXQ];
static int		 nq;
static uint64_t		 deadline;

static uint64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
conn_open(struct conn *c)
{
	struct sockaddr_in	sa;
	struct timeval		tv = { TIMEOUT_S, 0 };
	int			one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd == -1)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->have = 0;
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->have = 0;
}

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The value of header NAME in the header block HDR (NUL-terminated). */
static int
header(const char *hdr, const char *name, char *out, size_t outsz)
{
	const char	*p = hdr, *e, *v;
	size_t		 n = strlen(name), l;

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		for (v = p + n + 1; *v == ' ' || *v == '\t'; v++)
			;
		e = strstr(v, "\r\n");
		l = e == NULL ? strlen(v) : (size_t)(e - v);
		if (l >= outsz)
			l = outsz - 1;
		memcpy(out, v, l);
		out[l] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Read one answer: its status, its headers into hdr, up to bodysz - 1
 * bytes of its body into body.  No body after a 304 or 204 whatever its
 * Content-Length says; every other answer of this server has one.
 */
static int
read_answer(struct conn *c, int *status, char *hdr, size_t hdrsz,
    char *body, size_t bodysz)
{
	char		*end, cl[32];
	size_t		 hlen, blen, need;
	ssize_t		 r;

	for (;;) {
		c->buf[c->have] = '\0';
		if ((end = strstr(c->buf, "\r\n\r\n")) != NULL)
			break;
		if (c->have >= BUFSZ - 1)
			return -1;
		r = recv(c->fd, c->buf + c->have, BUFSZ - 1 - c->have, 0);
		if (r <= 0)
			return -1;
		c->have += (size_t)r;
	}
	hlen = (size_t)(end - c->buf) + 4;
	if (sscanf(c->buf, "HTTP/1.%*d %d", status) != 1)
		return -1;
	if (hlen - 2 >= hdrsz)
		return -1;
	memcpy(hdr, c->buf, hlen - 2);
	hdr[hlen - 2] = '\0';
	blen = 0;
	if (*status != 304 && *status != 204) {
		if (!header(hdr, "Content-Length", cl, sizeof(cl)))
			return -1;
		blen = (size_t)strtoull(cl, NULL, 10);
	}
	need = hlen + blen;
	if (need > BUFSZ - 1)
		return -1;
	while (c->have < need) {
		r = recv(c->fd, c->buf + c->have, BUFSZ - 1 - c->have, 0);
		if (r <= 0)
			return -1;
		c->have += (size_t)r;
	}
	if (body != NULL) {
		need = blen < bodysz - 1 ? blen : bodysz - 1;
		memcpy(body, c->buf + hlen, need);
		body[need] = '\0';
	}
	c->bytes += (long)(hlen + blen);
	/* Keep what belongs to a next answer (none: one request at a time). */
	memmove(c->buf, c->buf + hlen + blen, c->have - hlen - blen);
	c->have -= hlen + blen;
	return 0;
}

static void
lat_add(struct conn *c, uint64_t us)
{
	uint32_t	*n;

	if (c->nlat == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 65536;
		if ((n = realloc(c->lat, c->cap * sizeof(*n))) == NULL) {
			perror("phoneload: realloc");
			exit(1);
		}
		c->lat = n;
	}
	c->lat[c->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/*
 * One request and its answer on c, reconnecting once the connection has
 * failed; -1 when there is no answer (counted as a socket error).
 */
static int
exchange(struct conn *c, const char *req, size_t reqlen, int *status,
    char *hdr, size_t hdrsz, char *body, size_t bodysz)
{
	uint64_t	t0;
	char		v[32];

	if (c->fd == -1 && conn_open(c) == -1) {
		c->sockerr++;
		usleep(10000);
		return -1;
	}
	t0 = now_us();
	if (send_all(c->fd, req, reqlen) == -1 ||
	    read_answer(c, status, hdr, hdrsz, body, bodysz) == -1) {
		c->sockerr++;
		conn_close(c);
		return -1;
	}
	lat_add(c, now_us() - t0);
	/* The server may end the connection after this answer. */
	if (header(hdr, "Connection", v, sizeof(v)) &&
	    strcasecmp(v, "close") == 0)
		conn_close(c);
	return 0;
}

static void
uuid4(struct conn *c, char *out)
{
	unsigned char	b[16];
	int		i;

	for (i = 0; i < 16; i++)
		b[i] = (unsigned char)rand_r(&c->seed);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* A plausible spread of L4 answers (mostly "3"/"4"), as submit.lua's. */
static const char	L4[] = "12223333333334444444";

static size_t
answers(struct conn *c, char *out, size_t outsz)
{
	size_t	n = 0;
	int	i, k;
	char	v[4];

	for (i = 0; i < nq; i++) {
		if (strcmp(qscale[i], "L4") == 0) {
			v[0] = L4[rand_r(&c->seed) % 20];
			v[1] = '\0';
		} else {
			k = atoi(qscale[i] + 2);
			strcpy(v, rand_r(&c->seed) % 10 < k ? "yes" : "no");
		}
		n += (size_t)snprintf(out + n, outsz - n, "%s\"%s\":\"%s\"",
		    i ? "," : "", qname[i], v);
		if (n >= outsz)
			return outsz;
	}
	return n;
}

static void
load_codes(struct conn *c)
{
	char	 fn[4096], line[128];
	FILE	*f;
	size_t	 cap = 0;

	snprintf(fn, sizeof(fn), "%s/codes.%d", codedir, c->id);
	if ((f = fopen(fn, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (c->ncodes == cap) {
			cap = cap ? cap * 2 : 1024;
			c->codes = realloc(c->codes, cap * sizeof(*c->codes));
			if (c->codes == NULL) {
				perror("phoneload: realloc");
				exit(1);
			}
		}
		if ((c->codes[c->ncodes++] = strdup(line)) == NULL) {
			perror("phoneload: strdup");
			exit(1);
		}
	}
	fclose(f);
	c->loaded = (long)c->ncodes;
}

static void
count_status(struct conn *c, int status)
{
	if (status == 200)
		c->s200++;
	else if (status == 201)
		c->s201++;
	else if (status == 304)
		c->s304++;
	else
		c->other++;
}

static void *
run_get(void *arg)
{
	struct conn	*c = arg;
	char		 req[2048], hdr[8192], v[64];
	int		 n, status;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1:%d\r\nAccept: */*\r\n%s%s%s%s\r\n", path, port,
	    gzip_on ? "Accept-Encoding: gzip\r\n" : "",
	    inm ? "If-None-Match: " : "", inm ? inm : "", inm ? "\r\n" : "");
	while (now_us() < deadline) {
		if (exchange(c, req, (size_t)n, &status, hdr, sizeof(hdr),
		    NULL, 0) == -1)
			continue;
		count_status(c, status);
		if (status != 200 && status != 304 && c->other <= 3)
			fprintf(stderr, "bench: status %d\n", status);
		if (header(hdr, "Content-Encoding", v, sizeof(v)) &&
		    strcasecmp(v, "gzip") == 0)
			c->gz++;
	}
	conn_close(c);
	return NULL;
}

static void *
run_respondent(void *arg)
{
	struct conn	*c = arg;
	char		*req, hdr[8192], v[256], body[512], id[37];
	const char	*code;
	int		 n, status, step = 1, sent_inm = 0, ok;
	size_t		 reqsz = 16384;

	if ((req = malloc(reqsz)) == NULL) {
		perror("phoneload: malloc");
		exit(1);
	}
	load_codes(c);
	code = "";
	while (now_us() < deadline) {
		if (step == 1) {
			if (c->next < c->ncodes)
				code = c->codes[c->next++];
			else {
				/* Refused by the server: the run fails. */
				code = "";
				c->exhausted++;
			}
			sent_inm = c->etag[0] != '\0';
			n = snprintf(req, reqsz, "GET /api/v1/rounds/%s/form "
			    "HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			    "Accept: application/json\r\n"
			    "Accept-Encoding: gzip\r\n%s%s%s\r\n", round_id,
			    port, sent_inm ? "If-None-Match: " : "",
			    c->etag, sent_inm ? "\r\n" : "");
		} else if (step == 2) {
			char	b[128];
			int	bl;

			bl = snprintf(b, sizeof(b), "{\"token\":\"%s\"}", code);
			n = snprintf(req, reqsz, "POST /api/v1/rounds/%s/"
			    "tokens/check HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			    "Accept: application/json\r\nContent-Type: "
			    "application/json; charset=utf-8\r\n"
			    "Content-Length: %d\r\n\r\n%s", round_id, port,
			    bl, b);
		} else {
			char	a[6144], b[8192];
			size_t	al;
			int	bl;

			uuid4(c, id);
			al = answers(c, a, sizeof(a));
			bl = snprintf(b, sizeof(b), "{\"submission_id\":"
			    "\"%s\",\"token\":\"%s\",\"answers\":{%.*s}}", id,
			    code, (int)al, a);
			n = snprintf(req, reqsz, "POST /api/v1/rounds/%s/"
			    "responses HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			    "Accept: application/json\r\nContent-Type: "
			    "application/json; charset=utf-8\r\n"
			    "Content-Length: %d\r\n\r\n%s", round_id, port,
			    bl, b);
		}
		if (n < 0 || (size_t)n >= reqsz) {
			fprintf(stderr, "phoneload: request too long\n");
			exit(1);
		}
		if (exchange(c, req, (size_t)n, &status, hdr, sizeof(hdr),
		    body, sizeof(body)) == -1) {
			step = 1;
			continue;
		}
		count_status(c, status);
		if (step == 1) {
			ok = status == 200 || (status == 304 && sent_inm);
			if (status == 200)
				c->forms200++;
			if (status == 304)
				c->forms304++;
			if (header(hdr, "ETag", v, sizeof(v)))
				strcpy(c->etag, v);
			if (header(hdr, "Content-Encoding", v, sizeof(v)) &&
			    strcasecmp(v, "gzip") == 0)
				c->formsgz++;
		} else if (step == 2) {
			ok = status == 200 && strstr(body, "\"valid\"") != NULL;
			if (ok)
				c->checks++;
		} else {
			ok = status == 201;
			if (ok)
				c->respondents++;
		}
		if (ok)
			step = step % 3 + 1;
		else {
			if (++c->bad <= 3)
				fprintf(stderr, "bench: step %d: status %d: "
				    "%.200s\n", step, status, body);
			step = 1;
		}
	}
	conn_close(c);
	free(req);
	return NULL;
}

static int
cmp32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr, "usage: phoneload get PORT PATH CONNS SECS GZIP "
	    "[ETAG]\n       phoneload respondent PORT ROUND CONNS SECS "
	    "CODEDIR QUESTIONS\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct conn	*cs;
	uint32_t	*all;
	uint64_t	 t0, el;
	size_t		 nall = 0, k;
	long		 s200 = 0, s201 = 0, s304 = 0, other = 0, gz = 0;
	long		 sockerr = 0, bytes = 0, resp = 0, bad = 0, exh = 0;
	long		 loaded = 0, f200 = 0, f304 = 0, fgz = 0, checks = 0;
	long		 reqs;
	char		*q, *tok, *save = NULL;
	int		 i;
	FILE		*r;
	unsigned int	 seed = (unsigned int)time(NULL);

	if (argc < 7)
		usage();
	respondent = strcmp(argv[1], "respondent") == 0;
	if (!respondent && strcmp(argv[1], "get") != 0)
		usage();
	port = atoi(argv[2]);
	conns = atoi(argv[4]);
	secs = atoi(argv[5]);
	if (port <= 0 || conns <= 0 || conns > 4096 || secs <= 0)
		usage();
	if (respondent) {
		if (argc != 8)
			usage();
		round_id = argv[3];
		codedir = argv[6];
		if ((q = strdup(argv[7])) == NULL)
			return 1;
		for (tok = strtok_r(q, ",", &save); tok != NULL && nq < MAXQ;
		    tok = strtok_r(NULL, ",", &save)) {
			if ((qscale[nq] = strchr(tok, ':')) == NULL)
				usage();
			*qscale[nq]++ = '\0';
			qname[nq++] = tok;
		}
	} else {
		path = argv[3];
		gzip_on = strcmp(argv[6], "1") == 0;
		inm = argc > 7 && argv[7][0] != '\0' ? argv[7] : NULL;
	}
	if ((r = fopen("/dev/urandom", "rb")) != NULL) {
		if (fread(&seed, sizeof(seed), 1, r) != 1)
			seed ^= (unsigned int)getpid();
		fclose(r);
	}
	if ((cs = calloc((size_t)conns, sizeof(*cs))) == NULL)
		return 1;
	for (i = 0; i < conns; i++) {
		cs[i].id = i + 1;
		cs[i].fd = -1;
		cs[i].seed = seed + (unsigned int)i * 7919u;
		if ((cs[i].buf = malloc(BUFSZ)) == NULL)
			return 1;
	}
	t0 = now_us();
	deadline = t0 + (uint64_t)secs * 1000000;
	for (i = 0; i < conns; i++)
		if (pthread_create(&cs[i].th, NULL, respondent ?
		    run_respondent : run_get, &cs[i]) != 0) {
			perror("phoneload: pthread_create");
			return 1;
		}
	for (i = 0; i < conns; i++)
		pthread_join(cs[i].th, NULL);
	el = now_us() - t0;
	for (i = 0; i < conns; i++) {
		nall += cs[i].nlat;
		s200 += cs[i].s200;
		s201 += cs[i].s201;
		s304 += cs[i].s304;
		other += cs[i].other;
		gz += cs[i].gz;
		sockerr += cs[i].sockerr;
		bytes += cs[i].bytes;
		resp += cs[i].respondents;
		bad += cs[i].bad;
		exh += cs[i].exhausted;
		loaded += cs[i].loaded;
		f200 += cs[i].forms200;
		f304 += cs[i].forms304;
		fgz += cs[i].formsgz;
		checks += cs[i].checks;
	}
	if ((all = malloc((nall ? nall : 1) * sizeof(*all))) == NULL)
		return 1;
	for (i = 0, k = 0; i < conns; i++) {
		if (cs[i].nlat)
			memcpy(all + k, cs[i].lat,
			    cs[i].nlat * sizeof(*all));
		k += cs[i].nlat;
	}
	qsort(all, nall, sizeof(*all), cmp32);
	reqs = (long)nall;
	printf("BENCH requests=%ld duration_us=%llu rps=%.1f p50_us=%u "
	    "p99_us=%u s200=%ld s201=%ld s304=%ld other=%ld gz=%ld "
	    "bytes=%ld sockerr=%ld", reqs, (unsigned long long)el,
	    (double)reqs / ((double)el / 1e6), nall ? all[nall / 2] : 0,
	    nall ? all[(size_t)((double)nall * 0.99)] : 0, s200, s201, s304,
	    other, gz, bytes, sockerr);
	if (respondent)
		printf(" resps=%.1f respondents=%ld bad=%ld exhausted=%ld "
		    "loaded=%ld forms200=%ld forms304=%ld formsgz=%ld "
		    "checks=%ld", (double)resp / ((double)el / 1e6),
		    resp, bad, exh, loaded, f200, f304, fgz, checks);
	printf("\n");
	return 0;
}
