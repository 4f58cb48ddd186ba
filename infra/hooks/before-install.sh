#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# CodeDeploy BeforeInstall: bring every classpath object the manifest names into the instance's
# content-addressed cache ($ION_ROOT/cache/<sha256>.<jar|zip>), fetching only what is not there yet.
# This is the slow part of a deployment, so it runs before anything touches the running service.
set -eu
ION_HOOK=before-install
# shellcheck source=lib/common.sh
. "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ion_init
ion_read_manifest
ION_STEP="checking the instance"
command -v "$ION_AWS" >/dev/null 2>&1 ||
  ion_fail "the AWS CLI ($ION_AWS) is not installed; install it (dnf install awscli-2) or set ION_AWS in $ION_ENV_FILE"
command -v sha256sum >/dev/null 2>&1 || ion_fail "sha256sum not found; install coreutils"

# 1. What is already cached (and intact)?
ION_STEP="checking the cache"
missing="$ION_WORK/missing.tsv"
: >"$missing"
total=0 cached=0 cached_bytes=0 fetch=0 fetch_bytes=0
while IFS="$ION_TAB" read -r sha ext _packaging size key; do
  total=$((total + 1))
  file="$ION_ROOT/cache/$sha.$ext"
  if [ -f "$file" ]; then
    if ion_verify "$file" "$sha" "$size"; then
      cached=$((cached + 1)) cached_bytes=$((cached_bytes + size))
      continue
    fi
    ion_log "cached $sha.$ext does not match its SHA-256 or size; fetching it again"
    rm -f "$file"
  fi
  case $key in
    */*) dir=${key%/*} name=${key##*/} ;;
    *) dir='' name=$key ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$dir" "$name" "$sha" "$ext" "$size" "$key" >>"$missing"
  fetch=$((fetch + 1)) fetch_bytes=$((fetch_bytes + size))
done <"$ION_WORK/entries.tsv"

ion_log "$ION_APP rev $ION_REV: $total classpath objects; $cached already cached ($(ion_human_bytes "$cached_bytes")), $fetch to fetch ($(ion_human_bytes "$fetch_bytes")) from s3://$ION_BUCKET"
if [ "$fetch" -eq 0 ]; then
  ion_log "fetched 0 objects"
  exit 0
fi

# 2. Fetch. One `aws s3 cp --recursive` per key directory with an --include per object: one CLI
# process (about a second of start-up each) and parallel transfers, instead of one process per object.
# Anything the batch did not bring (no s3:ListBucket, odd key names) is fetched one by one below,
# which also gives a precise error line.
ION_STEP="fetching objects from s3://$ION_BUCKET"
stage="$ION_WORK/stage"
mkdir -p "$stage"
cut -f1 "$missing" | sort -u >"$ION_WORK/dirs"
n=0
while IFS= read -r dir; do
  n=$((n + 1))
  mkdir -p "$stage/$n"
  printf '%s\t%s\n' "$n" "$dir" >>"$ION_WORK/dir-index"
  set -- cp "s3://$ION_BUCKET/${dir:+$dir/}" "$stage/$n/" --recursive --only-show-errors --exclude '*'
  includes=0
  while IFS="$ION_TAB" read -r d name rest; do
    [ "$d" = "$dir" ] || continue
    case $name in
      *'*'* | *'?'* | *'['*) continue ;; # a glob character would widen the filter: fetch it singly
    esac
    set -- "$@" --include "$name"
    includes=$((includes + 1))
  done <"$missing"
  [ "$includes" -gt 0 ] || continue
  if ! ion_aws_s3 "$@" >"$ION_WORK/batch.out" 2>&1; then
    ion_log "batch fetch from s3://$ION_BUCKET/$dir/ failed ($(grep -v '^[[:space:]]*$' "$ION_WORK/batch.out" | head -n 1)); fetching one object at a time"
  fi
done <"$ION_WORK/dirs"

# 3. Verify each object, fetch singly what is missing or wrong, then move it into the cache.
# The rename is atomic (same filesystem), so the cache only ever holds verified objects.
ION_STEP="verifying fetched objects"
fetched=0
while IFS="$ION_TAB" read -r dir name sha ext size key; do
  idx=$(awk -F "$ION_TAB" -v d="$dir" '$2 == d { print $1; exit }' "$ION_WORK/dir-index")
  staged="$stage/$idx/$name"
  if ! ion_verify "$staged" "$sha" "$size"; then
    [ -f "$staged" ] && ion_log "s3://$ION_BUCKET/$key arrived with the wrong SHA-256 or size; fetching it again"
    staged="$stage/single-$sha.$ext"
    rm -f "$staged"
    if ! ion_aws_s3 cp "s3://$ION_BUCKET/$key" "$staged" --only-show-errors >"$ION_WORK/single.out" 2>&1; then
      ion_fail "cannot fetch s3://$ION_BUCKET/$key: $(grep -v '^[[:space:]]*$' "$ION_WORK/single.out" | head -n 1) (check the instance role allows s3:GetObject on it, and that push uploaded it)"
    fi
    if ! ion_verify "$staged" "$sha" "$size"; then
      ion_fail "s3://$ION_BUCKET/$key has SHA-256 $(sha256sum "$staged" | cut -d' ' -f1) and $(ion_file_size "$staged") bytes, but the manifest says $sha and $size bytes: the object in S3 is not what push uploaded; delete it and push again"
    fi
  fi
  mv -f "$staged" "$ION_ROOT/cache/$sha.$ext"
  fetched=$((fetched + 1))
done <"$missing"

ion_log "fetched $fetched objects ($(ion_human_bytes "$fetch_bytes")), all SHA-256 verified"
