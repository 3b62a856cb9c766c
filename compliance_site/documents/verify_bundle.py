"""verify.py: check this export bundle with nothing but Python (3.6 or later, standard library only).

    python3 verify.py                 inside the extracted folder (or: python3 path/to/verify.py)
    python3 verify.py FOLDER          an extracted bundle elsewhere
    python3 verify.py BUNDLE.zip      the ZIP itself, without extracting it

It recomputes the SHA-256 of every file and compares it with manifest.json, and names every file that was
changed, is missing, or was added. It prints OK and exits 0 when everything matches; otherwise it exits 1
(2 when there is no bundle to read).

What it cannot check: manifest.json carries a signature, an HMAC-SHA256 keyed with the company's audit
chain key, which is not in the bundle. Anyone who rewrites a file and the manifest to match can fool this
script; they cannot forge the signature. The company checks it with `python manage.py verify_export
BUNDLE.zip`, which also checks this script's own hash. The manifest's "sha256" is the SHA-256 of the
manifest itself as canonical JSON (sorted keys, no spaces, UTF-8) without its "sha256" and "signature";
the signature is computed over the same bytes.

This file is compliance_site/documents/verify_bundle.py in the application's repository, copied byte for
byte into every bundle. It must never import anything outside the standard library.
"""

import hashlib
import json
import os
import sys
import zipfile

MANIFEST = "manifest.json"
UNSIGNED = ("sha256", "signature")


def canonical_manifest(manifest):
    """The bytes the manifest's own "sha256" and its signature are computed over."""
    body = {name: value for name, value in manifest.items() if name not in UNSIGNED}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Folder:
    """An extracted bundle: every regular file under `root`, by its path with "/" separators."""

    def __init__(self, root):
        self.root = root

    def names(self):
        found = []
        for directory, _, files in os.walk(self.root):
            for name in files:
                path = os.path.relpath(os.path.join(directory, name), self.root)
                found.append(path.replace(os.sep, "/"))
        return found

    def read(self, name):
        with open(os.path.join(self.root, *name.split("/")), "rb") as handle:
            return handle.read()

    def close(self):
        pass


class Zip:
    """The bundle's ZIP file, read without extracting it."""

    def __init__(self, path):
        self.archive = zipfile.ZipFile(path)

    def names(self):
        return [name for name in self.archive.namelist() if not name.endswith("/")]

    def read(self, name):
        return self.archive.read(name)

    def close(self):
        self.archive.close()


def open_bundle(target):
    if os.path.isdir(target):
        return Folder(target)
    return Zip(target)


def check(bundle):
    """(lines to print, number of problems). Raises ValueError when the manifest cannot be read."""
    try:
        manifest = json.loads(bundle.read(MANIFEST).decode("utf-8"))
        listed = {item["path"]: item for item in manifest["files"]}
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{MANIFEST} is missing or unreadable: {exc}") from exc
    lines = []
    problems = 0
    title = manifest.get("title", "")
    lines.append(
        f"Bundle: {title}, document {manifest.get('document', '?')} version {manifest.get('version', '?')}"
        f" ({manifest.get('status', '?')}), generated {manifest.get('generated_at', '?')}"
    )
    recorded = manifest.get("sha256")
    if recorded is None:
        lines.append(f"{MANIFEST}: records no hash of itself (a bundle made before manifests did)")
    elif hashlib.sha256(canonical_manifest(manifest)).hexdigest() == recorded:
        lines.append(f"{MANIFEST}: matches its own recorded SHA-256")
    else:
        problems += 1
        lines.append(f"CHANGED {MANIFEST}: its contents do not match its own recorded SHA-256 {recorded}")
    present = set(bundle.names()) - {MANIFEST}
    matched = 0
    for name in sorted(set(listed) & present):
        expected = listed[name]
        try:
            content = bundle.read(name)
        except Exception as exc:  # a CRC or inflate error: the bytes inside the ZIP were altered
            problems += 1
            lines.append(f"CHANGED {name}: cannot be read ({exc})")
            continue
        digest = hashlib.sha256(content).hexdigest()
        if digest != expected["sha256"] or len(content) != expected["size"]:
            problems += 1
            lines.append(f"CHANGED {name}: SHA-256 {digest}, the manifest says {expected['sha256']}")
        else:
            matched += 1
    for name in sorted(set(listed) - present):
        problems += 1
        lines.append(f"MISSING {name}: listed in the manifest, not in the bundle")
    for name in sorted(present - set(listed)):
        problems += 1
        lines.append(f"ADDED {name}: not listed in the manifest")
    if manifest.get("signature"):
        lines.append("signature: present (checked by the company with its key via manage.py verify_export)")
    else:
        lines.append("signature: absent (a bundle made before manifests were signed)")
    checkpoint = manifest.get("audit_checkpoint_at_export")
    if isinstance(checkpoint, dict):
        token = f"{checkpoint.get('seq')}:{checkpoint.get('hash')}"
        lines.append(
            f"audit trail checkpoint at export: {token} "
            f"(checked by the company with manage.py verify_audit_log --checkpoint {token})"
        )
    if problems:
        lines.append(f"FAILED: {problems} problem(s); {matched} of {len(listed)} file(s) match the manifest")
    else:
        lines.append(f"OK: all {matched} files match the manifest")
    return lines, problems


def say(stream, text):
    """Write text even to a terminal whose encoding lacks some of its characters (a title's dash)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def main(argv):
    if len(argv) > 2:
        say(sys.stderr, "usage: python3 verify.py [BUNDLE.zip or FOLDER]")
        return 2
    target = argv[1] if len(argv) == 2 else os.path.dirname(os.path.abspath(__file__))
    try:
        bundle = open_bundle(target)
    except (OSError, zipfile.BadZipFile) as exc:
        say(sys.stderr, f"{target}: not a bundle folder or readable ZIP file: {exc}")
        return 2
    try:
        lines, problems = check(bundle)
    except ValueError as exc:
        say(sys.stderr, str(exc))
        return 2
    finally:
        bundle.close()
    say(sys.stdout, "\n".join(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
