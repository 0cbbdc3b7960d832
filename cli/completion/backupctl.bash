# bash completion for backupctl (installed as /usr/share/bash-completion/completions/backupctl).
# Completes commands, plan subcommands, each command's options, and the values of --state,
# --kind, --status, --overwrite; FILE options complete file names. Ids are not completed (that
# would need the server).
# shellcheck shell=bash

_backupctl() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
    fi

    local commands="backup jobs show cancel logs stats snapshots ls get restore verify plans plan help"
    local global="--url --token-file --cacert --json --help"

    case $prev in
        --state) mapfile -t COMPREPLY < <(compgen -W "queued running succeeded failed cancelled" -- "$cur"); return ;;
        --kind) mapfile -t COMPREPLY < <(compgen -W "backup restore verify prune" -- "$cur"); return ;;
        --status) mapfile -t COMPREPLY < <(compgen -W "SUCCESS FAILED" -- "$cur"); return ;;
        --overwrite) mapfile -t COMPREPLY < <(compgen -W "never if-changed always" -- "$cur"); return ;;
        --token-file | --cacert | -o | --output) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
        --url | --from | --to | --action | --limit | --folder | --schedule | --time-zone | --keep-* | --path | --target)
            return ;;
    esac

    # The command (and plan subcommand) typed so far: the first words that are not options or
    # option values.
    local i command="" sub=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --url | --token-file | --cacert | --state | --kind | --folder | --limit | --from | --to | \
                --action | --status | --output | -o | --path | --target | --overwrite | --schedule | \
                --time-zone | --keep-*) ((i++)) ;;
            -*) ;;
            *)
                if [ -z "$command" ]; then command=${words[i]}
                elif [ "$command" = plan ] && [ -z "$sub" ]; then sub=${words[i]}
                fi ;;
        esac
    done

    if [ -z "$command" ]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands $global" -- "$cur")
        return
    fi
    if [ "$command" = plan ] && [ -z "$sub" ]; then
        mapfile -t COMPREPLY < <(compgen -W "show create delete run prune" -- "$cur")
        return
    fi
    if [ "$command" = help ]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        return
    fi

    local options=""
    case $command${sub:+ $sub} in
        backup | verify | "plan run") options="--wait" ;;
        jobs) options="--state --kind --folder --limit" ;;
        logs) options="--from --to --action --status --limit" ;;
        snapshots) options="--limit" ;;
        get) options="--output -o" ;;
        restore) options="--path --target --overwrite --in-place --wait" ;;
        "plan create") options="--folder --schedule --time-zone --keep-last --keep-hourly --keep-daily --keep-weekly --keep-monthly --keep-yearly --keep-within --disabled" ;;
        "plan prune") options="--dry-run --wait" ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$options $global" -- "$cur")
    fi
}
complete -F _backupctl backupctl
