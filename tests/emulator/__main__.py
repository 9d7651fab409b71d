"""CLI: python -m tests.emulator [--host H] [--port P] [--state-dir DIR] [--latency-ms N] [--incidents N]"""

import argparse
import sys

from . import data
from .server import run

DEFAULT_INCIDENTS = data.GENERATED + 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.emulator",
        description="Local HTTPS stand-in for Microsoft Graph security incidents and Entra ID.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--state-dir", default=".emulator",
                        help="where ca.pem, certificates, emulator.json and emulator.env go")
    parser.add_argument("--latency-ms", type=int, default=0,
                        help="delay added to every Graph and Entra request (default 0)")
    parser.add_argument("--incidents", type=int, default=DEFAULT_INCIDENTS,
                        help=f"size of the dataset, at least {DEFAULT_INCIDENTS} (default {DEFAULT_INCIDENTS}:"
                             f" incident {data.SEED_ID} and {data.GENERATED} generated ones)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if args.incidents != DEFAULT_INCIDENTS:
        try:
            data.resize(args.incidents)
        except ValueError as exc:
            parser.error(f"--incidents: {exc}")
    try:
        run(args.host, args.port, args.state_dir, args.latency_ms, args.verbose)
    except KeyboardInterrupt:  # a signal before serving started
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
