#!/usr/bin/env bash
# End to end, plans across daemons: two daemons on one database fire an `@every 1s` plan for at
# least 30 due times, and every due time becomes exactly one job or one skip record, fired by
# exactly one of them. Then catch-up: with every daemon down for several due times, a restart
# makes exactly one run for all the missed ones, never a burst.
#   usage: api_plans_fleet_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init plans_fleet "${1:-}"

mkdir -p "$src/tiny"
echo one >"$src/tiny/file"

start_daemon --node-id node-a
first_pid=$daemon_pid first_base=$base
start_daemon --node-id node-b

post_json /api/v1/plans '{"name": "every-second", "folder": "tiny", "schedule": "@every 1s"}'
expect_eq "the plan is created on one daemon" "$code" 201
req GET /api/v1/plans/every-second
base=$first_base
req GET /api/v1/plans/every-second
expect_eq "and seen by the other" "$code $(js .name)" "200 every-second"

# jobs + skips: every due time fired so far, by either daemon.
fired_so_far() {
    req GET '/api/v1/jobs?plan=every-second&limit=1000'
    local jobs
    jobs=$(js '.jobs | length')
    req GET '/api/v1/logs?action=Schedule&limit=1000'
    echo $((jobs + $(js '.logs | length')))
}
thirty_due_times() { [ "$(fired_so_far)" -ge 30 ]; }
wait_until 120 "30 due times of the plan to fire" thirty_due_times

req PUT /api/v1/plans/every-second -H 'Content-Type: application/json' \
    --data-binary '{"name": "every-second", "folder": "tiny", "schedule": "@every 1s", "enabled": false}'
expect_eq "the plan is disabled" "$code" 200
sleep 1  # a tick in flight on the other daemon ends

req GET '/api/v1/jobs?plan=every-second&limit=1000'
jobs=$(js '.jobs | length')
expect_eq "no due time became two jobs" "$(js '[.jobs[].scheduled_for] | length == (unique | length)')" true
req GET '/api/v1/logs?action=Schedule&limit=1000'
skips=$(js '.logs | length')
req GET /api/v1/plans/every-second
expect_eq "the plan counts the skips the log records" "$(js .runs_skipped)" "$skips"
fired_a=$(grep -c 'event=plan_fired' "$work/serve.log")
skipped_a=$(grep -c 'event=plan_run_skipped' "$work/serve.log")
expect_eq "each job and each skip was fired by exactly one daemon (both logs together)" \
    "$((fired_a + skipped_a))" "$((jobs + skips))"
expect_eq "at least 30 due times fired" "$([ $((jobs + skips)) -ge 30 ] && echo yes)" yes
echo "fired: $jobs jobs, $skips skipped"

# --- catch-up after downtime -----------------------------------------------------------------------
req PUT /api/v1/plans/every-second -H 'Content-Type: application/json' \
    --data-binary '{"name": "every-second", "folder": "tiny", "schedule": "@every 1s"}'
expect_eq "the plan is enabled again" "$code" 200
stop_daemon "node-b stops cleanly"
daemon_pid=$first_pid
stop_daemon "node-a stops cleanly"
sleep 6  # at least five due times pass with no daemon up
restarted_at=$(date +%s)
start_daemon --node-id node-a
seconds() { printf '(%s | sub("\\\\.[0-9]+Z$"; "Z") | fromdateiso8601)' "$1"; }
# Jobs submitted after the restart for a due time before it: the catch-up.
catch_up_filter="[.jobs[] | select($(seconds .submitted_at) >= $restarted_at and $(seconds .scheduled_for) < $restarted_at)] | length"
caught_up() {
    req GET '/api/v1/jobs?plan=every-second&limit=1000'
    [ "$(js "$catch_up_filter")" -ge 1 ]
}
wait_until 30 "the catch-up run" caught_up
sleep 3  # later ticks must not add a second run for the missed due times
req GET '/api/v1/jobs?plan=every-second&limit=1000'
expect_eq "the due times missed while every daemon was down made exactly one run" \
    "$(js "$catch_up_filter")" 1

e2e_finish
