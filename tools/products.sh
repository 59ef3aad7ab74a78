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
# leaflet of a section the corpus no longer has) are removed. A failed run changes nothing.
set -euo pipefail
(($# == 8 || $# == 9)) || { echo "usage: tools/products.sh PAIBAN CORPUS OUTDIR NAME BOOKLET LEAFLET PARALLEL ARCHIVE [DEPFILE]" >&2; exit 2; }
pb=$1 corpus=$2 outdir=$3 name=$4 booklet=$5 leaflet=$6 parallel=$7 archive=$8 depfile=${9:-}

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

# the fonts: a report's line "  ROLE  NAME, FILE (face N), N glyphs"; each file and its folder,
# then an empty rule for each (a removed font remakes, as gcc -MP's). A path make cannot read as
# one word (a space, a colon, a dollar, a backslash, a hash) is left out.
if [[ -n $depfile ]]; then
    mapfile -t fonts < <(find "$new" -name '*.report.txt' -exec sed -nE \
        's/^  [a-z-]+ +[^,]*, (.*) \(face [0-9]+\), [0-9]+ glyphs$/\1/p' {} + |
        while read -r f; do printf '%s\n%s\n' "$f" "$(dirname "$f")"; done | LC_ALL=C sort -u |
        grep -v '[[:space:]:$\\#]')
    mkdir -p "$(dirname "$depfile")"
    { echo "# the fonts of $outdir's products (tools/products.sh)"
      echo "$outdir/archive/SHA256SUMS: ${fonts[*]}"
      for f in "${fonts[@]}"; do echo "$f:"; done
    } >"$depfile.tmp" && mv -f "$depfile.tmp" "$depfile"
fi

# what this run wrote, sorted, paths from OUTDIR
mapfile -t files < <(cd "$new" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
(cd "$new" && sha256sum "${files[@]}" >archive/SHA256SUMS)

# files the previous run wrote that this one did not
sums=$outdir/archive/SHA256SUMS
if [[ -f $sums ]]; then
    while read -r _ old; do
        old=${old#\*}
        [[ -e $new/$old || $old == */../* || $old == ../* || $old == /* ]] && continue
        rm -f -- "${outdir:?}/$old" && echo "products.sh: removed $outdir/$old (not made by this run)"
    done <"$sums"
fi
for f in "${files[@]}" archive/SHA256SUMS; do
    mkdir -p "$outdir/$(dirname "$f")"
    mv -f -- "$new/$f" "$outdir/$f"
done
echo "products.sh: ${#files[@]} files in $outdir (listed in $sums)"
