from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from accounts.permissions import candidate_required
from profiles.postal import lookup


@candidate_required
@require_safe
def postal_code(request: HttpRequest, code: str) -> JsonResponse:
    """The prefecture and city of a Japanese postal code, for the address
    fields to fill themselves while the person types (static/js/postal-code.js).
    The forms fill them on save too: this is only a convenience."""
    area = lookup(code[:16])
    if area is None:
        raise Http404
    return JsonResponse(
        {
            "postal_code": area.postal_code,
            "prefecture": area.prefecture.pk,
            "prefecture_label": str(area.prefecture.label),
            "city": area.city,
            "town": area.town,
        }
    )
