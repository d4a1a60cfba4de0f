import pytest


@pytest.mark.django_db
def test_openapi_schema_lists_the_area_endpoints(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/gebieden/buurten" in paths
    assert "/api/v1/gebieden/buurten/{code}" in paths


@pytest.mark.django_db
def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html


@pytest.mark.django_db
def test_api_without_authentication_answers_401_with_a_dutch_message(client):
    response = client.get("/api/v1/gebieden/gemeenten")

    assert response.status_code == 401
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["header", "Authorization"]
    assert detail[0]["msg"]
