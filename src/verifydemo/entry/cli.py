"""The ``verifydemo`` command: verify two photos, build the shipped data, evaluate, benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import _, language_of_environment, set_language
from verifydemo.lessons.liveness import CHALLENGES
from verifydemo.metrics.error_rates import Rate
from verifydemo.metrics.score_shares import ScoreShares

EXIT_MATCH, EXIT_NO_MATCH, EXIT_UNUSABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Run one command in the language of the environment (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``); ``--json`` output stays English."""
    set_language(language_of_environment())
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UnusableInput as error:
        print(_("verifydemo: {error}", error=error), file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as error:
        message = (
            _(
                "verifydemo: cannot read {file}: {reason}",
                file=error.filename,
                reason=error.strerror,
            )
            if error.filename
            else _("verifydemo: cannot read input: {reason}", reason=error.strerror)
        )
        print(message, file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifydemo", description=_("A classroom demonstrator of 1:1 face verification.")
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    verify = commands.add_parser(
        "verify", help=_("compare the face in an ID photo with a live photo")
    )
    verify.add_argument("id_image", type=Path, metavar="ID_IMAGE")
    verify.add_argument("live_image", type=Path, metavar="LIVE_IMAGE")
    verify.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=_(
            "match when the distance is at most this (default {threshold})",
            threshold=DEFAULT_THRESHOLD,
        ),
    )
    verify.add_argument("--json", action="store_true", help=_("print one JSON object"))
    verify.set_defaults(run=_verify)

    demo = commands.add_parser(
        "build-demo-faces", help=_("rebuild demo_faces/ from the London Set")
    )
    demo.add_argument("london_dir", type=Path, metavar="LONDON_SET_DIR")
    demo.set_defaults(run=_build_demo_faces)

    reference = commands.add_parser(
        "build-reference", help=_("rebuild the shipped reference embeddings from the London Set")
    )
    reference.add_argument("london_dir", type=Path, metavar="LONDON_SET_DIR")
    reference.add_argument(
        "--workers", type=int, default=None, help=_("processes (default: all cores)")
    )
    reference.set_defaults(run=_build_reference)

    evaluate = commands.add_parser(
        "evaluate",
        help=_("error rates on a folder-per-person image set, a pair list or a score list"),
    )
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "directory",
        type=Path,
        nargs="?",
        metavar="DIR",
        help=_("one folder of images per person"),
    )
    source.add_argument(
        "--scores",
        type=Path,
        metavar="FILE.csv",
        help=_("a score,label CSV (distance; label 1 genuine, 0 impostor)"),
    )
    evaluate.add_argument(
        "--pairs",
        type=Path,
        metavar="FILE",
        help=_("LFW-style pair list; images under DIR/name/name_NNNN.jpg"),
    )
    evaluate.add_argument(
        "--threshold",
        type=_threshold,
        action="append",
        dest="thresholds",
        help=_("report rates here (repeatable; default {threshold})", threshold=DEFAULT_THRESHOLD),
    )
    evaluate.add_argument(
        "--workers", type=int, default=None, help=_("processes (default: all cores)")
    )
    evaluate.add_argument("--json", action="store_true", help=_("print one JSON object"))
    evaluate.add_argument(
        "--plot",
        type=Path,
        metavar="FILE.png",
        help=_("save the score histograms and the DET curve"),
    )
    evaluate.set_defaults(run=_evaluate)

    liveness = commands.add_parser(
        "liveness", help=_("check a clip (frames in order, or one video) for a liveness action")
    )
    liveness.add_argument("clip", type=Path, nargs="+", metavar="FRAME_OR_VIDEO")
    liveness.add_argument("--challenge", required=True, choices=CHALLENGES)
    liveness.add_argument("--json", action="store_true", help=_("print one JSON object"))
    liveness.set_defaults(run=_liveness)

    report = commands.add_parser(
        "report", help=_("print the figures the docs quote, computed from the shipped data")
    )
    report.add_argument(
        "--write",
        type=Path,
        metavar="FILE.md",
        help=_("rewrite the report blocks in this Markdown file instead"),
    )
    report.set_defaults(run=_report)

    bench = commands.add_parser("bench", help=_("measure speed and memory on this machine"))
    bench.add_argument(
        "--quick",
        action="store_true",
        help=_(
            "compute every figure once from the smallest inputs (checks the command; not for "
            "comparison)"
        ),
    )
    bench.set_defaults(run=_bench)

    classroom = commands.add_parser(
        "classroom", help=_("serve the page to a room's own devices over HTTPS, with a QR code")
    )
    classroom.add_argument(
        "--host",
        metavar="ADDRESS",
        help=_("address to serve on (default: this computer's local-network address)"),
    )
    classroom.add_argument(
        "--port", type=int, default=8501, metavar="N", help=_("port (default 8501)")
    )
    classroom.set_defaults(run=_classroom)
    return parser


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {text!r}", text=text)) from None
    if not 0.0 <= value <= 2.0:
        raise argparse.ArgumentTypeError(_("a distance threshold lies between 0 and 2"))
    return value


