"""Helper for the ion-actions CodeDeploy hooks: everything the POSIX sh hooks cannot do safely alone.

python3 is the one interpreter every supported EC2 image carries (Amazon Linux 2 and 2023 need it for
yum/dnf, Ubuntu for cloud-init), so it parses the JSON manifest and unpacks zips instead of requiring
jq and unzip as well. Written for Python 3.6+ (Amazon Linux 2 has 3.7): no walrus, no match.

Every failure is one line on stderr starting with "ion <hook>: FAILED:" and exit status 2.

Commands:
  fields  <manifest>              bucket, appName, rev (tab-separated, one line)
  entries <manifest>              one line per classpath entry, in order: sha256, ext, packaging, size, key
  vars    <manifest>              one line per var ion-config names: ns/name, where it is named
  unzip   <zip> <dir> <scratch>   extract a 'dir' entry's zip into a new directory, by way of <scratch>
  link    <target> <link>         point symlink <link> at <target>, atomically
  prune   <root> <keep> <scratch> keep each app's <keep> newest revisions and the objects they use
"""
import json
import os
import re
import shutil
import sys
import time
import zipfile

HOOK = os.environ.get("ION_HOOK", "hook")
FORMAT = "ion-actions/manifest"
VERSION = 1
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Names end up in paths under ION_ROOT: no separators, no "." or "..".
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
BUCKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SYMBOL = re.compile(r"^[^\s/]+/[^\s/]+$")


def fail(message):
    sys.stderr.write("ion %s: FAILED: %s\n" % (HOOK, message))
    sys.exit(2)


def load(path):
    try:
        with open(path, "rb") as f:
            manifest = json.loads(f.read().decode("utf-8"))
    except (OSError, IOError) as e:
        fail("cannot read the manifest %s (%s); the revision bundle must contain ion-manifest.json at its root" % (path, e.strerror or e))
    except ValueError as e:
        fail("the manifest %s is not valid JSON (%s); push the revision again" % (path, e))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        fail("%s is not an ion-actions manifest (format is not %r)" % (path, FORMAT))
    if manifest.get("version") != VERSION:
        fail("manifest version %r is not supported by these hooks (they read version %d); push with a matching version of ion-actions"
             % (manifest.get("version"), VERSION))
    for field, pattern in (("appName", NAME), ("rev", NAME), ("bucket", BUCKET)):
        value = manifest.get(field)
        if not isinstance(value, str) or not pattern.match(value) or value in (".", ".."):
            fail("manifest field %r is %r; expected %s" % (field, value, "a bucket name" if field == "bucket" else "letters, digits, '.', '_' and '-'"))
    if not isinstance(manifest.get("classpath"), list):
        fail("manifest field 'classpath' is not a list")
    return manifest


def entries(manifest):
    out = []
    for i, entry in enumerate(manifest["classpath"]):
        where = "classpath[%d]" % i
        if not isinstance(entry, dict):
            fail("%s is not an object" % where)
        sha, packaging, size, key = entry.get("sha256"), entry.get("packaging"), entry.get("size"), entry.get("key")
        if not isinstance(sha, str) or not SHA256.match(sha):
            fail("%s.sha256 is %r; expected 64 lower-case hex characters" % (where, sha))
        if packaging not in ("jar", "dir"):
            fail("%s.packaging is %r; expected 'jar' or 'dir'" % (where, packaging))
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            fail("%s.size is %r; expected a byte count" % (where, size))
        if not isinstance(key, str) or not key or CONTROL.search(key) or key.startswith("/"):
            fail("%s.key is %r; expected an S3 key" % (where, key))
        out.append((sha, "jar" if packaging == "jar" else "zip", packaging, str(size), key))
    return out


