#!/usr/bin/env python3
"""An independent BagIt validator: bagit-python 1.9's Bag(path).validate(), re-implemented
with the standard library only (PyPI is not reachable here, so bagit-python itself cannot
be installed). Nothing of Firebreak's code is used.

It keeps bagit-python's behaviour, quirks included, because a bag is worth as much as the
validators that accept it:
  - manifest paths: only %0D and %0A are decoded, case-sensitively and at most twice each
    (`re.sub(..., re.IGNORECASE)` passes the flag as the count); %25 is NOT decoded;
  - manifest lines are stripped, split on the first run of white space, `*` is dropped from
    the path, which is then os.path.normpath'ed; a path that is absolute, that
    os.path.expandvars changes, or that resolves outside the bag is refused;
  - tag files (bagit.txt, bag-info.txt) are parsed as bagit-python does (folded lines,
    repeated tags kept as lists, the first Payload-Oxum used);
  - validate(): structure (data/ exists, a payload manifest, bagit.txt), no BOM in
    bagit.txt, fetch.txt URLs, Payload-Oxum, completeness (NFC-normalised names; a tag
    file listed in a tag manifest but absent is missing), then every payload and tag
    manifest entry hashed.

Usage: bagit_py_verify.py BAG   (a folder, or a .zip / .tar that is extracted first with
Python's zipfile / tarfile). Prints "VALID <n> files" (n payload files) and exits 0, or
prints each error on its own line and exits 1.
"""
import codecs
import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from urllib.parse import urlparse

CHECKSUM_ALGOS = hashlib.algorithms_guaranteed


class BagError(Exception):
    pass


class BagValidationError(BagError):
    def __init__(self, message, details=None):
        super().__init__(message)
        self.details = details or []


def normalize_unicode(s):
    return unicodedata.normalize("NFC", s)


def _decode_filename(s):
    # bagit-python 1.9 verbatim: the flag lands in re.sub's `count` argument.
    s = re.sub(r"%0D", "\r", s, re.IGNORECASE)
    s = re.sub(r"%0A", "\n", s, re.IGNORECASE)
    return s


def _parse_tags(tag_file, filename):
    tag_name = None
    tag_value = None
    for num, line in enumerate(tag_file):
        if len(line) == 0 or line.isspace():
            continue
        elif line[0].isspace() and tag_value is not None:
            tag_value += line
        else:
            if tag_name:
                yield (tag_name, tag_value.strip())
            if ":" not in line:
                raise BagValidationError("%s contains invalid tag: %s" % (filename, line.strip()))
            parts = line.strip().split(":", 1)
            tag_name = parts[0].strip()
            tag_value = parts[1]
    if tag_name:
        yield (tag_name, tag_value.strip())


def _load_tag_file(tag_file_name, encoding="utf-8-sig"):
    with open(tag_file_name, "r", encoding=encoding) as tag_file:
        tags = {}
        for name, value in _parse_tags(tag_file, tag_file_name):
            if name not in tags:
                tags[name] = value
                continue
            if not isinstance(tags[name], list):
                tags[name] = [tags[name], value]
            else:
                tags[name].append(value)
        return tags


