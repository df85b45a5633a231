/* SPDX-License-Identifier: ISC */
/*
 * ita-survey serve: the daemon's whole life, in order.  Parse the
 * settings, open everything (database, forms, secret, web folder, socket,
 * TLS keys), drop privileges and confine the process, start the writer
 * and the HTTP server, wait for SIGINT or SIGTERM, drain, free.  The
 * HTTP module only serves; it neither starts nor ends the process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "oit.h"
#include "http.h"
#include "tls.h"

#define SERVE_USAGE "ita-survey serve [--listen HOST:PORT] " \
	"[--tls-cert PEM --tls-key PEM] [--user NAME] [--public-url URL] " \
	"[--trusted-proxy CIDR[,CIDR...]] [--metrics-listen HOST:PORT] " \
	"[--rate-limits on|off] [--wal-max MIB] [common options]"
#define DRAIN_SECS	20		/* SIGTERM: wait this long for requests */

/* Parse "HOST:PORT" or "[V6]:PORT" into ss.  0 or -1. */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char			 host[128];
	const char		*colon;
	char			*end;
	long			 port;
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)(void *)ss;
	size_t			 hl;

	memset(ss, 0, sizeof(*ss));
	if ((colon = strrchr(spec, ':')) == NULL)
		return -1;
	hl = (size_t)(colon - spec);
	if (spec[0] == '[') {
		if (hl < 3 || spec[hl - 1] != ']')
			return -1;
		spec++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || port < 0 ||
	    port > 65535)
		return -1;
	if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ?
	    "127.0.0.1" : host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/*
 * A listening TCP socket on ss; the address it is bound to (the kernel's
 * port for port 0) goes to url as "http[s]://HOST:PORT".  The descriptor,
 * or -1 (logged).
 */
