"""The ``verifydemo`` command: verify two photos, build the shipped data, evaluate, benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from verifydemo.compare import DEFAULT_THRESHOLD, compare
from verifydemo.errors import UnusableInput

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
    from verifydemo.faces import face_from_bytes

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
    from verifydemo.demo_faces import DEMO_FACES_DIR, build_demo_faces

    chosen = build_demo_faces(args.london_dir)
    print(f"wrote {len(chosen)} people to {DEMO_FACES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
