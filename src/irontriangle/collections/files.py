"""Evidence files: what a file really is, read from its bytes, and where it is kept.

The name a browser sends proves nothing, so the type comes from the content and must agree with the
name's extension. Only documents and scans a collection file holds are taken; executables, HTML, SVG
and scripts never are, whatever they are called.
"""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

import filetype
from django.conf import settings

# detected extension -> (content type served, extensions a name may carry for it)
ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
    "png": ("image/png", ("png",)),
    "webp": ("image/webp", ("webp",)),
    "tif": ("image/tiff", ("tif", "tiff")),
    "heic": ("image/heic", ("heic",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "doc": ("application/msword", ("doc",)),
    "xls": ("application/vnd.ms-excel", ("xls",)),
    # China's e-invoice format: a ZIP package holding OFD.xml.
    "ofd": ("application/ofd", ("ofd",)),
}
ACCEPTED_EXTENSIONS = sorted({ext for _type, names in ACCEPTED.values() for ext in names})


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str


def _is_ofd(head: bytes, data: BinaryIO) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        data.seek(0)
        with zipfile.ZipFile(data) as package:
            return "OFD.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        data.seek(0)


def detect(data: BinaryIO, name: str) -> Checked | None:
    """The accepted type the content is, if its name agrees; else None."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    data.seek(0)
    head = data.read(8192)
    data.seek(0)
    if extension == "ofd":
        return Checked("ofd", ACCEPTED["ofd"][0]) if _is_ofd(head, data) else None
    kind = filetype.guess(head)
    if kind is None:
        return None
    found = "jpg" if kind.extension == "jpx" else kind.extension
    if found not in ACCEPTED:
        return None
    content_type, names = ACCEPTED[found]
    return Checked(found, content_type) if extension in names else None


def safe_name(name: str) -> str:
    """The name as shown and offered on download: no folders, no control characters, bounded."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/|?*').strip(" .")
    return (cleaned or "evidence")[:200]


def store(data: BinaryIO) -> tuple[str, int, str]:
    """Copy the upload under a random name; return (stored name, size, sha256)."""
    root = Path(settings.EVIDENCE_ROOT)
    stored = secrets.token_hex(20)
    folder = root / stored[:2]
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    data.seek(0)
    with open(folder / stored, "xb") as target:
        for chunk in iter(lambda: data.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return stored, size, digest.hexdigest()


def path_of(stored_name: str) -> Path:
    return Path(settings.EVIDENCE_ROOT) / stored_name[:2] / stored_name


def discard(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
