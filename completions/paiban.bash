# bash completion for paiban (installed as $(BASHCOMPDIR)/paiban)
_paiban()
{
    local cur prev words cword
    _init_completion || return

    case $prev in
    -l | --layout)
        # the layouts by name (in the folders paiban --version lists), and .ini files
        local dirs names
        dirs=$(paiban --version 2>/dev/null | sed -n 's/^layouts by name from: //p')
        names=$(for d in $dirs; do
            for f in "$d"/*.ini; do [[ -f $f ]] && basename "$f" .ini; done
        done | sort -u)
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
        _filedir ini
        return
        ;;
    -o | --output | --imposed)
        _filedir
        return
        ;;
    --fonts-dir)
        _filedir -d
        return
        ;;
    --dpi | --pages)
        return
        ;;
    --report)
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-h --help -V --version -l --layout -o --output --imposed
            -r --report --report=json -t --trace -w --watch --fonts-dir --dpi --pages
            -q --quiet -v --verbose" -- "$cur"))
        return
    fi
    local i cmd=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        verify | fonts | preview) cmd=${words[i]}; break ;;
        -l | --layout | -o | --output | --imposed | --fonts-dir | --dpi | --pages) ((i++)) ;;
        -*) ;;
        *) cmd=corpus; break ;;
        esac
    done
    case $cmd in
    verify | preview) _filedir pdf ;;
    fonts | corpus) _filedir txt ;;
    *)
        COMPREPLY=($(compgen -W "verify fonts preview" -- "$cur"))
        _filedir txt
        ;;
    esac
} &&
    complete -F _paiban paiban
