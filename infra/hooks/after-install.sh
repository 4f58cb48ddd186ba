#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# CodeDeploy AfterInstall: unpack the revision's directory entries, write its classpath file
# ($ION_ROOT/apps/<app>/<rev>/classpath) and point $ION_ROOT/apps/<app>/current at it.
# BeforeInstall has put every object in the cache; nothing here touches the network.
set -eu
ION_HOOK=after-install
# shellcheck source=lib/common.sh
. "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ion_init
ion_read_manifest

ION_STEP="unpacking directory entries"
classpath="$ION_WORK/classpath"
: >"$classpath"
jars=0 dirs=0 unpacked=0
while IFS="$ION_TAB" read -r sha ext packaging _size key; do
  cached="$ION_ROOT/cache/$sha.$ext"
  [ -f "$cached" ] ||
    ion_fail "$cached is missing: BeforeInstall did not fetch s3://$ION_BUCKET/$key (see its log above; redeploy)"
  path=$(ion_entry_path "$sha" "$packaging")
  if [ "$packaging" = dir ]; then
    dirs=$((dirs + 1))
    # Unpacked trees are content-addressed like the zips: one made by an earlier revision is reused.
    if [ ! -d "$path" ]; then
      ion_py unzip "$cached" "$path" "$ION_WORK" || { ION_FAILED=1; exit 1; }
      unpacked=$((unpacked + 1))
    fi
  else
    jars=$((jars + 1))
  fi
  # Entries are joined with ':' by the loop below; a classpath entry cannot contain one.
  printf '%s\n' "$path" >>"$classpath"
done <"$ION_WORK/entries.tsv"

ION_STEP="writing the classpath"
mkdir -p "$ION_REV_DIR"
paste -s -d : "$classpath" >"$ION_REV_DIR/classpath.tmp"
mv -f "$ION_REV_DIR/classpath.tmp" "$ION_REV_DIR/classpath"
cp "$ION_MANIFEST_FILE" "$ION_REV_DIR/ion-manifest.json.tmp"
mv -f "$ION_REV_DIR/ion-manifest.json.tmp" "$ION_REV_DIR/ion-manifest.json"
ion_py link "$ION_REV" "$ION_APP_DIR/current" || { ION_FAILED=1; exit 1; }

ion_log "$ION_APP rev $ION_REV: classpath of $((jars + dirs)) entries ($jars jars, $dirs directories, $unpacked newly unpacked) in $ION_REV_DIR/classpath; $ION_APP_DIR/current -> $ION_REV"
