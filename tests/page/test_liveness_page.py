"""The liveness section of the page, through AppTest with the real model: the built-in attack
clips and their verdicts, APCER with counts, and a recording sent to the page exactly as the
browser's recorder sends it (one trigger value of JPEG data URLs)."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState

from page_text import english_words, shown_text
from support import image_bytes, new_app, speaking
from verifydemo.core.decode import decode_image
from verifydemo.datasets.attacks import load_attack_outcomes
from verifydemo.lessons.class_pool import POOL
from verifydemo.lessons.liveness import MOUTH_OPEN_RATIO
from verifydemo.lessons.liveness_clips import ATTACK_NAMES, attack_rates, synthesised_clip
from verifydemo.metrics.error_rates import significant
from verifydemo.ui import keys
from verifydemo.ui.liveness import ATTACK_PERSON, RECORDING_MEMO, Attempt

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")


def with_attacks(page):
    """``page`` with the built-in attacks shown (they are off until asked for)."""
    page.toggle(key=keys.LIVENESS_ATTACKS).set_value(True).run()
    assert not page.exception, page.exception
    return page


@pytest.fixture
def page():
    """A new English page with the built-in attacks shown, for each test: a recording changes
    what the page shows. It is cheap: the clips are measured once per server (this process)."""
    return with_attacks(new_app())


@pytest.fixture(scope="module")
def fake_video(demo_by_id) -> list[str]:
    """The synthesised clip of a demo ID photo as the recorder's JPEG data URLs: it blinks and
    opens its mouth, as a visitor would in front of the camera."""
    frames = synthesised_clip(decode_image(demo_by_id[ATTACK_PERSON].id_photo.read_bytes()))
    return [
        "data:image/jpeg;base64," + base64.b64encode(image_bytes(frame, quality=85)).decode()
        for frame in frames
    ]


def send_recording(page, payload: str) -> None:
    """Send ``payload`` as the recorder's ``clip`` trigger value, the message the browser sends
    when a recording ends, and run the page."""
    recorders = [
        node
        for node in page.get("bidi_component")
        if node.proto.id.endswith(keys.LIVENESS_RECORDER)
    ]
    assert len(recorders) == 1
    states = page._tree.get_widget_states()
    states.widgets.append(
        WidgetState(
            id=_make_trigger_id(recorders[0].proto.id, "events"),
            json_trigger_value=json.dumps([{"event": "clip", "value": payload}]),
        )
    )
    page._run(states)
    assert not page.exception, page.exception


def record(page, challenges: tuple[str, ...], frames: list[str]) -> None:
    """Ask for ``challenges`` (as a new attempt would), then send ``frames`` for each."""
    page.session_state[keys.LIVENESS_ATTEMPT] = Attempt("test-attempt", challenges)
    page.run()
    send_recording(
        page,
        json.dumps(
            {
                "attempt": "test-attempt",
                "frames": [
                    {"challenge": c, "image": image} for c in challenges for image in frames
                ],
            }
        ),
    )


def chart_datasets(chart) -> dict[str, list[dict]]:
    """A Vega-Lite chart's named datasets as rows (Streamlit sends them as Arrow tables)."""
    import pyarrow as pa

    return {
        dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        for dataset in chart.proto.datasets
    }


def attack_summaries(page) -> list[str]:
    return [m.value for m in page.markdown if m.value.startswith("**Beats**")]


def attack_tables(page) -> list[str]:
    return [m.value for m in page.markdown if m.value.startswith("| check |")]


