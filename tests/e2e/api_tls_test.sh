#!/usr/bin/env bash
# End to end, HTTPS: the daemon with --tls-cert/--tls-key serves TLS 1.2 and 1.3 only, with a
# certificate from a CA this case makes; SIGHUP swaps in a new certificate under load without a
# failed request; a bad pair on SIGHUP keeps the old one; plain HTTP beyond loopback is refused
# without --insecure-no-tls. Its own daemon and database.
#   usage: api_tls_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init tls "${1:-}"
command -v openssl >/dev/null || die "openssl not found"
tls="$work/tls"
mkdir -p "$tls"
printf 'tls-token\n' >"$work/tokens"

# --- a CA and server certificates for 127.0.0.1 ------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=backupd-e2e-ca \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null || die "cannot make the CA"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls/server.ext"
# make_server_cert N: a new key and a certificate with serial N in $tls/N.crt and $tls/N.key.
make_server_cert() {
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
        -keyout "$tls/$1.key" -out "$tls/$1.csr" 2>/dev/null &&
        openssl x509 -req -in "$tls/$1.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -set_serial "$1" \
            -days 2 -extfile "$tls/server.ext" -out "$tls/$1.crt" 2>/dev/null ||
        die "cannot make server certificate $1"
}
# install_pair N: the pair the daemon reads, each file replaced whole (rename).
install_pair() {
    cp "$tls/$1.crt" "$tls/cert.new" && mv -f "$tls/cert.new" "$tls/cert.pem"
    cp "$tls/$1.key" "$tls/key.new" && mv -f "$tls/key.new" "$tls/key.pem"
}
fingerprint_of() { openssl x509 -noout -fingerprint -sha256 -in "$1"; }
# The certificate a new connection is shown.
served_fingerprint() {
    openssl s_client -connect "$host_port" -CAfile "$tls/ca.pem" </dev/null 2>/dev/null |
        openssl x509 -noout -fingerprint -sha256 2>/dev/null
}
for n in 1 2 3 4 5 6; do make_server_cert "$n"; done
install_pair 1

start_daemon --api-token-file "$work/tokens" --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem"
host_port=${base#http://}
base="https://$host_port"
tcurl() { curl -s -m 30 --cacert "$tls/ca.pem" "$@"; }

# --- HTTPS works, and only with a trusted CA --------------------------------------------------
expect_eq "/healthz over HTTPS with the CA is 200" \
    "$(tcurl -o /dev/null -w '%{http_code}' "$base/healthz")" 200
expect_eq "an API call with the token is 200" \
    "$(tcurl -o "$body" -w '%{http_code}' -H 'Authorization: Bearer tls-token' "$base/api/v1/stats") $(js .total)" \
    "200 0"
expect_eq "an API call without the token is 401" \
    "$(tcurl -o /dev/null -w '%{http_code}' "$base/api/v1/stats")" 401
curl -s -m 10 -o /dev/null "$base/healthz"
expect_eq "curl without --cacert fails verification (exit 60)" "$?" 60
expect_eq "plain HTTP to the HTTPS port gets no answer" \
    "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$host_port/healthz")" 000
expect_eq "the serving line says tls=on" "$(grep -c 'event=serving .* tls=on' "$work/serve.log")" 1

# --- protocol versions: 1.0 and 1.1 refused by the server, 1.2 and 1.3 accepted --------------
# SECLEVEL=0 lets this client offer TLS 1.0/1.1 (Debian's default refuses them client-side), so
# a failure here is the server's refusal.
for version in tls1 tls1_1; do
    out=$(openssl s_client -connect "$host_port" -"$version" -cipher 'DEFAULT@SECLEVEL=0' \
        </dev/null 2>&1)
    rc=$?
    expect_eq "-$version: the handshake fails" "$rc" 1
    expect_contains "-$version: the server refuses the version" "$out" "alert protocol version"
done
for version in tls1_2 tls1_3; do
    out=$(openssl s_client -connect "$host_port" -"$version" -CAfile "$tls/ca.pem" </dev/null 2>&1)
    expect_contains "-$version: the handshake succeeds and verifies" "$out" "Verify return code: 0 (ok)"
done
out=$(openssl s_client -connect "$host_port" -tls1_2 -cipher 'AES128-SHA:AES256-GCM-SHA384' \
    </dev/null 2>&1)
expect_contains "TLS 1.2 without ECDHE is refused" "$out" "alert handshake failure"

# --- reload under load: zero failed requests, then the new certificate ------------------------
expect_eq "the first certificate is served" "$(served_fingerprint)" "$(fingerprint_of "$tls/1.crt")"
# Four clients of 60 new connections each, and two of 30 requests on one kept-alive connection
# (which keeps the context it started with).
load_client() { # load_client ID: prints one status per request
    if [ "$1" -le 4 ]; then
        for _ in $(seq 60); do tcurl -o /dev/null -w '%{http_code}\n' "$base/healthz"; done
    else
        urls=()
        for _ in $(seq 30); do urls+=(-o /dev/null "$base/healthz"); done
        tcurl -w '%{http_code}\n' "${urls[@]}"
    fi
}
load_pids=()
for id in 1 2 3 4 5 6; do
    load_client "$id" >"$work/load.$id" 2>&1 &
    load_pids+=($!)
