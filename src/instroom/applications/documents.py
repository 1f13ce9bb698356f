"""Which kind of document an upload really is, judged by its content, never by its name."""

import io
import zipfile

from .constants import MotivationFileType

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def detect_document_type(data: bytes) -> str | None:
    """PDF, DOCX or ODT by their bytes; None for anything else (including renamed files)."""
    if data.startswith(b"%PDF-"):
        return MotivationFileType.PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return MotivationFileType.ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return MotivationFileType.DOCX
    except (zipfile.BadZipFile, KeyError, RuntimeError):
        return None
    return None
