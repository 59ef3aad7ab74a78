#!/usr/bin/env bash
# products.sh PAIBAN CORPUS OUTDIR NAME BOOKLET LEAFLET PARALLEL ARCHIVE: every product of
# CORPUS, made in one run of PAIBAN (the four layouts given), into OUTDIR:
#   booklet.pdf booklet-imposed.pdf leaflet-N.pdf (one per section) parallel.pdf
#   archive/NAME.pdf, a preflight report beside each, and archive/SHA256SUMS listing exactly the
#   files this run wrote (paths from OUTDIR; check with: cd OUTDIR && sha256sum -c archive/SHA256SUMS).
# The run writes into a fresh folder inside OUTDIR; only when it succeeds are its files moved
# into place, and the files an earlier run listed in SHA256SUMS that this run did not write (a
# leaflet of a section the corpus no longer has) are removed. A failed run changes nothing, nor
# does a write-protected file among those it would replace or remove (exit 3).
set -euo pipefail
(($# == 8)) || { echo "usage: tools/products.sh PAIBAN CORPUS OUTDIR NAME BOOKLET LEAFLET PARALLEL ARCHIVE" >&2; exit 2; }
pb=$1 corpus=$2 outdir=$3 name=$4 booklet=$5 leaflet=$6 parallel=$7 archive=$8

mkdir -p "$outdir/archive"
new=$(mktemp -d "$outdir/.products-XXXXXX")
trap 'rm -rf "$new"' EXIT
mkdir -p "$new/archive"
"$pb" --report \
    --layout "$booklet" -o "$new/booklet.pdf" --imposed "$new/booklet-imposed.pdf" \
    --layout "$leaflet" -o "$new/leaflet-%d.pdf" \
    --layout "$parallel" -o "$new/parallel.pdf" \
    --layout "$archive" -o "$new/archive/$name.pdf" \
    "$corpus"

# the reports name the files where they will be, not in the fresh folder
quote() { printf '%s' "$1" | sed 's/[][\\.*^$|]/\\&/g'; }
find "$new" -name '*.report.txt' -exec sed -i "s|$(quote "$new/")|$(quote "$outdir/")|g" {} +

# what this run wrote, sorted, paths from OUTDIR
mapfile -t files < <(cd "$new" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
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
# refuses to replace one, even for root: nothing in OUTDIR changes (exit 3, paiban's "system")
for f in "${files[@]}" archive/SHA256SUMS "${gone[@]}"; do
    t=$outdir/$f
    [[ -f $t ]] || continue
    if [[ ! -w $t || -z $(find "$t" -maxdepth 0 -perm /222) ]]; then
        printf 'products.sh: cannot write %s: Permission denied (write-protected, mode %04o)\n' \
            "$t" "$((8#$(stat -L -c %a "$t")))" >&2
        exit 3
    fi
done
for old in "${gone[@]}"; do
    rm -f -- "${outdir:?}/$old" && echo "products.sh: removed $outdir/$old (not made by this run)"
done
for f in "${files[@]}" archive/SHA256SUMS; do
    mkdir -p "$outdir/$(dirname "$f")"
    mv -f -- "$new/$f" "$outdir/$f"
done
echo "products.sh: ${#files[@]} files in $outdir (listed in $sums)"