def _verify(args: argparse.Namespace) -> int:
    from verifydemo.core.faces import face_from_bytes

    _say_embedder_notice()

    faces = {}
    for side, path in (("id", args.id_image), ("live", args.live_image)):
        try:
            faces[side] = face_from_bytes(path.read_bytes())[1]
        except UnusableInput as error:
            raise UnusableInput("{path}: {error}", path=path, error=error) from None
    comparison = compare(faces["id"].embedding, faces["live"].embedding, args.threshold)
    shares = _reference_shares(comparison.distance)
    report = {
        "distance": round(comparison.distance, 4),
        "threshold": comparison.threshold,
        "decision": "match" if comparison.is_match else "no match",
        "faces_found": {"id": faces["id"].face_count, "live": faces["live"].face_count},
        "reference_set": {
            "scenario": "studio/studio",
            "impostor_pairs_at_least_this_close": _share(shares.impostors_as_close),
            "genuine_pairs_at_least_this_far": _share(shares.genuine_as_far),
        },
    }
    if args.json:
        print(_json(report))
    else:
        print(_("distance:    {distance:.4f}", distance=report["distance"]))
        print(_("threshold:   {threshold:g}", threshold=comparison.threshold))
        print(_("decision:    match") if comparison.is_match else _("decision:    no match"))
        print(
            _(
                "faces found: ID photo {id_faces}, live photo {live_faces}",
                id_faces=faces["id"].face_count,
                live_faces=faces["live"].face_count,
            )
        )
        impostors = shares.impostors_as_close.describe(_("impostor pairs at least this close"))
        genuine = shares.genuine_as_far.describe(_("genuine pairs at least this far apart"))
        print(_("reference set: {impostors}; {genuine}", impostors=impostors, genuine=genuine))
    return EXIT_MATCH if comparison.is_match else EXIT_NO_MATCH


def _reference_shares(distance: float) -> ScoreShares:
    """How the shipped reference set's studio pairs place ``distance`` (``score_shares``)."""
    from verifydemo.datasets.reference import load_reference
    from verifydemo.metrics.bootstrap import LabelledScores
    from verifydemo.metrics.score_shares import score_shares

    pairs = load_reference().pair_scores()
    return score_shares(pairs.score_set(), LabelledScores.from_matrix(pairs.distances), distance)


def _share(rate: Rate) -> dict:
    """One score share as plain numbers: the count, the total, the share and its interval."""
    return {
        "count": rate.errors,
        "of": rate.trials,
        "share": rate.value,
        "ci95": list(rate.leading_interval),
    }


def _liveness(args: argparse.Namespace) -> int:
    from verifydemo.lessons.liveness import check_challenge, frames_from_files

    result = check_challenge(frames_from_files(args.clip), args.challenge)
    if args.json:
        print(
            _json(
                {
                    "challenge": result.challenge,
                    "passed": result.passed,
                    "flat_photo": result.flat_photo,
                    "frames": result.frames,
                    "frames_with_face": result.frames_with_face,
                    "reason": str(result.reason),
                }
            )
        )
    else:
        print(_("challenge:   {challenge}", challenge=result.challenge))
        print(_("decision:    passed") if result.passed else _("decision:    not passed"))
        print(
            _(
                "faces found: in {found} of {frames} frames",
                found=result.frames_with_face,
                frames=result.frames,
            )
        )
        if result.flat_residual is not None:
            print(
                _(
                    "flat photo:  {verdict} (residual {residual:.1%} of the eye distance)",
                    verdict=_("yes") if result.flat_photo else _("no"),
                    residual=result.flat_residual,
                )
            )
        print(result.reason)
    return EXIT_MATCH if result.passed else EXIT_NO_MATCH


