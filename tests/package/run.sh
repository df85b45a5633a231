#!/bin/bash
# SPDX-License-Identifier: ISC
# The package test: build the .deb, install it on this machine, lint it,
# run the installed program the way its unit does behind nginx with TLS,
# reload a TLS certificate with SIGHUP, back up, purge, and check what is
# left.  For a throwaway machine, as root (as "make test" is).
#
#   bash tests/package/run.sh [DEB]
#
# DEB defaults to what "make deb" builds.  Prints "ok - ..." or
# "not ok - ..." per check; exits 1 if any failed.  A leftover install of
# an earlier run is purged first; a /var/lib/ita-survey this test did not
# make is refused, never deleted.
#
# ITA_PKG_TEST_ENV="NAME=value ..." adds settings to every command the test
# runs as the service user (to try the test with a binary built without
# the installed defaults); normally empty.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SVC=ita-survey
STATE=/var/lib/ita-survey
CONF=/etc/ita-survey/ita-survey.conf
UNITDIR=/lib/systemd/system
MARK=$STATE/.package-test
EXPOSURE_MAX=2.0	# systemd-analyze security: "OK" is below 4.0
EXTRA_ENV=${ITA_PKG_TEST_ENV:-}

pass=0
fail=0
T=
PIDS=
installed=

ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	local d=$1
	shift
	if "$@" >/dev/null; then ok "$d"; else notok "$d"; fi
}
note() { sed 's/^/# /'; }

cleanup() {
	local p
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$installed" ]; then
		dpkg --purge "$SVC" >/dev/null 2>&1 || true
		[ -f "$MARK" ] && rm -rf "$STATE"
	fi
	[ -n "$T" ] && rm -rf "$T"
	return 0
}
trap cleanup EXIT
trap 'echo "not ok - stopped by an unexpected failure at line $LINENO"' ERR

if [ "$(id -u)" -ne 0 ]; then
	echo "not ok - the package test installs a package: run it as root"
	exit 1
fi

# A free loopback TCP port.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds; 1 on timeout.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# A command of the installed program as the service user, from /.
as_user() {
	(cd / && setpriv --reuid="$SVC" --regid="$SVC" --init-groups \
	    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $EXTRA_ENV \
	    /usr/bin/ita-survey "$@")
}

# unit_key UNIT KEY: the value of KEY= in an installed unit (last one).
unit_key() {
	sed -n "s/^$2=//p" "$UNITDIR/$1" | tail -n 1
}

# The NAME=value lines of an environment file, as systemd reads them.
conf_env() {
	grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$1" || true
}

# cert_is PORT CN: a new TLS connection to PORT sees a certificate for CN.
cert_is() {
	openssl s_client -connect "127.0.0.1:$1" </dev/null 2>/dev/null |
	    openssl x509 -noout -subject 2>/dev/null | grep -q "CN *= *$2\$"
}

# http_code ARGS...: curl's status code, or 000.
http_code() {
	curl -sk -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true
}

# ---------------------------------------------------------------------
# A leftover install of an earlier run goes first.

if dpkg-query -W -f='${Status}' "$SVC" 2>/dev/null | grep -q 'installed'
then
	echo "# purging the ita-survey package left installed"
	dpkg --purge "$SVC" >/dev/null
fi
if [ -e "$STATE" ]; then
	if [ -f "$MARK" ]; then
		rm -rf "$STATE"
	else
		notok "$STATE exists and was not made by this test: move it away first"
		exit 1
	fi
fi

T=$(mktemp -d /tmp/ita-package.XXXXXX)
chmod 0711 "$T"

# ---------------------------------------------------------------------
# Build and lint.

VERSION=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
ARCH=$(dpkg --print-architecture)
DEB=${1:-}
if [ -z "$DEB" ]; then
	make -C "$ROOT" deb >"$T/deb.log" 2>&1 ||
	    { note <"$T/deb.log"; notok "make deb"; exit 1; }
	DEB=$ROOT/build/${SVC}_${VERSION}_$ARCH.deb
fi
check "the package is ${SVC}_${VERSION}_$ARCH.deb" \
    test "$(basename "$DEB")" = "${SVC}_${VERSION}_$ARCH.deb" -a -f "$DEB"

