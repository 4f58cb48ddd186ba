# shellcheck shell=sh
# Shared by the ion-actions CodeDeploy hooks. POSIX sh (dash on Debian/Ubuntu, bash on Amazon Linux).
# Sourced after the hook sets ION_HOOK; see docs/cluster-hooks.md.
#
# Configuration comes from the environment file the instance provides (ION_ENV_FILE, default
# /etc/ion/ion.env; its values win over the environment's) and from the environment:
#   ION_ROOT            instance root (default /opt/ion): cache/, unpacked/, apps/, tmp/
#   ION_SERVICE         systemd unit restarted by ApplicationStart (empty: none)
#   ION_AWS             AWS CLI command (default aws)
#   ION_PYTHON          python3 command (default python3)
#   ION_JAVA            java command used by ValidateService (default java)
#   ION_VALIDATE_JAVA_OPTS  JVM options for ValidateService's check (default -XX:TieredStopAtLevel=1)
#   ION_HEALTH_URL      optional URL ValidateService polls until it answers 2xx
#   ION_HEALTH_TIMEOUT  seconds to wait for ION_HEALTH_URL (default 120)
#   ION_APP_USER        the user the service runs as (default ion): ValidateService loads the app's
#                       code as this user, never as root
#   ION_KEEP_REVISIONS  revisions per app whose objects the cache keeps (default 3)
#   AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL  S3 endpoint for the AWS CLI (local clouds, VPC endpoints)
#
# Every failure ends with one line "ion <hook>: FAILED: <what failed; what to do>" on stderr: the
# CodeDeploy agent puts the end of a failed script's output in the deployment's log tail.

ION_HOOKS_DIR=$(cd "$(dirname "$0")" && pwd)
ION_BUNDLE_DIR=$(dirname "$ION_HOOKS_DIR")
ION_MANIFEST_FILE="$ION_BUNDLE_DIR/ion-manifest.json"
ION_TAB=$(printf '\t')
ION_STEP=starting
ION_FAILED=
ION_WORK=
ION_AS_USER=

ion_log() {
  printf 'ion %s: %s\n' "$ION_HOOK" "$*"
}

ion_fail() {
  ION_FAILED=1
  printf 'ion %s: FAILED: %s\n' "$ION_HOOK" "$*" >&2
  exit 1
}

# A command that fails under `set -e` without going through ion_fail still leaves a line saying
# which step it was in. The scratch directory (and with it any half-unpacked tree) goes on every exit.
ion_on_exit() {
  rc=$?
  if [ -n "$ION_WORK" ]; then rm -rf "$ION_WORK"; fi
  if [ "$rc" -ne 0 ] && [ -z "$ION_FAILED" ]; then
    printf 'ion %s: FAILED: unexpected error (exit status %s) while %s\n' "$ION_HOOK" "$rc" "$ION_STEP" >&2
  fi
  exit "$rc"
}
trap ion_on_exit EXIT
# A signal (the agent stopping a deployment, a timeout) must run the EXIT trap too: sh does not on
# its own. SIGKILL cannot be caught; prune-cache.sh sweeps what such a hook left.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# Everything under ION_ROOT must be readable by the service user (the unit reads the classpath as it).
umask 022

