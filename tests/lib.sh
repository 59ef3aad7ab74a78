# lib.sh: what the shell suites (e2e, archive, products, errors) share. Source it once $tmp is
# a scratch directory; it sets the counters and defines check and summary.
# shellcheck shell=bash

pass=0 fail=0
note=$tmp/check.note # a check may write one line here; it is shown after its ok

check() { # check NAME CMD...: run CMD quietly; print ok, or FAIL with CMD's output. With
    local name=$1 # CHECKS=REGEX in the environment, only the checks whose name matches run.
    [[ -z ${CHECKS:-} || $name =~ $CHECKS ]] || return 0
    shift
    : >"$note"
    if "$@" >"$tmp/check.log" 2>&1; then
        if [[ -s $note ]]; then echo "ok   $name ($(<"$note"))"; else echo "ok   $name"; fi
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        sed 's/^/    /' "$tmp/check.log" | head -n 40
        fail=$((fail + 1))
    fi
}

summary() { # summary SUITE: the suite's last line; the exit status says whether all passed
    echo "$1: $pass passed, $fail failed"
    ((fail == 0))
}

layout_for() { # layout_for CORPUS LAYOUT DIR: print the shipped LAYOUT's file for CORPUS:
    # layouts/LAYOUT.ini, or, when a NAME.keys.ini stands beside the corpus (its language and
    # fonts), a copy in DIR with that file's sections appended (its base named by path)
    local keys=${1%.txt}.keys.ini out
    out=$3/$(basename "${1%.txt}").$2.ini
    if [[ ! -f $keys ]]; then echo "layouts/$2.ini"; return; fi
    { sed "s|^base = booklet\$|base = $PWD/layouts/booklet.ini|" "layouts/$2.ini"; echo; cat "$keys"; } >"$out"
    echo "$out"
}

private_fontconfig() { # private_fontconfig DIR: print a FONTCONFIG_FILE whose cache is DIR/cache
    # A run short of memory (ulimit -v) can make fontconfig scan the fonts and write a cache
    # that lists none; run as root, that cache would land in /var/cache/fontconfig and hide the
    # fonts from every later run. This configuration writes caches to DIR first; it reads the
    # system's configuration (and caches) as they are.
    mkdir -p "$1/cache"
    cat >"$1/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>$1/cache</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
</fontconfig>
CONF
    echo "$1/fonts.conf"
}
