"""Links in long lists, reversed once per list instead of once per row.

`reverse()` walks the URL patterns each time (about 0.1 ms): a list of 50
rows, each linking to its own page, spent more time reversing the same
pattern than rendering the rows (bench/README.md, issue 18). An `IdPath`
reverses its view once with a stand-in id and puts each row's id in its
place: the same path `reverse(view_name, args=[pk])` gives, in the
language active when it was made."""

from django.urls import reverse

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