class Bag:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.tags = {}
        self.info = {}
        self.algorithms = []
        self.entries = {}
        self.normalized_filesystem_names = {}
        self.normalized_manifest_names = {}
        self._open()

    def _open(self):
        bagit_file_path = os.path.join(self.path, "bagit.txt")
        if not os.path.isfile(bagit_file_path):
            raise BagError("Expected bagit.txt does not exist: %s" % bagit_file_path)
        self.tags = tags = _load_tag_file(bagit_file_path)
        missing = [i for i in ("BagIt-Version", "Tag-File-Character-Encoding") if i not in tags]
        if missing:
            raise BagError("Missing required tag in bagit.txt: %s" % ", ".join(missing))
        self.version = tags["BagIt-Version"]
        try:
            self.version_info = tuple(int(i) for i in self.version.split(".", 1))
        except ValueError:
            raise BagError("Bag version numbers must be seperated by period")
        if (0, 93) <= self.version_info <= (0, 95):
            self.tag_file_name = "package-info.txt"
        elif (0, 96) <= self.version_info < (2,):
            self.tag_file_name = "bag-info.txt"
        else:
            raise BagError("Unsupported bag version: %s" % self.version)
        self.encoding = tags["Tag-File-Character-Encoding"]
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise BagValidationError("Unsupported encoding: %s" % self.encoding)
        info_file_path = os.path.join(self.path, self.tag_file_name)
        if os.path.exists(info_file_path):
            self.info = _load_tag_file(info_file_path, encoding=self.encoding)
        self._load_manifests()

    def manifest_files(self):
        for filename in ["manifest-%s.txt" % a for a in CHECKSUM_ALGOS]:
            f = os.path.join(self.path, filename)
            if os.path.isfile(f):
                yield f

    def tagmanifest_files(self):
        for filename in ["tagmanifest-%s.txt" % a for a in CHECKSUM_ALGOS]:
            f = os.path.join(self.path, filename)
            if os.path.isfile(f):
                yield f

    def _path_is_dangerous(self, path):
        if os.path.isabs(path):
            return True
        if os.path.expandvars(path) != path:
            return True
        real_path = os.path.normpath(os.path.realpath(os.path.join(self.path, path)))
        bag_path = os.path.normpath(os.path.realpath(self.path))
        common = os.path.commonprefix((bag_path, real_path))
        return not (common == bag_path)

    def _load_manifests(self):
        manifests = list(self.manifest_files())
        if self.version_info >= (0, 97):
            manifests += list(self.tagmanifest_files())
        for manifest_filename in manifests:
            search = "tagmanifest-" if manifest_filename.find("tagmanifest-") != -1 else "manifest-"
            alg = os.path.basename(manifest_filename).replace(search, "").replace(".txt", "")
            if alg not in self.algorithms:
                self.algorithms.append(alg)
            with open(manifest_filename, "r", encoding=self.encoding) as manifest_file:
                if manifest_file.encoding.upper().startswith("UTF"):
                    if manifest_file.read(1) != "\ufeff":
                        manifest_file.seek(0)
                for line in manifest_file:
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    entry = line.split(None, 1)
                    if len(entry) != 2:
                        raise BagError("%s: Invalid %s manifest entry: %s" % (manifest_filename, alg, line))
                    entry_hash = entry[0]
                    entry_path = os.path.normpath(entry[1].lstrip("*"))
                    entry_path = _decode_filename(entry_path)
                    if self._path_is_dangerous(entry_path):
                        raise BagError('Path "%s" in manifest "%s" is unsafe' % (entry_path, manifest_filename))
                    entry_hashes = self.entries.setdefault(entry_path, {})
                    if alg in entry_hashes and entry_hashes[alg] != entry_hash:
                        raise BagError("%s: Conflicting %s hashes in %s" % (entry_path, alg, manifest_filename))
                    entry_hashes[alg] = entry_hash
        self.normalized_manifest_names.update((normalize_unicode(i), i) for i in self.payload_entries().keys())

    def payload_entries(self):
        return {k: v for k, v in self.entries.items() if k.startswith("data" + os.sep)}

    def tagfile_entries(self):
        return {k: v for k, v in self.entries.items() if not k.startswith("data" + os.sep)}

    def payload_files(self):
        payload_dir = os.path.join(self.path, "data")
        for dirpath, _, filenames in os.walk(payload_dir):
            for f in filenames:
                normalized_f = os.path.normpath(f)
                yield os.path.relpath(os.path.join(dirpath, normalized_f), start=self.path)

    def missing_optional_tagfiles(self):
        for tagfilepath in self.tagfile_entries().keys():
            if not os.path.isfile(os.path.join(self.path, tagfilepath)):
                yield tagfilepath

    def fetch_entries(self):
        fetch_file_path = os.path.join(self.path, "fetch.txt")
        if os.path.isfile(fetch_file_path):
            with open(fetch_file_path, "r", encoding=self.encoding) as fetch_file:
                for line in fetch_file:
                    url, file_size, filename = line.strip().split(None, 2)
                    if self._path_is_dangerous(filename):
                        raise BagError('Path "%s" in "%s" is unsafe' % (filename, fetch_file_path))
                    yield url, file_size, filename

    def validate_fetch(self):
        for url, file_size, filename in self.fetch_entries():
            parsed_url = urlparse(url)
            if not all((parsed_url.scheme, parsed_url.netloc)):
                raise BagError("Malformed URL in fetch.txt: %s" % url)

    def compare_manifests_with_fs(self):
        files_on_fs = set()
        for i in self.payload_files():
            n = normalize_unicode(i)
            files_on_fs.add(n)
            self.normalized_filesystem_names[n] = i
        files_in_manifest = set(normalize_unicode(i) for i in self.payload_entries().keys())
        if self.version_info >= (0, 97):
            files_in_manifest.update(self.missing_optional_tagfiles())
        only_on_fs = [self.normalized_filesystem_names[i] for i in files_on_fs.difference(files_in_manifest)]
        only_in_manifest = [self.normalized_manifest_names.get(i, i) for i in files_in_manifest.difference(files_on_fs)]
        return only_in_manifest, only_on_fs

    def validate(self):
        self._validate_structure()
        self._validate_bagittxt()
        self.validate_fetch()
        self._validate_oxum()
        self._validate_completeness()
        self._validate_entries()
        return True

    def _validate_structure(self):
        data_dir_path = os.path.join(self.path, "data")
        if not os.path.isdir(data_dir_path):
            raise BagValidationError("Expected data directory %s does not exist" % data_dir_path)
        if len(list(self.manifest_files())) == 0:
            raise BagValidationError("No manifest files found")
        if "bagit.txt" not in os.listdir(self.path):
            raise BagValidationError('Expected %s to contain "bagit.txt"' % self.path)

    def _validate_bagittxt(self):
        with open(os.path.join(self.path, "bagit.txt"), "rb") as bagit_file:
            if bagit_file.read(4).startswith(codecs.BOM_UTF8):
                raise BagValidationError("bagit.txt must not contain a byte-order mark")

    def _validate_oxum(self):
        oxum = self.info.get("Payload-Oxum")
        if oxum is None:
            return
        if isinstance(oxum, list):
            oxum = oxum[0]
        byte_count, file_count = oxum.split(".", 1)
        if not byte_count.isdigit() or not file_count.isdigit():
            raise BagError("Malformed Payload-Oxum value: %s" % oxum)
        byte_count, file_count = int(byte_count), int(file_count)
        total_bytes = 0
        total_files = 0
        for payload_file in self.payload_files():
            total_bytes += os.stat(os.path.join(self.path, payload_file)).st_size
            total_files += 1
        if file_count != total_files or byte_count != total_bytes:
            raise BagValidationError(
                "Payload-Oxum validation failed. Expected %d files and %d bytes but found %d files and %d bytes"
                % (file_count, byte_count, total_files, total_bytes)
            )

    def _validate_completeness(self):
        only_in_manifests, only_on_fs = self.compare_manifests_with_fs()
        errors = ["%s exists in manifest but was not found on filesystem" % p for p in sorted(only_in_manifests)]
        errors += ["%s exists on filesystem but is not in the manifest" % p for p in sorted(only_on_fs)]
        if errors:
            raise BagValidationError("Bag validation failed", errors)

    def _validate_entries(self):
        errors = []
        for rel_path, hashes in self.entries.items():
            full_path = os.path.join(self.path, self.normalized_filesystem_names.get(rel_path, rel_path))
            f_hashes = {}
            try:
                hashers = {alg: hashlib.new(alg) for alg in hashes if alg in CHECKSUM_ALGOS}
                with open(full_path, "rb") as f:
                    while True:
                        block = f.read(1 << 20)
                        if not block:
                            break
                        for h in hashers.values():
                            h.update(block)
                f_hashes = {alg: h.hexdigest() for alg, h in hashers.items()}
            except OSError:
                f_hashes = dict.fromkeys(hashes)
            for alg, computed_hash in f_hashes.items():
                stored_hash = hashes[alg]
                if stored_hash.lower() != computed_hash:
                    errors.append('%s %s validation failed: expected="%s" found="%s"' % (rel_path, alg, stored_hash.lower(), computed_hash))
        if errors:
            raise BagValidationError("Bag validation failed", errors)


def extract(archive):
    tmp = tempfile.mkdtemp(prefix="bagit-py-")
    if archive.lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            bad = z.testzip()
            if bad is not None:
                raise BagError("zip CRC error in %s" % bad)
            z.extractall(tmp)
    else:
        with tarfile.open(archive) as t:
            if hasattr(tarfile, "data_filter"):
                t.extractall(tmp, filter="data")
            else:
                t.extractall(tmp)
    tops = os.listdir(tmp)
    if len(tops) != 1:
        raise BagError("expected one folder at the top of the archive, found %d" % len(tops))
    return os.path.join(tmp, tops[0])


def main():
    target = sys.argv[1]
    extracted = None
    try:
        if os.path.isfile(target):
            target = extracted = extract(target)
        bag = Bag(target)
        bag.validate()
        count = len(list(bag.payload_files()))
    except BagValidationError as e:
        print(str(e))
        for d in e.details:
            print(d)
        return 1
    except BagError as e:
        print(str(e))
        return 1
    finally:
        if extracted:
            shutil.rmtree(os.path.dirname(extracted), ignore_errors=True)
    print("VALID %d files" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
