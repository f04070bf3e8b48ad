"""Links reversed once where they were reversed many times: in long lists
(once per list instead of once per row), and a page in every language (its
path resolved once instead of once per language).

`reverse()` walks the URL patterns each time (about 0.1 ms): a list of 50
rows, each linking to its own page, spent more time reversing the same
pattern than rendering the rows (bench/README.md, issue 18). An `IdPath`
reverses its view once with a stand-in id and puts each row's id in its
place: the same path `reverse(view_name, args=[pk])` gives, in the
language active when it was made."""

from collections.abc import Callable
from urllib.parse import unquote, urlsplit, urlunsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import override

# An id no row has yet, made of digits so that an <int:pk> converter takes it.
_STAND_IN = 987654321987654321


class IdPath:
    """The path of `view_name` for any id: `IdPath("matching:opening").of(pk)`
    (in a template, `{{ opening_path|with_id:pk }}`)."""

    def __init__(self, view_name: str) -> None:
        path = reverse(view_name, args=[_STAND_IN])
        before, found, after = path.partition(str(_STAND_IN))
        if not found or str(_STAND_IN) in after:
            raise ValueError(f"{view_name}: the id is not in its path once")
        self._before, self._after = before, after

    def of(self, pk: int) -> str:
        return f"{self._before}{int(pk)}{self._after}"


def translations_of(url: str) -> Callable[[str], str]:
    """Django's `translate_url` for one URL in many languages: the path is
    resolved once (in the page's language, as `translate_url` does), then
    reversed in each language; the URL as it is where that fails."""
    parsed = urlsplit(url)
    try:
        match = resolve(unquote(parsed.path))
    except Resolver404:
        return lambda code: url
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name

    def url_for(code: str) -> str:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return url
        return urlunsplit((parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment))

    return url_for