def _build_demo_faces(args: argparse.Namespace) -> int:
    from verifydemo.datasets.demo_faces import DEMO_FACES_DIR, build_demo_faces

    chosen = build_demo_faces(args.london_dir)
    print(_("wrote {count} people to {folder}", count=len(chosen), folder=DEMO_FACES_DIR))
    return 0


def _report(args: argparse.Namespace) -> int:
    from verifydemo.tools import report

    if args.write is None:
        for name, block in report.blocks().items():
            print(f"<!-- report:{name} -->\n{block}<!-- /report -->")
        return 0
    args.write.write_text(report.rewritten(args.write.read_text()))
    print(_("wrote {file}", file=args.write))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from verifydemo.entry.bench import FULL, QUICK, run

    run(lambda line: print(line, flush=True), QUICK if args.quick else FULL)
    return 0


def _classroom(args: argparse.Namespace) -> int:
    from verifydemo.entry.classroom import serve

    return serve(args.host, args.port, lambda line: print(line, flush=True))


def _build_reference(args: argparse.Namespace) -> int:
    """Rebuild the reference and morph sets, print every embedding and pinned figure that
    moved, and pin the new figures: the upgrade path for a library pinned in pyproject.toml."""
    _say_embedder_notice()
    from verifydemo.datasets import figures
    from verifydemo.datasets.attacks import ATTACKS_FILE, build_attack_outcomes
    from verifydemo.datasets.morphs import MORPHS_FILE, build_morphs, load_morphs
    from verifydemo.datasets.reference import REFERENCE_FILE, build_reference, load_reference

    before = load_reference() if REFERENCE_FILE.exists() else None
    before_figures = figures.read_figures() if figures.FIGURES_FILE.exists() else {}
    reference = build_reference(
        args.london_dir, workers=args.workers, on_progress=_progress(_("photos"))
    )
    for key in reference.scenario_keys:
        side, name = key.split("/")
        missing = reference.failures_to_acquire(side, name)
        counts = {"key": key, "missing": len(missing), "people": len(reference.person_ids)}
        print(
            _(
                "{key:12} no face found for {missing} of {people}: {ids}",
                ids=", ".join(missing),
                **counts,
            )
            if missing
            else _("{key:12} no face found for {missing} of {people}", **counts)
        )
    print(_("wrote {file}", file=REFERENCE_FILE))
    old_morphs = load_morphs() if before is not None and MORPHS_FILE.exists() else None
    morphs = build_morphs(args.london_dir, workers=args.workers, on_progress=_progress(_("morphs")))
    counts = {"missing": morphs.no_face, "count": len(morphs.embeddings)}
    print(_("morphs: no face found in {missing} of {count}", **counts))
    print(_("wrote {file}", file=MORPHS_FILE))
    if before is not None:
        for key, move in figures.embedding_moves(before, reference).items():
            print(_("{key:14} embeddings moved by at most {move:.6f}", key=key, move=move))
    if old_morphs is not None:
        move = figures.largest_move(old_morphs.embeddings, morphs.embeddings)
        print(_("{key:14} embeddings moved by at most {move:.6f}", key="morphs", move=move))
    verdicts = build_attack_outcomes(workers=args.workers, on_progress=_progress(_("attack clips")))
    print(_("wrote {file}", file=ATTACKS_FILE))
    after_figures = figures.shipped_figures(reference, morphs, verdicts)
    moved = figures.moved_figures(before_figures, after_figures)
    for line in moved:
        print(f"  {line}")
    print(_("{count} pinned figures moved", count=len(moved)))
    figures.write_figures(after_figures)
    print(_("wrote {file}", file=figures.FIGURES_FILE))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from verifydemo.metrics import evaluation

    if args.scores is not None:
        if args.pairs is not None:
            raise UnusableInput("--pairs goes with DIR, not with --scores")
        scored = evaluation.read_scores_csv(args.scores)
    else:
        if not args.directory.is_dir():
            raise UnusableInput("{folder} is not a folder", folder=args.directory)
        pairs = (
            evaluation.lfw_pairs(args.pairs, args.directory)
            if args.pairs is not None
            else evaluation.folder_pairs(args.directory)
        )
        _say_embedder_notice()
        scored = evaluation.score_pairs(pairs, args.workers, _progress(_("images")))
    thresholds = args.thresholds or [DEFAULT_THRESHOLD]
    report = evaluation.evaluate(scored, thresholds)
    if args.plot is not None:
        _plot(scored.scores, thresholds[0], args.plot)
    if args.json:
        print(_json(report.as_json(), indent=2))
    else:
        _print_evaluation(report, scored.failed)
    return 0