static int
listen_socket(const struct sockaddr_storage *ss, socklen_t len, int tls,
    char *url, size_t urlsz)
{
	struct sockaddr_storage	 bound;
	socklen_t		 blen = sizeof(bound);
	char			 host[INET6_ADDRSTRLEN];
	const void		*addr;
	unsigned		 port;
	int			 fd, one = 1;

	if ((fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
	    -1) {
		log_err("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) == -1 ||
	    listen(fd, 1024) == -1 ||
	    getsockname(fd, (struct sockaddr *)&bound, &blen) == -1) {
		log_err("cannot listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (bound.ss_family == AF_INET6) {
		addr = &((struct sockaddr_in6 *)(void *)&bound)->sin6_addr;
		port = ntohs(((struct sockaddr_in6 *)(void *)&bound)->sin6_port);
	} else {
		addr = &((struct sockaddr_in *)(void *)&bound)->sin_addr;
		port = ntohs(((struct sockaddr_in *)(void *)&bound)->sin_port);
	}
	if (inet_ntop(bound.ss_family, addr, host, sizeof(host)) == NULL)
		snprintf(host, sizeof(host), "?");
	snprintf(url, urlsz, "%s://%s%s%s:%u", tls ? "https" : "http",
	    bound.ss_family == AF_INET6 ? "[" : "", host,
	    bound.ss_family == AF_INET6 ? "]" : "", port);
	return fd;
}

/* Check the settings only serve uses.  0, or -1 (logged). */
static int
serve_config_check(const struct config *cfg)
{
	struct proxies	*proxies;
	char		 why[128];

	/*
	 * A server facing the network keeps no root by accident: root
	 * without --user is refused, before anything is opened or created;
	 * --user root is the explicit opt-in (sandbox.c warns about it).
	 */
	if (cfg->user == NULL && geteuid() == 0) {
		log_err("refusing to serve as root: pass --user NAME (an "
		    "unprivileged account), or --user root to keep root "
		    "knowingly");
		return -1;
	}
	if (config_wal_max(cfg) == -1) {
		log_err("--wal-max %s: not a number of MiB from %d to %d",
		    cfg->wal_max, WAL_MAX_MIN, WAL_MAX_MAX);
		return -1;
	}
	if (strcmp(cfg->rate_limits, "on") != 0 &&
	    strcmp(cfg->rate_limits, "off") != 0) {
		log_err("--rate-limits is on or off");
		return -1;
	}
	if (cfg->public_url != NULL && text_base_url(cfg->public_url) == 0) {
		log_err("--public-url %s: not http[s]://HOST[:PORT] (no path; "
		    "at most %d bytes)", cfg->public_url, PUBLIC_URL_MAX);
		return -1;
	}
	if (cfg->trusted_proxies != NULL) {
		if (proxy_parse(cfg->trusted_proxies, &proxies, why,
		    sizeof(why)) == -1) {
			log_err("--trusted-proxy: %s: not an address or "
			    "CIDR", why);
			return -1;
		}
		proxy_free(proxies);
	}
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		log_err("--tls-cert and --tls-key go together");
		return -1;
	}
	return 0;
}

/*
 * SIGHUP: read the certificate and key files again.  Connections open
 * keep the pair they shook hands with; a pair that does not load leaves
 * the old one in use (tls_load() logs why).
 */
static void
reload(const struct config *cfg, int tls)
{
	if (!tls)
		log_info("SIGHUP: no TLS certificate to reload");
	else if (tls_load(cfg->tls_cert, cfg->tls_key) == 0)
		log_info("SIGHUP: reloaded %s", cfg->tls_cert);
	else
		log_warn("SIGHUP: kept the certificate in use");
}

/* ita-survey serve: run until SIGINT/SIGTERM, drain, exit 0. */
int
cmd_serve(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = 0;
	struct writer		*w = NULL;
	struct http		*h = NULL;
	struct metrics		*m = NULL;
	struct sockaddr_storage	 mss;
	socklen_t		 msslen = 0;
	char			 murl[128];
	int			 mfd = -1, fd;
	sigset_t		 sigs;
	char			 url[128];
	char			 webroot[PATH_MAX];
	int64_t			 busy;
	int			 sig = 0, lfd = -1, rc = 1;
	int			 tls = cfg->tls_cert != NULL;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nServes the HTTP API and the pages in the "
		    "web folder.  With port 0 a free\nport is chosen; the "
		    "first line of output is always\n\"listening on "
		    "http://HOST:PORT\".  SIGINT or SIGTERM stop accepting,\n"
		    "let requests in flight finish and exit 0.\n\n"
		    "Started as root it needs --user NAME: it opens its "
		    "files, gives the\nserver's own files to NAME (and the "
		    "database's folder when nothing\nelse is in it), then "
		    "runs as NAME.  --user root keeps root knowingly.\n\n"
		    "SIGHUP reads the TLS certificate and key again: new "
		    "connections get the\nnew pair, open ones keep theirs; a "
		    "pair that does not load is logged\nand the old one "
		    "stays.\n\n"
		    "--public-url URL     the address printed on slips, QR "
		    "codes and kiosk\n                     pairing links "
		    "(http[s]://HOST[:PORT])\n"
		    "--trusted-proxy NETS only from these peers (CIDRs) is "
		    "the client taken\n                     from "
		    "X-Forwarded-For or Forwarded (rate limits)\n"
		    "--metrics-listen A   serve GET /metrics (Prometheus) on "
		    "HOST:PORT A\n"
		    "--wal-max MIB        keep the write-ahead log under "
		    "about this size\n                     under load "
		    "(default 64)\n\n"
		    "The OIT watcher checks the evidence URLs on its "
		    "schedule (settings oit.*):\n"
		    "--oit-allow-private[=on|off|CIDR,...]\n"
		    "                     may fetch loopback and private "
		    "addresses (all, or\n                     only those "
		    "networks); default off\n"
		    "--oit-ca-file PEM    more CAs to trust (intranet "
		    "evidence)\n"
		    "--smtp-password-file F  the alerts' SMTP password, "
		    "first line of F\n",
		    SERVE_USAGE);
		return 0;
	}
	if (argc > 0)
		return usage_error(SERVE_USAGE, "unexpected argument \"%s\"",
		    argv[0]);

	/* Parse. */
	if (serve_config_check(cfg) == -1)
		return 1;
	if (parse_listen(cfg->listen, &ss, &sslen) == -1) {
		log_err("%s: not HOST:PORT", cfg->listen);
		return 1;
	}
	if (cfg->metrics_listen != NULL && parse_listen(cfg->metrics_listen,
	    &mss, &msslen) == -1) {
		log_err("--metrics-listen %s: not HOST:PORT",
		    cfg->metrics_listen);
		return 1;
	}

	/* Open everything while we may. */
	if (app_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if (realpath(cfg->web, webroot) == NULL) {
		log_err("%s: %s", cfg->web, strerror(errno));
		goto out;
	}
	if (tls && tls_load(cfg->tls_cert, cfg->tls_key) == -1)
		goto out;
	if ((lfd = listen_socket(&ss, sslen, tls, url, sizeof(url))) == -1)
		goto out;
	if (msslen != 0 && (mfd = listen_socket(&mss, msslen, 0, murl,
	    sizeof(murl))) == -1)
		goto out;

	/* Signals go to sigwait() below, not to the threads started next. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Drop privileges; every thread started after inherits it. */
	if (sandbox_enter(cfg, webroot) == -1)
		goto out;

	/* Serve. */
	limit_enable(strcmp(cfg->rate_limits, "on") == 0);
	if (writer_start(&app, &w) == -1)
		goto out;
	if (oit_watch_start(&app, &app.watch) == -1)
		goto out;
	/* http_start() takes lfd over, and closes it if it fails. */
	if (http_start(&app, w, webroot, lfd, tls, &h) == -1) {
		lfd = -1;
		goto out;
	}
	lfd = -1;
	/* metrics_start() takes mfd over, and closes it if it fails. */
	if (mfd != -1) {
		fd = mfd;
		mfd = -1;
		if (metrics_start(&app, w, fd, &m) == -1)
			goto out;
		log_info("metrics on %s/metrics", murl);
	}
	printf("listening on %s\n", url);
	fflush(stdout);
	log_info("serving %s with forms from %s", cfg->db, cfg->forms);
	while (sigwait(&sigs, &sig) != 0 || sig == SIGHUP)
		if (sig == SIGHUP)
			reload(cfg, tls);

	/* Drain. */
	log_info("signal %d: draining", sig);
	if ((busy = http_drain(h, DRAIN_SECS)) > 0)
		log_warn("%lld requests still running after %d s; stopping",
		    (long long)busy, DRAIN_SECS);
	log_info("stopped");
	rc = 0;

	/* Free. */
out:
	http_stop(h);
	metrics_stop(m);
	oit_watch_stop(app.watch);
	app.watch = NULL;
	writer_stop(w);
	if (lfd != -1)
		close(lfd);
	if (mfd != -1)
		close(mfd);
	tls_free();
	app_close(&app);
	return rc;
}