done
for n in 2 3 4 5; do
    sleep 0.3
    install_pair "$n"
    kill -HUP "$daemon_pid"
done
wait "${load_pids[@]}"  # each request is bounded by curl -m 30
total=$(cat "$work"/load.* | grep -c .)
ok=$(cat "$work"/load.* | grep -cx 200)
expect_eq "all 300 requests under reload answered" "$total" 300
expect_eq "no request failed during the reloads" "$ok" 300
[ "$ok" = 300 ] || for id in 1 2 3 4 5 6; do echo "client $id: $(sort "$work/load.$id" | uniq -c | tr '\n' ' ')"; done
reloads_done() { [ "$(grep -c 'event=tls_reloaded' "$work/serve.log")" -ge 4 ]; }
wait_until 10 "four tls_reloaded lines" reloads_done
expect_eq "a new connection sees the newest certificate" \
    "$(served_fingerprint)" "$(fingerprint_of "$tls/5.crt")"

# --- a bad pair on SIGHUP: refused, logged, the old one keeps serving -------------------------
cp "$tls/5.crt" "$tls/cert.pem"
cp "$tls/6.key" "$tls/key.pem"  # a key of another certificate
kill -HUP "$daemon_pid"
reload_failed() { grep -q 'event=tls_reload_failed' "$work/serve.log"; }
wait_until 10 "tls_reload_failed" reload_failed
expect_contains "the failure names the mismatch" "$(grep 'event=tls_reload_failed' "$work/serve.log")" \
    "does not match the certificate"
printf 'garbage\n' >"$tls/cert.pem"
kill -HUP "$daemon_pid"
failed_twice() { [ "$(grep -c 'event=tls_reload_failed' "$work/serve.log")" -ge 2 ]; }
wait_until 10 "a second tls_reload_failed" failed_twice
expect_contains "garbage is refused as no PEM" "$(grep 'event=tls_reload_failed' "$work/serve.log" | tail -n 1)" \
    "holds no PEM certificate"
expect_eq "after bad pairs the previous certificate still serves" \
    "$(served_fingerprint)" "$(fingerprint_of "$tls/5.crt")"
expect_eq "and requests still succeed" "$(tcurl -o /dev/null -w '%{http_code}' "$base/healthz")" 200
if kill -0 "$daemon_pid" 2>/dev/null; then pass "the daemon survived the bad reloads"; else fail "the daemon died"; fi
stop_daemon "SIGTERM stops the TLS daemon with status 0"

# --- start-up rules ---------------------------------------------------------------------------
timeout 30 "$BIN" serve --listen 0.0.0.0:0 --api-token-file "$work/tokens" --database "$DB_URL" \
    --source-root "$src" --backup-root "$dst" >/dev/null 2>"$work/refused"
expect_eq "0.0.0.0 with tokens but without TLS exits 1" "$?" 1
expect_contains "the refusal names --insecure-no-tls" "$(cat "$work/refused")" "--insecure-no-tls"
timeout 30 "$BIN" serve --listen 127.0.0.1:0 --tls-cert "$tls/5.crt" --database "$DB_URL" \
    --source-root "$src" --backup-root "$dst" >/dev/null 2>"$work/refused"
expect_eq "--tls-cert alone exits 1" "$?" 1
expect_contains "the refusal names --tls-key" "$(cat "$work/refused")" "--tls-cert needs --tls-key"
timeout 30 "$BIN" serve --listen 127.0.0.1:0 --tls-cert "$tls/5.crt" --tls-key "$tls/6.key" \
    --database "$DB_URL" --source-root "$src" --backup-root "$dst" >/dev/null 2>"$work/refused"
expect_eq "a mismatched pair at start exits 1" "$?" 1
expect_contains "the refusal names the key file" "$(cat "$work/refused")" "$tls/6.key does not match"
"$BIN" serve --listen 0.0.0.0:0 --port-file "$work/port.proxy" --api-token-file "$work/tokens" \
    --insecure-no-tls --database "$DB_URL" --source-root "$src" --backup-root "$dst" 2>"$work/proxied.log" &
daemon_pid=$!
proxied_up() { [ -s "$work/port.proxy" ]; }
wait_until 30 "the --insecure-no-tls daemon" proxied_up
expect_eq "with --insecure-no-tls it starts and warns" \
    "$(grep -c 'warning event=insecure_no_tls' "$work/proxied.log")" 1
stop_daemon "SIGTERM stops the --insecure-no-tls daemon with status 0"
e2e_finish