def named_vars(manifest):
    """The vars ion-config names, with where it names them (for the failure line)."""
    config = manifest.get("ionConfig")
    config = config if isinstance(config, dict) else {}
    found = []

    def add(sym, where):
        if isinstance(sym, str) and sym:
            found.append((sym, where))

    for key in ("allow", "xforms"):
        value = config.get(key)
        if isinstance(value, list):
            for sym in value:
                add(sym, ":" + key)
    lambdas = config.get("lambdas")
    if isinstance(lambdas, dict):
        for name, spec in lambdas.items():
            if isinstance(spec, dict):
                add(spec.get("fn"), ":lambdas :%s :fn" % name)
    for spec in manifest.get("lambdas") or []:
        if isinstance(spec, dict):
            add(spec.get("fn"), ":lambdas :%s :fn" % spec.get("name"))
    http_direct = config.get("http-direct")
    if isinstance(http_direct, dict):
        add(http_direct.get("handler-fn"), ":http-direct :handler-fn")

    seen, out = set(), []
    for sym, where in found:
        if sym in seen:
            continue
        seen.add(sym)
        if CONTROL.search(sym) or "\t" in where:
            fail("ion-config names %r (%s), which is not a symbol" % (sym, where))
        out.append((sym, where))
    return out


def unzip(archive, dest, scratch):
    # Into a fresh directory under the hook's scratch directory (on the same filesystem, under
    # ION_ROOT), then renamed: a half-extracted tree is never mistaken for a finished one by the next
    # deployment, and whatever way this process ends, the hook's exit removes what it left.
    tmp = os.path.join(scratch, "unzip-%s" % os.path.basename(dest))
    try:
        try:
            with zipfile.ZipFile(archive) as z:
                for info in z.infolist():
                    name = info.filename
                    # ZipFile.extract already strips absolute paths and "..", but say so instead of
                    # silently writing elsewhere than the zip intends.
                    if name.startswith("/") or ".." in name.replace("\\", "/").split("/"):
                        fail("%s contains the unsafe path %r; refusing to unpack it" % (archive, name))
                z.extractall(tmp)
        except (OSError, IOError) as e:
            fail("cannot unpack %s into %s (%s); is the disk full?" % (archive, dest, e))
        except Exception as e:  # BadZipFile, zlib.error, a bad CRC found while extracting, ...
            fail("%s is not a valid zip (%s: %s); it passed its SHA-256 check, so push produced it: push again"
                 % (archive, type(e).__name__, e))
        if not os.path.isdir(tmp):
            os.makedirs(tmp)  # an empty directory entry zips to nothing
        try:
            os.rename(tmp, dest)
        except OSError:
            if not os.path.isdir(dest):  # else another run finished first: same content, keep theirs
                raise
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


def link(target, path):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, path)  # rename(2) replaces the old link in one step; `ln -sfn` does not


OBJECT = re.compile(r"^([0-9a-f]{64})\.(jar|zip)$")
# A hook's scratch directory older than this belongs to a hook that was killed: appspec timeouts are
# at most 3600 s, and the agent runs one deployment at a time.
STALE_SCRATCH_SECONDS = 2 * 3600


def log(message):
    sys.stdout.write("ion %s: %s\n" % (HOOK, message))


def human(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return "%.1f %s" % (float(n) / size, unit)
    return "%d B" % n


def tree_size(path):
    total = 0
    for parent, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(parent, f)).st_size
            except OSError:
                pass
    return total


def remove(path, what):
    """Removes a file or tree; says so, or says why not (a prune failure never fails a deployment)."""
    try:
        size = tree_size(path) if os.path.isdir(path) and not os.path.islink(path) else os.lstat(path).st_size
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError as e:
        log("could not remove %s (%s); left in place" % (what, e.strerror or e))
        return 0
    log("removed %s (%s)" % (what, human(size)))
    return size


def revisions(app_dir):
    """The app's revisions, newest first: a revision is as new as its classpath file, which
    AfterInstall writes on every deployment of it (a redeploy of an old revision makes it newest)."""
    found = []
    for name in os.listdir(app_dir):
        classpath = os.path.join(app_dir, name, "classpath")
        if name != "current" and NAME.match(name) and not os.path.islink(os.path.join(app_dir, name)) and os.path.isfile(classpath):
            found.append((os.stat(classpath).st_mtime, name))
    return [name for _mtime, name in sorted(found, reverse=True)]


