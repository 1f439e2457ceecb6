"""Take it away: charts as PNG and CSV, and a printable worksheet with the numbers on screen."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pandas as pd
import pytest

from browser import IDLE
from support import new_app, speaking
from verifydemo.core.compare import compare
from verifydemo.lessons.worksheet import WorksheetFigures, worksheet_html
from verifydemo.metrics.bootstrap import LabelledScores, with_people
from verifydemo.metrics.error_rates import Rate, equal_error_rate, error_rates, significant
from verifydemo.pictures.charts import (
    distance_marks,
    distance_scale,
    filled,
    score_distributions_template,
)
from verifydemo.pictures.png import chart_png
from verifydemo.ui.takeaway import chart_csv, png_ready


def opens_as_png(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "not a PNG OpenCV can open"
    return image


def test_distance_scale_saves_as_png_and_csv_with_its_numbers():
    comparison = compare(np.zeros(128), np.full(128, 0.04), 0.55)
    spec = distance_scale(comparison)
    image = opens_as_png(chart_png(png_ready(spec)))
    assert image.shape[1] >= 700 and image.std() > 5
    table = pd.read_csv(io.BytesIO(chart_csv(spec)), encoding="utf-8-sig")
    assert "dataset" in table.columns
    assert np.isclose(table.select_dtypes("number").to_numpy(), 0.55).any()
    assert np.isclose(table.select_dtypes("number").to_numpy(), comparison.distance).any()


def test_histogram_csv_holds_every_bin_and_the_threshold(reference):
    scores = reference.pair_scores("studio", "studio").score_set()
    spec = filled(score_distributions_template(scores), marks=distance_marks(0.6, None))
    text = chart_csv(spec).decode("utf-8-sig")
    assert "0000000" not in text and "9999999" not in text, "clean values"
    table = pd.read_csv(io.StringIO(text))
    assert table["pairs"].sum() == len(scores.genuine) + len(scores.impostor)
    assert (table["value"] == 0.6).any()
    opens_as_png(chart_png(png_ready(spec)))


def worksheet_for(reference, threshold: float = 0.6, **extra) -> str:
    scores = reference.pair_scores("chip", "studio").score_set()
    figures = WorksheetFigures(
        threshold=threshold,
        id_scenario="chip",
        live_scenario="studio",
        rates=error_rates(scores, threshold),
        eer=equal_error_rate(scores),
        **extra,
    )
    return worksheet_html(figures)


def test_worksheet_quotes_the_numbers_on_screen_and_prints_on_one_page(reference):
    rates = error_rates(reference.pair_scores("chip", "studio").score_set(), 0.55)
    page = worksheet_for(
        reference, 0.55, pair_distance=0.4123, class_fmr=Rate(2, 14), class_fnmr=Rate(1, 15)
    )
    assert f"{rates.fmr.errors:,} of {rates.fmr.trials:,} impostor pairs" in page
    assert f"{rates.fnmr.errors:,} of {rates.fnmr.trials:,} genuine pairs" in page
    assert "threshold 0.55" in page.lower()
    assert "0.412" in page and "2 of 14" in page and "1 of 15" in page
    assert "“chip”" in page
    assert "@page { size: A4" in page
    assert page.count("<li>") == 8


def test_worksheet_quotes_the_interval_the_page_leads_with_and_asks_who_was_rejected_only_if_any(
    reference,
):
    pairs = reference.pair_scores("studio", "studio")
    rates = with_people(
        error_rates(pairs.score_set(), 0.6), LabelledScores.from_matrix(pairs.distances)
    )
    assert rates.fnmr.errors == 0
    page = worksheet_html(
        WorksheetFigures(0.6, "studio", "studio", rates, equal_error_rate(pairs.score_set()))
    )
    low, high = rates.fmr.people_interval
    assert f"95% interval {significant(low)} to {significant(high)})" in page
    assert "Who are these people" not in page
    assert "None of the 102 genuine pairs was rejected" in page


def test_worksheet_without_a_check_or_a_class_asks_fewer_questions(reference):
    assert worksheet_for(reference).count("<li>") == 6


def test_worksheet_in_chinese(reference):
    with speaking("zh"):
        page = worksheet_for(reference)
    assert 'lang="zh-CN"' in page
    assert "阈值" in page


@pytest.mark.browser
@pytest.mark.slow
def test_png_csv_and_worksheet_downloads_open(page_server, chromium):
    page = chromium.plain.new_context(
        viewport={"width": 1400, "height": 2000}, accept_downloads=True
    ).new_page()
    page.goto(page_server.url)
    page.wait_for_selector(IDLE, timeout=120_000)
    saved = {}
    for key in ("png_distance_scale", "csv_distance_scale", "png_embeddings"):
        with page.expect_download(timeout=60_000) as download:
            page.locator(f".st-key-{key} button").first.click()
        saved[key] = download.value.path().read_bytes()
    page.get_by_role("tab", name="Class experiment").click()
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-worksheet button").first.click()
    worksheet = download.value.path().read_text(encoding="utf-8")
    opens_as_png(saved["png_distance_scale"])
    opens_as_png(saved["png_embeddings"])
    table = pd.read_csv(io.BytesIO(saved["csv_distance_scale"]), encoding="utf-8-sig")
    assert np.isclose(table.select_dtypes("number").to_numpy(), 0.6).any()
    assert "<ol>" in worksheet and "impostor pairs" in worksheet and "@page" in worksheet


@pytest.mark.slow
def test_a_download_address_cannot_be_rebuilt_from_the_numbers_on_screen():
    """Two sessions show the same numbers, yet their worksheets have different addresses: the
    session's random tag is part of the file name, which Streamlit hashes into the address."""
    addresses = set()
    for _ in range(2):
        page = new_app({"tab": "class"})
        (worksheet,) = [b for b in page.get("download_button") if b.proto.id.endswith("worksheet")]
        assert worksheet.proto.url.endswith(".html")
        addresses.add(worksheet.proto.url)
    assert len(addresses) == 2


def test_a_png_carries_its_title_and_a_csv_one_row_per_comparison(reference):
    from verifydemo.ui.takeaway import distances_table, png_ready, table_csv

    scores = reference.pair_scores("studio", "studio").score_set()
    spec = filled(score_distributions_template(scores), marks=distance_marks(0.6, None))
    title = "Reference set at threshold 0.60: 102 genuine and 10,302 impostor pairs"
    titled = png_ready(spec, title)
    assert titled["title"]["text"] == title and "title" not in spec
    plain, with_title = (opens_as_png(chart_png(s)) for s in (png_ready(spec), titled))
    assert with_title.shape[0] > plain.shape[0], "the title takes its own room"
    table = pd.read_csv(
        io.BytesIO(table_csv(distances_table(scores.genuine, scores.impostor))),
        encoding="utf-8-sig",
    )
    assert list(table.columns) == ["kind", "distance"]
    assert (table["kind"] == "genuine").sum() == len(scores.genuine) == 102
    assert (table["kind"] == "impostor").sum() == len(scores.impostor) == 10_302
    assert np.allclose(np.sort(table["distance"][table["kind"] == "genuine"]), scores.genuine)