ion_init() {
  ION_ENV_FILE=${ION_ENV_FILE:-/etc/ion/ion.env}
  if [ -f "$ION_ENV_FILE" ]; then
    ION_STEP="reading $ION_ENV_FILE"
    set -a
    # shellcheck disable=SC1090
    . "$ION_ENV_FILE"
    set +a
  fi
  ION_ROOT=${ION_ROOT:-/opt/ion}
  ION_AWS=${ION_AWS:-aws}
  ION_PYTHON=${ION_PYTHON:-python3}
  ION_JAVA=${ION_JAVA:-java}
  ION_SERVICE=${ION_SERVICE:-}
  ION_APP_USER=${ION_APP_USER:-ion}
  ION_KEEP_REVISIONS=${ION_KEEP_REVISIONS:-3}
  export ION_HOOK
  case $ION_ROOT in
    /*) ;;
    *) ion_fail "ION_ROOT must be an absolute path, not '$ION_ROOT' (set it in $ION_ENV_FILE)" ;;
  esac
  case $ION_ROOT in
    *:*) ion_fail "ION_ROOT '$ION_ROOT' contains ':', which cannot appear in a Java classpath entry" ;;
  esac
  command -v "$ION_PYTHON" >/dev/null 2>&1 ||
    ion_fail "$ION_PYTHON not found: the hooks need python3 to read ion-manifest.json (install python3, or set ION_PYTHON in $ION_ENV_FILE)"
  [ -f "$ION_MANIFEST_FILE" ] ||
    ion_fail "no ion-manifest.json next to hooks/ in $ION_BUNDLE_DIR: this bundle was not made by the ion-actions push action"
  ION_STEP="creating directories under $ION_ROOT"
  mkdir -p "$ION_ROOT/cache" "$ION_ROOT/unpacked" "$ION_ROOT/apps" "$ION_ROOT/tmp" ||
    ion_fail "cannot create directories under ION_ROOT=$ION_ROOT (does the hook run as root, as appspec.yml says?)"
  ION_WORK=$(mktemp -d "$ION_ROOT/tmp/$ION_HOOK.XXXXXX") ||
    ion_fail "cannot create a scratch directory under $ION_ROOT/tmp (disk full?)"
}

ion_py() {
  ION_HOOK=$ION_HOOK "$ION_PYTHON" "$ION_HOOKS_DIR/lib/manifest.py" "$@"
}

# Sets ION_BUCKET, ION_APP, ION_REV, ION_APP_DIR, ION_REV_DIR and writes $ION_WORK/entries.tsv.
ion_read_manifest() {
  ION_STEP="reading $ION_MANIFEST_FILE"
  ion_py fields "$ION_MANIFEST_FILE" >"$ION_WORK/fields.tsv" || { ION_FAILED=1; exit 1; }
  # shellcheck disable=SC2034 # ION_BUCKET is for the hooks that source this file
  IFS="$ION_TAB" read -r ION_BUCKET ION_APP ION_REV <"$ION_WORK/fields.tsv"
  ion_py entries "$ION_MANIFEST_FILE" >"$ION_WORK/entries.tsv" || { ION_FAILED=1; exit 1; }
  ION_APP_DIR="$ION_ROOT/apps/$ION_APP"
  # shellcheck disable=SC2034 # for the hooks that source this file
  ION_REV_DIR="$ION_APP_DIR/$ION_REV"
}

# The AWS CLI with the S3 endpoint from the environment. The AWS CLI reads AWS_ENDPOINT_URL_S3 itself
# only from 2.13 on; Debian 12's 2.9 and older Amazon Linux images need --endpoint-url.
ion_aws_s3() {
  endpoint=${AWS_ENDPOINT_URL_S3:-${AWS_ENDPOINT_URL:-}}
  if [ -n "$endpoint" ]; then
    "$ION_AWS" --endpoint-url "$endpoint" s3 "$@" </dev/null
  else
    "$ION_AWS" s3 "$@" </dev/null
  fi
}

ion_file_size() {
  wc -c <"$1" | tr -d ' '
}

# ion_verify FILE SHA256 SIZE: the file has exactly those bytes. The size check first makes a
# truncated download cheap to spot.
ion_verify() {
  [ -f "$1" ] || return 1
  [ "$(ion_file_size "$1")" = "$3" ] || return 1
  actual=$(sha256sum "$1" | cut -d' ' -f1) || return 1
  [ "$actual" = "$2" ]
}

ion_human_bytes() {
  awk -v b="$1" 'BEGIN {
    if (b >= 1073741824) printf "%.1f GiB", b / 1073741824;
    else if (b >= 1048576) printf "%.1f MiB", b / 1048576;
    else if (b >= 1024) printf "%.1f KiB", b / 1024;
    else printf "%d B", b }'
}

# Where entry SHA (packaging jar|dir) lives on the classpath.
ion_entry_path() {
  if [ "$2" = jar ]; then
    printf '%s/cache/%s.jar' "$ION_ROOT" "$1"
  else
    printf '%s/unpacked/%s' "$ION_ROOT" "$1"
  fi
}

# ion_app_user_setup: checks how ion_as_app_user will run the application's code, and says so.
# As root, the service user must exist and setpriv or runuser (util-linux) must be there to switch to
# it; otherwise (a local cloud, a test run by a normal user) there is nothing to drop and the code
# runs as the hook's own user.
ion_app_user_setup() {
  ION_STEP="checking the service user"
  # The agent's working directory may be closed to the service user; the hooks use absolute paths.
  cd /
  if [ "$(id -u)" -ne 0 ]; then
    ION_AS_USER=
    ion_log "not running as root, so loading the application's code as $(id -un 2>/dev/null || id -u) (no privileges to drop)"
    return 0
  fi
  id -u "$ION_APP_USER" >/dev/null 2>&1 ||
    ion_fail "the service user '$ION_APP_USER' does not exist on this instance: the application's code is never loaded as root. Create it (useradd --system --no-create-home $ION_APP_USER), or set ION_APP_USER in $ION_ENV_FILE to the User= of your service's unit"
  if [ "$(id -u "$ION_APP_USER")" -eq 0 ]; then
    ION_AS_USER=
    ion_log "ION_APP_USER is $ION_APP_USER (uid 0): loading the application's code as root, as its service runs"
    return 0
  fi
  if command -v setpriv >/dev/null 2>&1; then
    ION_AS_USER=setpriv
  elif command -v runuser >/dev/null 2>&1; then
    ION_AS_USER=runuser
  else
    ion_fail "neither setpriv nor runuser is installed, so the hook cannot drop root to run the application's code as $ION_APP_USER: install util-linux"
  fi
  ion_log "loading the application's code as $ION_APP_USER (via $ION_AS_USER), not as root"
}

# ion_as_app_user COMMAND...: runs COMMAND as ION_APP_USER (see ion_app_user_setup) with a clean
# environment, so the application's code sees neither root's privileges nor the hook's variables
# (ion.env, the agent's). No new privileges can be gained (setuid binaries) below setpriv.
ion_as_app_user() {
  case $ION_AS_USER in
    setpriv)
      setpriv --reuid="$ION_APP_USER" --regid="$(id -g "$ION_APP_USER")" --init-groups --no-new-privs -- \
        env -i PATH="$PATH" LANG="${LANG:-C.UTF-8}" "$@"
      ;;
    runuser)
      runuser -u "$ION_APP_USER" -- env -i PATH="$PATH" LANG="${LANG:-C.UTF-8}" "$@"
      ;;
    *)
      env -i PATH="$PATH" LANG="${LANG:-C.UTF-8}" "$@"
      ;;
  esac
}
