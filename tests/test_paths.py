"""config.paths.IdPath: the same path reverse() gives, for any id and language."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from config.paths import IdPath


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
@pytest.mark.parametrize("view_name", ["matching:employer_application", "matching:opening"])
def test_an_id_path_is_what_reverse_gives(view_name, language):
    with override(language):
        path = IdPath(view_name)
        for pk in (1, 42, 987654321):
            assert path.of(pk) == reverse(view_name, args=[pk])


def test_a_view_without_an_id_is_refused():
    with pytest.raises(Exception):  # noqa: B017, PT011 - NoReverseMatch or ValueError, both refuse
        IdPath("matching:board")