def _print_evaluation(report, failed: tuple[Path, ...]) -> None:
    from verifydemo.metrics.evaluation import RATE_NAMES

    scores = report.scores
    print(
        _(
            "pairs: {genuine} genuine, {impostor} impostor",
            genuine=len(scores.genuine),
            impostor=len(scores.impostor),
        )
    )
    if report.people is None:
        print(
            _(
                "people: not known (add id_a,id_b columns naming the two people), so the "
                "intervals treat pairs as independent and are too narrow when people recur"
            )
        )
    else:
        print(_("people: {people}", people=report.people))
    print(
        _(
            "failures to acquire: {images} images without a usable face; {genuine} genuine and "
            "{impostor} impostor pairs not compared",
            images=report.failed_images,
            genuine=scores.genuine_fta,
            impostor=scores.impostor_fta,
        )
    )
    for path in failed:
        print(_("  no face: {path}", path=path))
    for rates in report.at_thresholds:
        print(_("at threshold {threshold:.3f}:", threshold=rates.threshold))
        for name in RATE_NAMES:
            rate = getattr(rates, name)
            print(f"  {name.upper():5} {rate.value:7.2%}  {rate.describe()}")
    print(report.eer.describe())
    impostors = len(scores.impostor)
    for target, threshold in report.threshold_for_fmr.items():
        values = {"target": target, "threshold": threshold, "impostors": impostors}
        print(
            _(
                "threshold for FMR <= {target:.1%}: {threshold:.3f} (not measurable with "
                "{impostors} impostor pairs)",
                **values,
            )
            if target * impostors < 1
            else _("threshold for FMR <= {target:.1%}: {threshold:.3f}", **values)
        )


def _plot(scores, threshold: float, path: Path) -> None:
    from verifydemo.metrics.error_rates import equal_error_rate, error_rates
    from verifydemo.pictures.charts import ErrorRateCharts, stacked
    from verifydemo.pictures.png import chart_png

    charts = ErrorRateCharts.of(scores).at(error_rates(scores, threshold), equal_error_rate(scores))
    path.write_bytes(chart_png(stacked(*charts), scale=1.5))
    print(_("saved {path}", path=path), file=sys.stderr)


def _json(report: dict, indent: int | None = None) -> str:
    """The one JSON writer of every ``--json``: a numpy number or bool that reaches a report
    is written as the Python one, so no result can turn a verdict into a traceback."""

    def plain(value: object) -> object:
        import numpy as np

        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    return json.dumps(report, indent=indent, default=plain)


def _say_embedder_notice() -> None:
    """One line on stderr when dlib's own, slower network runs instead of its port."""
    from verifydemo.core.faces import embedder_notice

    if notice := embedder_notice():
        print(f"verifydemo: {notice}", file=sys.stderr)


def _progress(noun: str):
    """A one-line progress bar on stderr; ``noun`` comes translated."""

    def report(done: int, total: int) -> None:
        if done != total and done * 30 // total == (done - 1) * 30 // total:
            return
        width = 30
        filled = round(width * done / total)
        end = "\n" if done == total else ""
        print(
            f"\r{noun}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return report


if __name__ == "__main__":
    sys.exit(main())
