#!/usr/bin/env bash
# products.sh PAIBAN CORPUS OUTDIR NAME BOOKLET LEAFLET PARALLEL ARCHIVE: every product of
# CORPUS, made in one run of PAIBAN (the four layouts given), into OUTDIR:
#   booklet.pdf booklet-imposed.pdf leaflet-N.pdf (one per section) parallel.pdf
#   archive/NAME.pdf, a preflight report beside each, and archive/SHA256SUMS listing exactly the
#   files this run wrote (paths from OUTDIR; check with: cd OUTDIR && sha256sum -c archive/SHA256SUMS).
# With DEPFILE (a ninth argument), also a makefile there: OUTDIR/archive/SHA256SUMS depends on the
# font files the reports name and their folders (a font replaced, added beside them or removed
# makes the products again); written before SHA256SUMS, so SHA256SUMS is the newer.
# The run writes into a fresh folder inside OUTDIR; only when it succeeds are its files moved
# into place, and the files an earlier run listed in SHA256SUMS that this run did not write (a
# leaflet of a section the corpus no longer has) are removed. A failed run changes nothing, nor
# does a write-protected file among those it would replace or remove (exit 3).
set -euo pipefail
(($# == 8 || $# == 9)) || { echo "usage: tools/products.sh PAIBAN CORPUS OUTDIR NAME BOOKLET LEAFLET PARALLEL ARCHIVE [DEPFILE]" >&2; exit 2; }
pb=$1 corpus=$2 outdir=$3 name=$4 booklet=$5 leaflet=$6 parallel=$7 archive=$8 depfile=${9:-}

[[ -d $outdir/archive ]] || mkdir -p "$outdir/archive"
new=$(mktemp -d "$outdir/.products-XXXXXX")
trap 'rm -rf "$new"' EXIT
mkdir "$new/archive"
"$pb" --report \
    --layout "$booklet" -o "$new/booklet.pdf" --imposed "$new/booklet-imposed.pdf" \
    --layout "$leaflet" -o "$new/leaflet-%d.pdf" \
    --layout "$parallel" -o "$new/parallel.pdf" \
    --layout "$archive" -o "$new/archive/$name.pdf" \
    "$corpus"

# The steps below start as few programs as they can (a run started 56, 2.5 s of a `make pdf` at
# load 7 against paiban's 0.6 s): folders and patterns by bash, each tool once for all files.
# what this run wrote, sorted, paths from OUTDIR
mapfile -t files < <(find "$new" -type f -printf '%P\n' | LC_ALL=C sort)
reports=()
for f in "${files[@]}"; do [[ $f == *.report.txt ]] && reports+=("$new/$f"); done
# quote NAME TEXT: TEXT as a sed pattern (its special characters escaped), into NAME
quote() {
    local -n into=$1
    local s=$2 c i
    into=
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in [][\\.*^\$\|]) into+="\\$c" ;; *) into+=$c ;; esac
    done
}
# the reports name the files where they will be, not in the fresh folder
if ((${#reports[@]})); then
    quote from "$new/" && quote to "$outdir/"
    sed -i "s|$from|$to|g" "${reports[@]}"
fi

# the fonts: a report's line "  ROLE  NAME, FILE (face N), N glyphs"; each file and its folder,
# then an empty rule for each (a removed font remakes, as gcc -MP's). A path make cannot read as
# one word (a space, a colon, a dollar, a backslash, a hash) is left out.
if [[ -n $depfile ]]; then
    fonts=()
    if ((${#reports[@]})); then
        mapfile -t fonts < <(awk '
            match($0, /^  [a-z-]+ +[^,]*, /) && match(f = substr($0, RLENGTH + 1), / \(face [0-9]+\), [0-9]+ glyphs$/) {
                f = substr(f, 1, RSTART - 1); print f; if (sub(/\/[^\/]*$/, "", f) && f != "") print f
            }' "${reports[@]}" | LC_ALL=C sort -u)
    fi
    words=()
    for f in "${fonts[@]}"; do [[ $f == *[[:space:]:\$\\#]* ]] || words+=("$f"); done
    fonts=("${words[@]}")
    [[ $depfile != */* || -d ${depfile%/*} ]] || mkdir -p "${depfile%/*}"
    { echo "# the fonts of $outdir's products (tools/products.sh)"
      echo "$outdir/archive/SHA256SUMS: ${fonts[*]}"
      for f in "${fonts[@]}"; do echo "$f:"; done
    } >"$depfile.tmp" && mv -f "$depfile.tmp" "$depfile"
fi

(cd "$new" && sha256sum "${files[@]}" >archive/SHA256SUMS)

# files the previous run wrote that this one did not
sums=$outdir/archive/SHA256SUMS
gone=()
if [[ -f $sums ]]; then
    while read -r _ old; do
        old=${old#\*}
        [[ -e $new/$old || $old == */../* || $old == ../* || $old == /* ]] && continue
        gone+=("$old")
    done <"$sums"
fi
# a write-protected file (chmod a-w: a signed-off PDF) is neither replaced nor removed, as paiban
# refuses to replace one, even for root: nothing in OUTDIR changes (exit 3, paiban's "system");
# one find for them all
targets=()
for f in "${files[@]}" archive/SHA256SUMS "${gone[@]}"; do
    [[ -f $outdir/$f ]] && targets+=("$outdir/$f")
done
if ((${#targets[@]})); then
    while IFS= read -r -d '' t; do
        printf 'products.sh: cannot write %s: Permission denied (write-protected, mode %04o)\n' \
            "${t% *}" "$((8#${t##* }))" >&2
        exit 3
    done < <(find "${targets[@]}" -maxdepth 0 \( ! -perm /222 -o ! -writable \) -printf '%p %m\0')
fi
for old in "${gone[@]}"; do
    rm -f -- "${outdir:?}/$old" && echo "products.sh: removed $outdir/$old (not made by this run)"
done
# moved into place a folder at a time (one mv each), SHA256SUMS last
declare -A in_dir=()
for f in "${files[@]}"; do
    d=.
    [[ $f == */* ]] && d=${f%/*}
    in_dir[$d]+="$f"$'\n'
done
abs=$outdir
[[ $abs == /* ]] || abs=$PWD/$outdir
dirs=("${!in_dir[@]}")
for d in "${dirs[@]}"; do [[ -d $abs/$d ]] || mkdir -p -- "$abs/$d"; done
for d in "${dirs[@]}"; do
    mapfile -t batch <<<"${in_dir[$d]%$'\n'}"
    mv -f -t "$abs/$d" -- "${batch[@]/#/$new/}"
done
mv -f -- "$new/archive/SHA256SUMS" "$outdir/archive/SHA256SUMS"
echo "products.sh: ${#files[@]} files in $outdir (listed in $sums)"
