"""Secret files are created with their final permissions: never world-readable, even for a moment."""

from __future__ import annotations

import os
import stat

import pytest

from cadre import settings as settings_mod


def test_a_secret_file_is_born_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)  # the most permissive umask a shell could have
    try:
        settings_mod.write_secret(tmp_path / "key", "s3cret\n")
        key = settings_mod.pseudonym_key(settings_mod.load({"CADRE_HOME": str(tmp_path / "home")}), env={})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "home" / "pseudonym.key").stat().st_mode) == 0o600
    assert len(key) == 64
    with pytest.raises(FileExistsError):  # never overwrites a secret
        settings_mod.write_secret(tmp_path / "key", "other\n")
    assert (tmp_path / "key").read_text() == "s3cret\n"
