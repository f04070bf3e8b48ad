import pytest
from django.urls import reverse


@pytest.mark.parametrize("persona", ["coordinator", "privacy_officer", "support"])
def test_dashboard_renders(persona, persona_client):
    response = persona_client(persona).get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    print(response.content.decode()[:200])