lintian "$DEB" >"$T/lintian" 2>&1 || true
note <"$T/lintian"
check "lintian: no errors" sh -c "! grep -q '^E:' '$T/lintian'"

# ---------------------------------------------------------------------
# Install.

installed=1
if ! dpkg -i "$DEB" >"$T/dpkg.log" 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq \
	    >>"$T/dpkg.log" 2>&1 || true
fi
touch "$MARK" 2>/dev/null || true
if dpkg-query -W -f='${Status}' $SVC 2>/dev/null | grep -q 'ok installed'
then
	ok "dpkg -i installs it"
else
	note <"$T/dpkg.log"
	notok "dpkg -i installs it"
	exit 1
fi

check "user $SVC exists, home $STATE, no login shell" sh -c \
    "getent passwd $SVC | awk -F: '\$6 == \"$STATE\" && \$7 ~ /nologin\$/' | grep -q ."
check "group $SVC exists" getent group "$SVC"
check "$STATE is $SVC:$SVC 0700" \
    test "$(stat -c '%U:%G %a' "$STATE")" = "$SVC:$SVC 700"
check "$CONF is root:$SVC 0640" \
    test "$(stat -c '%U:%G %a' "$CONF")" = "root:$SVC 640"
check "$CONF is a conffile" sh -c \
    "dpkg-query -W -f='\${Conffiles}' $SVC | grep -q ' $CONF '"
check "/usr/bin/ita-survey is installed" test -x /usr/bin/ita-survey
check "ita-survey --version prints ita-survey $VERSION" \
    test "$(/usr/bin/ita-survey --version 2>&1)" = "ita-survey $VERSION"
check "the nginx example is installed" \
    test -f /usr/share/doc/$SVC/examples/nginx.conf

# README quotes the shipped nginx configuration verbatim.
awk '/^```nginx$/ { on = 1; n++; next } /^```$/ { on = 0 }
    on { print > (dir "/readme-nginx-" n) }' dir="$T" "$ROOT/README.md"
same=
for f in "$T"/readme-nginx-*; do
	[ -f "$f" ] && cmp -s "$f" /usr/share/doc/$SVC/examples/nginx.conf &&
	    same=1
done
check "README's nginx block is the shipped example" test -n "$same"

# ---------------------------------------------------------------------
# Units.

UNITS="$SVC.service $SVC-backup.service $SVC-backup.timer"
for u in $UNITS; do
	check "$u is installed" test -f "$UNITDIR/$u"
done
(cd / && systemd-analyze verify $(for u in $UNITS; do
    echo "$UNITDIR/$u"; done)) >"$T/verify" 2>&1 && verified=1 || verified=
note <"$T/verify"
check "systemd-analyze verify: the units are clean" \
    test -n "$verified" -a ! -s "$T/verify"
