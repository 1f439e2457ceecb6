"""The ``verifydemo`` command: verify two photos, build the shipped data, evaluate, benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.core.errors import UnusableInput

EXIT_MATCH, EXIT_NO_MATCH, EXIT_UNUSABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UnusableInput as error:
        print(f"verifydemo: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as error:
        print(
            f"verifydemo: cannot read {error.filename or 'input'}: {error.strerror}",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifydemo", description="A classroom demonstrator of 1:1 face verification."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    verify = commands.add_parser("verify", help="compare the face in an ID photo with a live photo")
    verify.add_argument("id_image", type=Path, metavar="ID_IMAGE")
    verify.add_argument("live_image", type=Path, metavar="LIVE_IMAGE")
    verify.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"match when the distance is at most this (default {DEFAULT_THRESHOLD})",
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(run=_verify)

    demo = commands.add_parser("build-demo-faces", help="rebuild demo_faces/ from the London Set")
    demo.add_argument("london_dir", type=Path, metavar="LONDON_SET_DIR")
    demo.set_defaults(run=_build_demo_faces)

    reference = commands.add_parser(
        "build-reference", help="rebuild the shipped reference embeddings from the London Set"
    )
    reference.add_argument("london_dir", type=Path, metavar="LONDON_SET_DIR")
    reference.add_argument(
        "--workers", type=int, default=None, help="processes (default: all cores)"
    )
    reference.set_defaults(run=_build_reference)

    evaluate = commands.add_parser(
        "evaluate", help="error rates on a folder-per-person image set, a pair list or a score list"
    )
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "directory", type=Path, nargs="?", metavar="DIR", help="one folder of images per person"
    )
    source.add_argument(
        "--scores",
        type=Path,
        metavar="FILE.csv",
        help="a score,label CSV (distance; label 1 genuine, 0 impostor)",
    )
    evaluate.add_argument(
        "--pairs",
        type=Path,
        metavar="FILE",
        help="LFW-style pair list; images under DIR/name/name_NNNN.jpg",
    )
    evaluate.add_argument(
        "--threshold",
        type=_threshold,
        action="append",
        dest="thresholds",
        help=f"report rates here (repeatable; default {DEFAULT_THRESHOLD})",
    )
    evaluate.add_argument(
        "--workers", type=int, default=None, help="processes (default: all cores)"
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument(
        "--plot", type=Path, metavar="FILE.png", help="save the score histograms and the DET curve"
    )
    evaluate.set_defaults(run=_evaluate)

    bench = commands.add_parser("bench", help="measure speed and memory on this machine")
    bench.set_defaults(run=_bench)
    return parser


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 2.0:
        raise argparse.ArgumentTypeError("a distance threshold lies between 0 and 2")
    return value


def _verify(args: argparse.Namespace) -> int:
    from verifydemo.core.faces import face_from_bytes

    faces = {}
    for side, path in (("id", args.id_image), ("live", args.live_image)):
        try:
            _, faces[side] = face_from_bytes(path.read_bytes())
        except UnusableInput as error:
            raise UnusableInput(f"{path}: {error}") from None
    comparison = compare(faces["id"].embedding, faces["live"].embedding, args.threshold)
    report = {
        "distance": round(comparison.distance, 4),
        "threshold": comparison.threshold,
        "decision": "match" if comparison.is_match else "no match",
        "faces_found": {"id": faces["id"].face_count, "live": faces["live"].face_count},
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"distance:    {report['distance']:.4f}")
        print(f"threshold:   {comparison.threshold:g}")
        print(f"decision:    {report['decision']}")
        print(
            f"faces found: ID photo {faces['id'].face_count}, live photo {faces['live'].face_count}"
        )
    return EXIT_MATCH if comparison.is_match else EXIT_NO_MATCH


def _build_demo_faces(args: argparse.Namespace) -> int:
    from verifydemo.datasets.demo_faces import DEMO_FACES_DIR, build_demo_faces

    chosen = build_demo_faces(args.london_dir)
    print(f"wrote {len(chosen)} people to {DEMO_FACES_DIR}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from verifydemo.tools.bench import run

    run(lambda line: print(line, flush=True))
    return 0


def _build_reference(args: argparse.Namespace) -> int:
    from verifydemo.datasets.reference import REFERENCE_FILE, build_reference

    reference = build_reference(
        args.london_dir, workers=args.workers, on_progress=_progress("photos")
    )
    for key in reference.scenario_keys:
        side, name = key.split("/")
        missing = reference.failures_to_acquire(side, name)
        print(
            f"{key:12} no face found for {len(missing)} of {len(reference.person_ids)}"
            + (f": {', '.join(missing)}" if missing else "")
        )
    print(f"wrote {REFERENCE_FILE}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from verifydemo.metrics import evaluation

    if args.scores is not None:
        if args.pairs is not None:
            raise UnusableInput("--pairs goes with DIR, not with --scores")
        scored = evaluation.read_scores_csv(args.scores)
    else:
        if not args.directory.is_dir():
            raise UnusableInput(f"{args.directory} is not a folder")
        pairs = (
            evaluation.lfw_pairs(args.pairs, args.directory)
            if args.pairs is not None
            else evaluation.folder_pairs(args.directory)
        )
        scored = evaluation.score_pairs(pairs, args.workers, _progress("images"))
    thresholds = args.thresholds or [DEFAULT_THRESHOLD]
    report = evaluation.evaluate(scored, thresholds)
    if args.plot is not None:
        _plot(scored.scores, thresholds[0], args.plot)
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        _print_evaluation(report, scored.failed)
    return 0


def _print_evaluation(report, failed: tuple[Path, ...]) -> None:
    from verifydemo.metrics.evaluation import RATE_NAMES

    scores = report.scores
    print(f"pairs: {len(scores.genuine)} genuine, {len(scores.impostor)} impostor")
    if report.people is None:
        print(
            "people: not known (add id_a,id_b columns naming the two people), so the intervals "
            "treat pairs as independent and are too narrow when people recur"
        )
    else:
        print(f"people: {report.people}")
    print(
        f"failures to acquire: {report.failed_images} images without a usable face; "
        f"{scores.genuine_fta} genuine and {scores.impostor_fta} impostor pairs not compared"
    )
    for path in failed:
        print(f"  no face: {path}")
    for rates in report.at_thresholds:
        print(f"at threshold {rates.threshold:.3f}:")
        for name in RATE_NAMES:
            rate = getattr(rates, name)
            print(f"  {name.upper():5} {rate.value:7.2%}  {rate.describe()}")
    print(report.eer.describe())
    impostors = len(scores.impostor)
    for target, threshold in report.threshold_for_fmr.items():
        caveat = (
            f" (not measurable with {impostors} impostor pairs)" if target * impostors < 1 else ""
        )
        print(f"threshold for FMR <= {target:.1%}: {threshold:.3f}{caveat}")


def _plot(scores, threshold: float, path: Path) -> None:
    import vl_convert

    from verifydemo.metrics.error_rates import equal_error_rate, error_rates
    from verifydemo.pictures.charts import ErrorRateCharts, stacked

    charts = ErrorRateCharts.of(scores).at(error_rates(scores, threshold), equal_error_rate(scores))
    path.write_bytes(vl_convert.vegalite_to_png(stacked(*charts), scale=1.5))
    print(f"saved {path}", file=sys.stderr)


def _progress(noun: str):
    """A one-line progress bar on stderr."""

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
