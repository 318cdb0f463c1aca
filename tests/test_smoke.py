import pytest


@pytest.mark.django_db
def test_home_page_is_arabic_and_right_to_left(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b'lang="ar" dir="rtl"' in resp.content