def prune(root, keep, scratch):
    """Keeps, for each app under root/apps, its `keep` newest revisions and the current one, and in
    cache/ and unpacked/ only the objects their classpaths use; removes stale scratch directories."""
    apps_dir, cache, unpacked, tmp = (os.path.join(root, d) for d in ("apps", "cache", "unpacked", "tmp"))
    used = set()
    removed_revs = freed = objects = trees = 0
    for app in sorted(os.listdir(apps_dir)) if os.path.isdir(apps_dir) else []:
        app_dir = os.path.join(apps_dir, app)
        if not NAME.match(app) or os.path.islink(app_dir) or not os.path.isdir(app_dir):
            continue
        revs = revisions(app_dir)
        current = os.readlink(os.path.join(app_dir, "current")) if os.path.islink(os.path.join(app_dir, "current")) else None
        kept = [r for r in revs[:keep]] + [r for r in revs[keep:] if r == current]
        for rev in kept:
            try:
                with open(os.path.join(app_dir, rev, "classpath")) as f:
                    entries = f.read().strip().split(":")
            except (OSError, IOError) as e:
                log("cannot read the classpath of %s rev %s (%s); nothing pruned" % (app, rev, e.strerror or e))
                return
            for entry in entries:
                used.add(os.path.basename(entry).split(".")[0])
        log("%s: keeping %d of %d revisions (%s; current %s)" % (app, len(kept), len(revs), ", ".join(kept) or "none", current or "none"))
        for rev in revs:
            if rev not in kept:
                freed += remove(os.path.join(app_dir, rev), "revision %s/%s" % (app, rev))
                removed_revs += 1
    for name in sorted(os.listdir(cache)) if os.path.isdir(cache) else []:
        m = OBJECT.match(name)
        if m and m.group(1) not in used:
            freed += remove(os.path.join(cache, name), "cache/%s" % name)
            objects += 1
    for name in sorted(os.listdir(unpacked)) if os.path.isdir(unpacked) else []:
        # <sha>.tmp-<pid>: a half-unpacked tree left by hooks before they unpacked under tmp/.
        sha = name.split(".")[0]
        if SHA256.match(sha) and (sha not in used or name != sha):
            freed += remove(os.path.join(unpacked, name), "unpacked/%s/" % name)
            trees += 1
    now = time.time()
    own = os.path.realpath(scratch)
    for name in sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []:
        path = os.path.join(tmp, name)
        if os.path.realpath(path) != own and now - os.lstat(path).st_mtime > STALE_SCRATCH_SECONDS:
            freed += remove(path, "tmp/%s (left by a hook that was killed)" % name)
    log("pruned %d revisions, %d cached objects and %d unpacked directories: %s freed (ION_KEEP_REVISIONS=%d)"
        % (removed_revs, objects, trees, human(freed), keep))


def main(argv):
    if len(argv) < 2:
        fail("usage: manifest.py fields|entries|vars|unzip|link|prune ...")
    command, args = argv[1], argv[2:]
    if command in ("fields", "entries", "vars") and len(args) == 1:
        manifest = load(args[0])
        if command == "fields":
            rows = [(manifest["bucket"], manifest["appName"], manifest["rev"])]
        elif command == "entries":
            rows = entries(manifest)
        else:
            rows = named_vars(manifest)
        sys.stdout.write("".join("\t".join(row) + "\n" for row in rows))
    elif command == "unzip" and len(args) == 3:
        unzip(args[0], args[1], args[2])
    elif command == "link" and len(args) == 2:
        link(args[0], args[1])
    elif command == "prune" and len(args) == 3 and args[1].isdigit() and int(args[1]) >= 1:
        prune(args[0], int(args[1]), args[2])
    else:
        fail("manifest.py: bad arguments %r" % (argv[1:],))


if __name__ == "__main__":
    main(sys.argv)
