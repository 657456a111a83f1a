"""The members of a ZIP container (DOCX, OFD) → refused when they would unpack past the reader's limits.

One check for every container format, made on the central directory before any member is unpacked: the declared
unpacked sizes (``reader.max_unzipped_bytes``) and the member count (``reader.max_archive_members``).
"""

from __future__ import annotations

import zipfile

from ..errors import NianbaoError
from ..settings import ReaderSettings


def refuse_zip_bomb(members: list[zipfile.ZipInfo], path: str, limits: ReaderSettings) -> None:
    """Raise a NianbaoError naming the file when the members would unpack past the limits (a zip bomb)."""
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unzipped_bytes or len(members) > limits.max_archive_members:
        raise NianbaoError(path, "zip_bomb", f"the archive would unpack to {unpacked} bytes in {len(members)} "
                                             f"members, over the limit (reader.max_unzipped_bytes = "
                                             f"{limits.max_unzipped_bytes}, reader.max_archive_members = "
                                             f"{limits.max_archive_members})")
