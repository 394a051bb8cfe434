"""The ``scanner`` command line: a thin shell over the library.

Every command parses its options, calls one library function and prints a short summary. Errors the user
can fix (:class:`scanner.errors.ScannerError`, bad usage) print one line and exit 1; anything unexpected
prints one line and exits 2 (set ``SCANNER_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback

import click

from .. import __version__
from ..errors import ScannerError


class ScannerGroup(click.Group):
    """A click group that maps errors to one line and the exit codes of the CLI contract."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            code = 1
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.ClickException as exc:  # usage errors, bad parameters, missing files
            exc.show()
            code = 1 if isinstance(exc, click.UsageError) else max(exc.exit_code, 1)
        except ScannerError as exc:
            click.echo(f"error: {exc}", err=True)
            code = exc.exit_code
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            code = 130
        except BrokenPipeError:
            code = 1
        except Exception as exc:  # noqa: BLE001 - the contract: one line, exit 2
            if os.environ.get("SCANNER_DEBUG"):
                traceback.print_exc()
            msg = " ".join(str(exc).split())
            click.echo(
                f"internal error: {type(exc).__name__}: {msg} (set SCANNER_DEBUG=1 for details, and please "
                "report it)",
                err=True,
            )
            code = 2
        else:
            code = rv if isinstance(rv, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(cls=ScannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scanner")
def cli() -> None:
    """Find the listings likely to draw a trademark (IP) complaint, before the complaint arrives.

    Start with `scanner scan LISTINGS... --out report.xlsx`; see `scanner COMMAND --help`.
    """


def _register() -> None:
    from .corpus import corpus
    from .history import decisions, diff, history
    from .model import evaluate, train
    from .notices import notices
    from .profile import profile
    from .scan import scan

    for command in (scan, corpus, profile, train, evaluate, history, diff, decisions, notices):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point (and ``python -m scanner``)."""
    code = cli.main(prog_name="scanner", standalone_mode=False)
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """End the process with ``code`` without tearing the interpreter down object by object: the ``atexit``
    handlers run (temporary folders, logging, worker processes) and the output streams are flushed, then
    ``os._exit``. After a register-scale scan the teardown freed its tables for ~0.6 s after the last line.
    Every output file is closed by then; with another thread still running, the normal exit (which waits
    for it) is taken instead."""
    import atexit
    import threading

    if any(t is not threading.main_thread() and t.is_alive() and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe ("scanner ... | head"), a closed stream
            stream.flush()
    os._exit(code)