for u in $SVC.service $SVC-backup.service; do
	e=$(systemd-analyze security --offline=yes "$UNITDIR/$u" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	check "systemd-analyze security $u: exposure ${e:-?} <= $EXPOSURE_MAX" \
	    awk -v e="${e:-99}" -v m="$EXPOSURE_MAX" 'BEGIN { exit !(e + 0 <= m + 0) }'
done
check "the timer runs daily and catches up (Persistent=true)" sh -c \
    "grep -qx 'OnCalendar=daily' $UNITDIR/$SVC-backup.timer &&
     grep -qx 'Persistent=true' $UNITDIR/$SVC-backup.timer"

# ---------------------------------------------------------------------
# Man pages: mandoc -Tlint prints nothing.  (Its note that mandoc.db, the
# system's index, lacks a page is about the index, not the page.)

mkdir -p "$T/man"
for m in man8/ita-survey.8 man5/ita-survey-forms.5; do
	f=/usr/share/man/$m.gz
	[ -f "$f" ] || f=/usr/share/man/$m
	if [ ! -f "$f" ]; then
		notok "$m is installed"
		continue
	fi
	zcat -f "$f" >"$T/man/$(basename "$m")"
	mandoc -Tlint "$T/man/$(basename "$m")" 2>&1 |
	    grep -v 'outdated mandoc.db' >"$T/lint" || true
	note <"$T/lint"
	check "mandoc -Tlint $m: clean" test ! -s "$T/lint"
done

# ---------------------------------------------------------------------
# The service, started as its unit starts it: User=, EnvironmentFile=,
# ExecStart=, from a clean environment, with the configuration file an
# administrator edits.

USER_=$(unit_key $SVC.service User)
ENVFILE=$(unit_key $SVC.service EnvironmentFile)
ENVFILE=${ENVFILE#-}
EXEC=$(unit_key $SVC.service ExecStart)
check "the unit runs as $SVC" test "$USER_" = "$SVC"
check "the unit reads $CONF" test "$ENVFILE" = "$CONF"

NGINX_TLS=$(free_port)
NGINX_HTTP=$(free_port)
cat >"$CONF" <<EOF
# written by tests/package/run.sh
ITA_SURVEY_LISTEN=127.0.0.1:0
ITA_SURVEY_PUBLIC_URL=https://127.0.0.1:$NGINX_TLS
ITA_SURVEY_TRUSTED_PROXIES=127.0.0.1/32
ITA_SURVEY_BACKUP_KEEP=2
EOF
check "$CONF is still root:$SVC 0640 once edited" \
    test "$(stat -c '%U:%G %a' "$CONF")" = "root:$SVC 640"

# start_server NAME ARGS...: run ARGS as the service user in the
# background, output in $T/NAME.out and .err; sets PORT from its
# "listening on" line (0 when it did not start).
start_server() {
	local name=$1
	shift
	(cd / && umask 0077 && exec setpriv --reuid="$USER_" --regid="$USER_" \
	    --init-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@") \
	    >"$T/$name.out" 2>"$T/$name.err" &
	SERVER_PID=$!
	PIDS="$PIDS $SERVER_PID"
	PORT=0
	if wait_for 20 grep -q '^listening on https\{0,1\}://' "$T/$name.out"
	then
		PORT=$(sed -n '1s/^listening on https\{0,1\}:\/\/[^ ]*:\([0-9]*\)$/\1/p' \
		    "$T/$name.out")
		PORT=${PORT:-0}
	else
		note <"$T/$name.err"
	fi
}

start_server serve $(conf_env "$ENVFILE") $EXTRA_ENV $EXEC
MAIN_PID=$SERVER_PID
APP=$PORT
check "serve starts as $SVC and prints its address first" \
    test "$APP" -gt 0

server_checks() {
	local code codes r a b n i form answers out

	check "the secret is made on first start: $STATE/secret.key $SVC 0600" \
	    test "$(stat -c '%U %a' "$STATE/secret.key" 2>/dev/null)" = "$SVC 600"
	check "the database is $STATE/ita-survey.db, $SVC 0600" \
	    test "$(stat -c '%U %a' "$STATE/ita-survey.db" 2>/dev/null)" = "$SVC 600"

	# The command line as the service user sees the same settings.
	if printf '%s\n' 'package test passphrase' |
	    as_user admin add admin >/dev/null 2>"$T/cli.err"; then
		ok "admin add as $SVC, password from standard input"
	else
		note <"$T/cli.err"
		notok "admin add as $SVC, password from standard input"
	fi
	r=$(as_user round create --form ita-2563-iit --title 'Package test' \
	    --population 120 2>"$T/cli.err") || true
	note <"$T/cli.err"
	if ! [ "$r" -gt 0 ] 2>/dev/null; then
		notok "round create as $SVC prints an id"
		return 0
	fi
	ok "round create as $SVC prints an id"
	check "round open $r" as_user round open "$r"
	codes=$(as_user tokens issue --round "$r" --count 2) || true
	check "tokens issue prints two codes" \
	    test "$(printf '%s\n' "$codes" | grep -c '^[0-9A-Z]\{4\}-')" -eq 2

	# nginx with the shipped configuration: ports, certificate and
	# upstream substituted, IPv6 listeners left out.
	mkdir -p "$T/nginx/tmp"
	chown www-data "$T/nginx/tmp"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	    -keyout "$T/nginx/key.pem" -out "$T/nginx/cert.pem" \
	    >/dev/null 2>&1
	sed -e "s/listen 80;/listen 127.0.0.1:$NGINX_HTTP;/" \
	    -e "s/listen 443 ssl/listen 127.0.0.1:$NGINX_TLS ssl/" \
	    -e '/listen \[::\]/d' \
	    -e "s|/etc/ssl/certs/survey.example.go.th.pem|$T/nginx/cert.pem|" \
	    -e "s|/etc/ssl/private/survey.example.go.th.key|$T/nginx/key.pem|" \
	    -e "s/127.0.0.1:8080/127.0.0.1:$APP/" \
	    /usr/share/doc/$SVC/examples/nginx.conf >"$T/nginx/site.conf"
	cat >"$T/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 256; }
http {
    access_log $T/nginx/access.log;
    client_body_temp_path $T/nginx/tmp/body;
    proxy_temp_path $T/nginx/tmp/proxy;
    fastcgi_temp_path $T/nginx/tmp/fastcgi;
    uwsgi_temp_path $T/nginx/tmp/uwsgi;
    scgi_temp_path $T/nginx/tmp/scgi;
    include $T/nginx/site.conf;
}
EOF
	nginx -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" \
	    -g 'daemon off;' >"$T/nginx/out" 2>&1 &
	PIDS="$PIDS $!"
	NGX="https://127.0.0.1:$NGINX_TLS"
	if ! wait_for 10 sh -c "curl -sk --max-time 2 -o /dev/null $NGX/healthz"
	then
		note <"$T/nginx/error.log"
		notok "nginx starts with the shipped configuration"
		return 0
	fi
	ok "nginx starts with the shipped configuration"
	check "nginx: /healthz through HTTPS answers 200" \
	    test "$(http_code "$NGX/healthz")" = 200
	out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
	    "http://127.0.0.1:$NGINX_HTTP/respond/" || true)
	check "nginx: plain HTTP redirects to HTTPS ($out)" \
	    sh -c "case '$out' in '301 https://'*) exit 0;; esac; exit 1"
	check "nginx: Strict-Transport-Security on HTTPS" sh -c \
	    "curl -skI '$NGX/healthz' | grep -qi '^strict-transport-security:'"

	# A response through nginx.
	form=$(curl -sk "$NGX/api/v1/rounds/$r/form")
	answers=$(printf '%s' "$form" | python3 -c '
import json, sys
f = json.load(sys.stdin)
print(json.dumps({q["code"]: ("3" if q["scale"] == "L4" else "no")
    for i in f["indicators"] for it in i["items"] for q in it["questions"]}))' \
	    2>/dev/null) || answers=
	code=$(printf '%s\n' "$codes" | sed -n 1p)
	out=$(curl -sk -w ' %{http_code}' -X POST \
	    -H 'Content-Type: application/json' \
	    -d "{\"submission_id\": \"$(cat /proc/sys/kernel/random/uuid)\",
	        \"token\": \"$code\", \"answers\": ${answers:-null}}" \
	    "$NGX/api/v1/rounds/$r/responses" || true)
	check "a response through nginx over HTTPS: 201 accepted ($out)" \
	    sh -c "case '$out' in *accepted*' 201') exit 0;; esac; exit 1"

	# Rate limits per client through the proxy: nginx appends the real
	# peer (127.0.0.1, trusted) to the client's X-Forwarded-For, so the
	# server counts 203.0.113.7 and 203.0.113.8 apart.
	guess() {
		http_code -X POST -H 'Content-Type: application/json' \
		    -H "X-Forwarded-For: $1" \
		    -d '{"token": "AAAA-BBBB-CCCC-DDDD"}' \
		    "$NGX/api/v1/rounds/$r/tokens/check"
	}
	a=
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		a="$a $(guess 203.0.113.7)"
	done
	check "client A through nginx: 10 wrong codes 403, then 429 (${a# })" \
	    test "${a# }" = "403 403 403 403 403 403 403 403 403 403 429 429"
	b=$(guess 203.0.113.8)
	check "client B through nginx is not limited by A's guesses ($b)" \
	    test "$b" = 403
	n=$(http_code -X POST -H 'Content-Type: application/json' \
	    -H 'X-Forwarded-For: 203.0.113.7' \
	    -d "{\"token\": \"$(printf '%s\n' "$codes" | sed -n 2p)\"}" \
	    "$NGX/api/v1/rounds/$r/tokens/check")
	check "client A's valid unused code still passes ($n)" test "$n" = 200

	# Backups as ita-survey-backup.service takes them, keeping the
	# newest ITA_SURVEY_BACKUP_KEEP (2 in the test configuration).
	local bexec
	bexec=$(unit_key $SVC-backup.service ExecStart)
	for i in 1 2 3; do
		(cd / && setpriv --reuid="$SVC" --regid="$SVC" --init-groups \
		    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		    $(conf_env "$ENVFILE") $EXTRA_ENV $bexec) \
		    >"$T/backup.out" 2>"$T/backup.err" ||
		    { note <"$T/backup.err"; break; }
		sleep 1.1
	done
	n=$(find "$STATE/backups" -maxdepth 1 -name 'ita-survey-*.db' \
	    2>/dev/null | wc -l)
	check "ita-survey backup: ita-survey-*.db in $STATE/backups, newest 2 kept ($n)" \
	    test "$n" -eq 2
	b=$(find "$STATE/backups" -maxdepth 1 -name 'ita-survey-*.db' \
	    2>/dev/null | sort | tail -n 1)
	check "the backup is $SVC 0600" \
	    test -n "$b" -a "$(stat -c '%U %a' "${b:-/}")" = "$SVC 600"
	check "the backup is a sound database holding the response" \
	    python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
assert c.execute("select count(*) from responses").fetchone()[0] == 1' \
	    "${b:-/nonexistent}"
}
if [ "$APP" -gt 0 ]; then
	server_checks
fi

# ---------------------------------------------------------------------
# TLS served by ita-survey itself: SIGHUP reloads the certificate while a
# client keeps its connection.  A second instance, with a data folder of
# its own and no trusted proxy.  The certificate is where an administrator
# would put it (the configuration file's example), not under /tmp, which
# the server's Landlock rules always let it read.

TLS=/etc/ita-survey/tls
mkdir -p "$T/tls" "$T/tls-data" "$TLS"
for cn in a b; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$cn" \
	    -keyout "$T/tls/key-$cn.pem" -out "$T/tls/cert-$cn.pem" \
	    >/dev/null 2>&1
done
install -m 0640 -g "$SVC" "$T/tls/cert-a.pem" "$TLS/cert.pem"
install -m 0640 -g "$SVC" "$T/tls/key-a.pem" "$TLS/key.pem"
: >"$T/tls/empty.conf"
chown -R "$SVC:$SVC" "$T/tls" "$T/tls-data"
chmod 0700 "$T/tls-data"
TLS_ARGS="--config $T/tls/empty.conf --db $T/tls-data/ita-survey.db
    --secret $T/tls-data/secret.key --tls-cert $TLS/cert.pem
    --tls-key $TLS/key.pem"

tls_checks() {
	local port pid r a i lines

	start_server tls $EXTRA_ENV /usr/bin/ita-survey $TLS_ARGS \
	    --listen 127.0.0.1:0 serve
	port=$PORT
	pid=$SERVER_PID
	if [ "$port" -eq 0 ]; then
		notok "serve --tls-cert --tls-key starts"
		return 0
	fi
	ok "serve --tls-cert --tls-key starts"
	check "a new connection sees certificate a" \
	    cert_is "$port" a

	cat >"$T/keepalive.py" <<'EOF'
# One TLS connection, two requests on it: the second once the file
# argv[2] exists.  Prints "first STATUS" and "second STATUS"; writes the
# peer's certificate (DER) to argv[3].
import os, socket, ssl, sys, time
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
open(sys.argv[3], "wb").write(s.getpeercert(binary_form=True))
f = s.makefile("rb")
def get(what):
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status = f.readline().split()[1].decode()
    length = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode().partition(":")
        if k.lower() == "content-length":
            length = int(v)
    f.read(length)
    print(what, status, flush=True)
get("first")
for _ in range(80):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
get("second")
EOF
	python3 "$T/keepalive.py" "$port" "$T/hup-done" "$T/old-peer.der" \
	    >"$T/keepalive.out" 2>"$T/keepalive.err" &
	a=$!
	PIDS="$PIDS $a"
	if ! wait_for 10 grep -q '^first 200$' "$T/keepalive.out"; then
		note <"$T/keepalive.err"
		notok "a keep-alive client gets its first answer"
	fi
	install -m 0640 -g "$SVC" "$T/tls/cert-b.pem" "$TLS/cert.new"
	install -m 0640 -g "$SVC" "$T/tls/key-b.pem" "$TLS/key.new"
	mv "$TLS/cert.new" "$TLS/cert.pem"
	mv "$TLS/key.new" "$TLS/key.pem"
	kill -HUP "$pid" 2>/dev/null || true
	sleep 1
	check "SIGHUP: a new connection sees certificate b" \
	    cert_is "$port" b
	touch "$T/hup-done"
	wait "$a" || true
	check "SIGHUP: the open connection is still served (second request)" \
	    grep -q '^second 200$' "$T/keepalive.out"
	check "SIGHUP: the open connection kept certificate a" sh -c \
	    "openssl x509 -inform DER -in '$T/old-peer.der' -noout -subject |
	     grep -q 'CN *= *a'"

	lines=$(wc -l <"$T/tls.err")
	echo 'not a certificate' >"$TLS/cert.pem"
	kill -HUP "$pid" 2>/dev/null || true
	sleep 1
	check "SIGHUP with a bad certificate: the server keeps running" \
	    kill -0 "$pid"
	check "SIGHUP with a bad certificate: certificate b stays in use" \
	    cert_is "$port" b
	tail -n +"$((lines + 1))" "$T/tls.err" >"$T/tls.new-log"
	note <"$T/tls.new-log"
	check "SIGHUP with a bad certificate: the log says why" \
	    grep -qiE 'cert|tls|key' "$T/tls.new-log"

	# No trusted proxy here: a forged X-Forwarded-For changes nothing,
	# every guess counts against the real peer.
	r=$(as_user $TLS_ARGS round create --form ita-2563-iit \
	    --title 'Forged headers' 2>/dev/null) || r=
	as_user $TLS_ARGS round open "${r:-0}" >/dev/null 2>&1 || true
	a=
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		a="$a $(http_code -X POST -H 'Content-Type: application/json' \
		    -H "X-Forwarded-For: 198.51.100.$i" \
		    -d '{"token": "AAAA-BBBB-CCCC-DDDD"}' \
		    "https://127.0.0.1:$port/api/v1/rounds/${r:-0}/tokens/check")"
	done
	check "without --trusted-proxy a forged X-Forwarded-For is ignored (${a# })" \
	    test "${a# }" = "403 403 403 403 403 403 403 403 403 403 429"

	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" && i=0 || i=$?
	check "SIGTERM: serve drains and exits 0 ($i)" test "$i" -eq 0
}
tls_checks

check "zbarimg (zbar-tools) is installed for the QR tests" \
    command -v zbarimg

if [ "$APP" -gt 0 ]; then
	kill -TERM "$MAIN_PID" 2>/dev/null || true
	wait "$MAIN_PID" && i=0 || i=$?
	check "SIGTERM: the service exits 0 ($i)" test "$i" -eq 0
fi

# ---------------------------------------------------------------------
# Purge: program, configuration, user and group go; the answers and the
# backups stay in /var/lib/ita-survey, root's, as README says.

dpkg --purge "$SVC" >"$T/purge.log" 2>&1 && purged=1 || purged=
note <"$T/purge.log"
check "dpkg --purge succeeds" test -n "$purged"
installed=
check "purge: user $SVC is gone" sh -c "! getent passwd $SVC"
check "purge: group $SVC is gone" sh -c "! getent group $SVC"
check "purge: /usr/bin/ita-survey is gone" test ! -e /usr/bin/ita-survey
check "purge: /etc/ita-survey is gone" test ! -e /etc/ita-survey
check "purge: the units are gone" test ! -e "$UNITDIR/$SVC.service"
check "purge: $STATE is kept, root:root 0700" \
    test "$(stat -c '%U:%G %a' "$STATE" 2>/dev/null)" = "root:root 700"
check "purge: nothing in $STATE is left to the old user id" \
    test -z "$(find "$STATE" ! -user root -o ! -group root 2>/dev/null)"
if [ "$APP" -gt 0 ]; then
	check "purge: the database and the backups are kept" \
	    test -f "$STATE/ita-survey.db" -a -d "$STATE/backups"
fi
rm -rf "$STATE"

echo "package: $pass passed, $fail failed"
if [ "$fail" -ne 0 ]; then
	exit 1
fi