def table_row(table: str, check: str) -> list[str]:
    row = next(line for line in table.splitlines() if line.startswith(f"| {check} |"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_section_renders_with_the_recorder_and_three_attacks(page):
    assert "Liveness detection: a live person, or a picture?" in [h.value for h in page.header]
    subheaders = [h.value for h in page.subheader]
    assert "Try it with your camera" in subheaders
    assert "The attacks, in the order a class meets them" in subheaders
    assert len(page.get("bidi_component")) == 1
    attempt = page.session_state[keys.LIVENESS_ATTEMPT]
    assert 2 <= len(attempt.challenges) <= 3
    assert len(set(attempt.challenges)) == len(attempt.challenges)
    assert len(attack_summaries(page)) == 3
    assert any(f"London Set #{ATTACK_PERSON}" in m.value for m in page.markdown)


def test_printed_photo_held_still_fails_blink_and_mouth(page):
    printed = attack_tables(page)[0]
    for check in ("Blink", "Open your mouth"):
        check_name, action, _flat, accepted, _why = table_row(printed, check)
        assert (action, accepted) == ("no", "no"), check_name
    assert "**Caught by**: Blink, Open your mouth" in attack_summaries(page)[0]


def test_turned_print_fools_a_naive_turn_check_but_not_the_flat_photo_check(page):
    turned = attack_tables(page)[1]
    _check, action, flat, accepted, why = table_row(turned, "Turn your head")
    assert (action, accepted) == ("yes", "no")
    assert flat.startswith("yes (")
    assert (
        "only looks for the action would accept it for: Turn your head"
        in (attack_summaries(page)[1])
    )
    assert "flat picture" in why
    residual = float(re.search(r"\(([\d.]+)%\)", flat).group(1)) / 100
    assert residual < 0.03


def test_synthesised_clip_passes_blink_and_mouth(page):
    synthesised = attack_tables(page)[2]
    for check in ("Blink", "Open your mouth"):
        _name, action, _flat, accepted, _why = table_row(synthesised, check)
        assert (action, accepted) == ("yes", "yes"), check
    assert attack_summaries(page)[2].startswith("**Beats**: Blink, Open your mouth.")
    assert any("crude fake made here" in m.value for m in page.markdown)


def test_apcer_is_shown_per_attack_type_with_the_worst_as_the_headline(page):
    rates = attack_rates(load_attack_outcomes())
    worst = max(rates, key=lambda rate: rate.apcer)
    (apcer,) = [m.value for m in page.markdown if m.value.startswith("**APCER of this page")]
    assert apcer.startswith(f"**APCER of this page's check: {significant(worst.apcer)}**")
    assert "all 24 demo volunteers" in apcer
    for rate in rates:
        assert (
            f"**{ATTACK_NAMES[rate.attack]}**: {significant(rate.apcer)} (95% interval "
            f"{significant(rate.interval[0])} to {significant(rate.interval[1])})" in apcer
        )
    assert "All checks together" not in apcer, "attack types are never pooled"
    assert any("BPCER" in info.value and "live people" in info.value for info in page.info)


def test_a_recording_gets_a_verdict_per_challenge_and_its_traces(page, fake_video):
    record(page, ("blink", "mouth"), fake_video)
    shown = [m.value for m in page.markdown]
    assert "**Blink: passed.** Blink seen, with the same face in view." in shown
    assert any(text.startswith("**Open your mouth: passed.**") for text in shown)
    assert any(s.value.startswith("**Accepted as a live person**") for s in page.success)
    (folded,) = [e for e in page.expander if e.label == "The frames and traces of every challenge"]
    traces = [chart_datasets(chart) for chart in folded.get("vega_lite_chart")]
    assert len(traces) == 2, "each recorded challenge's traces, folded"
    charts = [chart_datasets(chart) for chart in page.get("vega_lite_chart")]
    recorded = [data for data in charts if "mouth_values" in data][:3]
    assert recorded[1:] == traces, "one trace chart before the folded ones: the summary"
    assert recorded[0] == traces[0], "every challenge passed: the summary is the first's"
    recorded_mouth = traces[1]["mouth_values"]
    assert len(recorded_mouth) == len(fake_video)
    assert max(row["value"] for row in recorded_mouth) > MOUTH_OPEN_RATIO
    assert traces[1]["mouth_rules"][0]["value"] == MOUTH_OPEN_RATIO
    assert page.session_state[keys.LIVENESS_ATTEMPT].attempt_id != "test-attempt"


def test_a_turn_asked_of_a_clip_that_never_turns_is_not_passed(page, fake_video):
    record(page, ("turn", "blink"), fake_video[:20])
    assert any(
        w.value.startswith("**Not accepted as a live person**: 1 of 2") for w in page.warning
    )
    assert any(
        m.value.startswith("**Turn your head: not passed.** No head turn") for m in page.markdown
    )


def test_a_garbled_or_stale_recording_gets_one_line_and_the_page_goes_on(page, fake_video):
    huge = (
        "data:image/jpeg;base64,"
        + base64.b64encode(
            image_bytes(np.full((2000, 2000, 3), 128, np.uint8), quality=50)
        ).decode()
    )
    page.session_state[keys.LIVENESS_ATTEMPT] = Attempt("current", ("blink", "mouth"))
    page.run()
    for payload, message in (
        ("not json", "The recording could not be read"),
        (json.dumps({"attempt": "old", "frames": []}), "earlier attempt"),
        (
            json.dumps({"attempt": "current", "frames": [{"challenge": "blink", "image": "x"}]}),
            "not a JPEG image",
        ),
        (
            json.dumps(
                {
                    "attempt": "current",
                    "frames": [{"challenge": "blink", "image": huge} for _ in range(5)]
                    + [{"challenge": "mouth", "image": huge} for _ in range(5)],
                }
            ),
            "over the limit of 1 megapixels",
        ),
    ):
        send_recording(page, payload)
        errors = [error.value for error in page.error]
        assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0], errors
    assert len(attack_summaries(page)) == 3


def test_forget_my_photos_drops_the_recording(fake_video):
    page = new_app()
    record(page, ("blink", "mouth"), fake_video)
    memo = page.session_state[keys.MEMO]
    assert memo.get(RECORDING_MEMO)
    page.button(key=keys.FORGET).click().run()
    memo = page.session_state[keys.MEMO] if keys.MEMO in page.session_state else {}  # noqa: SIM401 (AppTest's state has no .get)
    assert RECORDING_MEMO not in memo
    assert not any(m.value.startswith("**Blink: passed.**") for m in page.markdown)
    assert not page.success or not any("live person" in s.value for s in page.success)


def test_the_attacks_wait_until_asked_for_so_the_first_view_stays_quick():
    first = new_app()
    assert not attack_summaries(first)
    assert any("built-in attacks" in toggle.label for toggle in first.toggle)


def test_a_live_attempt_goes_to_the_class_pool_once_as_numbers(fake_video):
    POOL.clear()
    try:
        page = new_app()
        record(page, ("blink", "turn"), fake_video)
        page.button(key=keys.LIVENESS_ADD).click().run()
        (entry,) = POOL.liveness_entries()
        assert entry.challenges == ("blink", "turn")
        assert entry.passed == (True, False), "the fake blinks but does not turn"
        assert any("class BPCER" in s.value for s in page.success)
        page.run()
        assert not [b for b in page.button if b.key == keys.LIVENESS_ADD], "one per device"
        record(page, ("blink", "mouth"), fake_video)
        own = [c.value for c in page.caption if "of your attempts in this session" in c.value]
        assert own and own[0].startswith("1 of 2 of your attempts"), "the turn was refused"
    finally:
        POOL.clear()


def test_chinese_page_has_the_section_translated():
    page = new_app(query={"lang": "zh"})
    with speaking("zh"):
        with_attacks(page)
    headers = [h.value for h in page.header]
    section = next(h for h in headers if "活体检测" in h)
    assert CJK.search(section)
    assert all(CJK.search(h.value) for h in page.subheader)
    summaries = [m.value for m in page.markdown if "APCER" in m.value]
    assert summaries and all(CJK.search(text) for text in summaries)
    leftover = english_words(shown_text(page))
    assert leftover == set(), sorted(leftover)
