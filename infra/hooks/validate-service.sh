#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# CodeDeploy ValidateService: a JVM on the new classpath loads every namespace that ion-config's
# :allow, :xforms, :lambdas (:fn) and :http-direct (:handler-fn) name and resolves each var, so a
# missing function fails the deployment on the first instance (and CodeDeploy rolls back) instead of
# failing at its first call. Then, when configured, the service is active and answers its health URL.
# Loading a namespace runs its top-level forms, so the JVM runs as the service user (ION_APP_USER),
# never as root, with a clean environment (lib/common.sh, ion_as_app_user).
set -eu
ION_HOOK=validate-service
# shellcheck source=lib/common.sh
. "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ion_init
ion_read_manifest

[ -f "$ION_REV_DIR/classpath" ] ||
  ion_fail "$ION_REV_DIR/classpath is missing: AfterInstall did not complete for $ION_APP rev $ION_REV"

ION_STEP="listing the vars ion-config names"
ion_py vars "$ION_MANIFEST_FILE" >"$ION_WORK/vars.tsv" || { ION_FAILED=1; exit 1; }
count=$(wc -l <"$ION_WORK/vars.tsv" | tr -d ' ')
if [ "$count" -eq 0 ]; then
  ion_log "ion-config names no vars (:allow, :xforms, :lambdas, :http-direct); nothing to load"
else
  command -v "$ION_JAVA" >/dev/null 2>&1 ||
    ion_fail "java ($ION_JAVA) not found: install a JDK 11+ (e.g. dnf install java-17-amazon-corretto-headless) or set ION_JAVA in $ION_ENV_FILE"
  ion_app_user_setup
  # The service user reads the check and its input from a directory it may enter but not list.
  ION_STEP="preparing the load check"
  chmod 711 "$ION_WORK"
  mkdir "$ION_WORK/check"
  cp "$ION_HOOKS_DIR/lib/check_vars.clj" "$ION_WORK/vars.tsv" "$ION_WORK/check/"
  chmod -R a+rX "$ION_WORK/check"
  ION_STEP="checking that the service user can read the classpath"
  tr ':' '\n' <"$ION_REV_DIR/classpath" >"$ION_WORK/check/entries"
  # shellcheck disable=SC2016 # $p belongs to the inner sh
  if ! unreadable=$(ion_as_app_user sh -c 'while IFS= read -r p; do [ -r "$p" ] || { printf "%s" "$p"; exit 1; }; done' <"$ION_WORK/check/entries"); then
    ion_fail "the service user cannot read the classpath entry ${unreadable:-?}: the service could not either. Make $ION_ROOT and the directories above it readable and searchable by $ION_APP_USER (chmod 755)"
  fi
  ION_STEP="loading $count vars on the new classpath"
  ion_log "loading the $count vars ion-config names on the new classpath"
  # A short-lived check: C1 only starts Clojure about twice as fast. ION_VALIDATE_JAVA_OPTS is split
  # on spaces on purpose: it holds several JVM options. The JVM is found here, as root, so a relative
  # ION_JAVA means the same command as before the environment is cleared.
  java=$(command -v "$ION_JAVA")
  # shellcheck disable=SC2086
  if ! ion_as_app_user "$java" ${ION_VALIDATE_JAVA_OPTS:--XX:TieredStopAtLevel=1} -cp "$(cat "$ION_REV_DIR/classpath")" clojure.main \
    "$ION_WORK/check/check_vars.clj" "$ION_WORK/check/vars.tsv" </dev/null >"$ION_WORK/check.out" 2>&1; then
    # The check prints one FAILED line per var and a count; anything else is the JVM's own complaint.
    if grep -q '^ion validate-service: ' "$ION_WORK/check.out"; then
      grep '^ion validate-service: ' "$ION_WORK/check.out" >&2
      ION_FAILED=1
      exit 1
    fi
    ion_fail "the JVM could not run the check: $(grep -v '^[[:space:]]*$' "$ION_WORK/check.out" | head -n 1) (is clojure on the classpath? does ION_VALIDATE_JAVA_OPTS hold valid options?)"
  fi
  grep '^ion validate-service: ' "$ION_WORK/check.out" || true
fi

if [ -n "$ION_SERVICE" ] && command -v systemctl >/dev/null 2>&1; then
  ION_STEP="checking $ION_SERVICE"
  systemctl is-active --quiet "$ION_SERVICE" ||
    ion_fail "$ION_SERVICE is not running after the restart (see: journalctl -u $ION_SERVICE -n 100)"
  ion_log "$ION_SERVICE is active"
fi

if [ -n "${ION_HEALTH_URL:-}" ]; then
  # The URL comes from the env file and may carry credentials (https://user:secret@host/): the log
  # shows it without them.
  health=$(printf '%s\n' "$ION_HEALTH_URL" | awk '{ sub(/:\/\/[^\/@]*@/, "://***@"); print; exit }')
  ION_STEP="waiting for $health"
  command -v curl >/dev/null 2>&1 || ion_fail "ION_HEALTH_URL is set but curl is not installed"
  deadline=$(($(date +%s) + ${ION_HEALTH_TIMEOUT:-120}))
  until curl -fsS -o /dev/null --max-time 5 "$ION_HEALTH_URL" 2>"$ION_WORK/health.err"; do
    [ "$(date +%s)" -lt "$deadline" ] ||
      ion_fail "$health did not answer 2xx within ${ION_HEALTH_TIMEOUT:-120}s: $(head -n 1 "$ION_WORK/health.err")"
    sleep 2
  done
  ion_log "$health answers"
fi

ion_log "$ION_APP rev $ION_REV validated"
