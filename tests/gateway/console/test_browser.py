"""The console's main flows in headless Chromium against a real gateway on a loopback port:
sign in, manage credentials, browse and search a gallery, compare two photos, read an ID card,
sign out. Slow: the face and OCR models load on the first calls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow

OBAMA, OBAMA_2 = "faces/barack_obama/obama.jpg", "faces/barack_obama/obama2.jpg"
JOLIE, JOLIE_2 = "faces/angelina_jolie/img1.jpg", "faces/angelina_jolie/img2.jpg"
MUSK = "faces/elon_musk/img18.jpg"
CARDS = "id_documents/cn_id_card"


def signed_in(page: Any, gateway: dict[str, Any]) -> Any:
    page.goto(gateway["url"] + "/console")
    assert page.url.endswith("/console/login")
    page.fill("input[name=username]", gateway["admin"]["username"])
    page.fill("input[name=password]", gateway["admin"]["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/console")
    return page


def test_a_wrong_password_stays_on_the_sign_in_page(page, console_gateway):
    page.goto(console_gateway["url"] + "/console/login")
    page.fill("input[name=username]", console_gateway["admin"]["username"])
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.inner_text("[role=alert]")
    assert page.context.cookies() == []


def test_the_overview_shows_readiness_and_the_calls_and_jobs_sections(page, console_gateway):
    signed_in(page, console_gateway)
    assert "Readiness" in page.inner_text("#readiness")
    assert page.locator("#jobs").is_visible() and page.locator("#calls").is_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "idfacade_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"


def test_a_credential_is_added_shown_once_listed_and_revoked(page, console_gateway):
    signed_in(page, console_gateway)
    page.click("text=Credentials")
    page.select_option("select[name=vendor]", "sensetime")
    page.fill("input[name=name]", "browser_user")
    page.click("form[action='/console/credentials'] button[type=submit]")
    secret = page.inner_text("#shown .secret")
    password = re.search(r"password: (\S+)", secret).group(1)
    # the shown password signs in to SenseTime's own login
    login = httpx.post(
        console_gateway["url"] + "/guns/mgr/login",
        json={"username": "browser_user", "password": password, "accountType": "2"},
    )
    assert login.json()["success"] is True
    page.goto(console_gateway["url"] + "/console/credentials")
    table = page.inner_text("#credentials")
    assert "browser_user" in table and password not in page.content()
    page.click("button[aria-label='revoke sensetime browser_user']")
    page.wait_for_url("**/console/credentials")
    assert "browser_user" not in page.inner_text("#credentials")


def test_a_gallery_is_browsed_and_searched_with_a_photo(page, console_gateway, shared_data):
    url = console_gateway["url"]
    db = "browserdb"
    with httpx.Client(base_url=url, timeout=120) as api:
        assert (
            api.post("/ssid-feature/v2/addDb", data={"dbName": db, "maxSize": "10"}).json()["code"]
            == "0000"
        )
        for person, rel in (("obama", OBAMA), ("jolie", JOLIE), ("musk", MUSK)):
            reply = api.post(
                "/ssid-feature/v2/insertByImage",
                data={"dbId": db, "externalUuid": person},
                files={"file": (Path(rel).name, (shared_data / rel).read_bytes(), "image/jpeg")},
            ).json()
            assert reply["code"] == "0000", reply
    signed_in(page, console_gateway)
    page.click("text=Galleries")
    row = page.locator("#collections tr", has_text=db)
    assert row.locator("td").nth(3).inner_text() == "3"
    row.locator("a").click()
    assert page.locator("#items img.thumb").count() == 3
    page.set_input_files("input[name=photo]", str(shared_data / OBAMA_2))
    page.click("#search button[type=submit]")
    matches = page.locator("#matches tr")
    first = matches.nth(1)
    assert "obama" in first.inner_text()
    assert first.locator("img.thumb").count() == 1  # the kept image of the match
    scores = [float(c) for c in page.locator("#matches td.scaled").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


def test_a_comparison_tells_the_same_person_from_another(page, console_gateway, shared_data):
    signed_in(page, console_gateway)
    page.click("text=Try it")
    for other, verdict in ((JOLIE_2, "same person"), (MUSK, "different people")):
        page.set_input_files("input[name=first]", str(shared_data / JOLIE))
        page.set_input_files("input[name=second]", str(shared_data / other))
        page.click("#compare button[type=submit]")
        assert page.inner_text("#comparison .verdict") == verdict


def test_an_id_card_is_read_from_the_browser(page, console_gateway, shared_data):
    truth = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))
    card = truth[0]
    signed_in(page, console_gateway)
    page.goto(console_gateway["url"] + "/console/try")
    page.set_input_files("input[name=card]", str(shared_data / CARDS / card["files"]["front"]))
    page.click("#idcard button[type=submit]")
    assert page.inner_text("#side") == "front"
    assert page.inner_text("td[data-field=name]") == card["name"]
    assert page.inner_text("td[data-field=id_number]") == card["id_number"]


def test_signing_out_returns_to_the_sign_in_page(page, console_gateway):
    signed_in(page, console_gateway)
    page.click("header button[type=submit]")
    page.wait_for_url("**/console/login")
    page.goto(console_gateway["url"] + "/console/galleries")
    assert page.url.endswith("/console/login")
