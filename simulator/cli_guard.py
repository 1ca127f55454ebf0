"""How the ``arsenal`` command ends: exit statuses, one-line errors, and the guard around it.

A user error prints ``error: ...`` and exits 2; Ctrl-C exits 130; a reader that went away
(``arsenal ... | head``) ends it quietly with 141, as SIGPIPE would; anything else is a bug,
reported in one line with the path of a full log (exit 1). Kept apart from the commands so that
each command module (:mod:`simulator.cli`, :mod:`simulator.cli_sweep`) fails the same way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import click

EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell shows for a program stopped by a reader that went away."""


def echo_errors(message: str) -> None:
    """Each line of ``message`` as ``error: ...`` on stderr (a multi-line error stays greppable)."""
    for line in message.splitlines():
        click.echo(f"error: {line}", err=True)


def fail(message: str) -> None:
    """A user error: say what is wrong and exit 2, before anything is written."""
    echo_errors(message)
    sys.exit(EXIT_USAGE)


def warn(lines: list[str]) -> None:
    """Scenario warnings: the run goes on (``--strict`` makes them errors)."""
    for line in lines:
        click.echo(f"warning: {line}", err=True)


def _in_test_runner() -> bool:
    """Click's CliRunner swaps sys.stdout for a buffer; os._exit would end the test process."""
    return type(sys.stdout).__module__.startswith("click.testing")


def _is_closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError)
                                                 and exc.errno == errno.EPIPE)


def _quiet_after_closed_pipe() -> None:
    """The reader of our output went away (``arsenal ... | head``): stop without a word.

    Whatever is still buffered for stdout or stderr is pointed at /dev/null, so neither our
    exit nor the interpreter's final flush raises again ("Exception ignored ... BrokenPipe").
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def _crash_log(exc: BaseException) -> Path:
    """Write the full traceback where the user can find it and attach it to a bug report."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"arsenal-crash-{stamp}-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as log:
        log.write(f"command: {' '.join(['arsenal', *sys.argv[1:]])}\n")
        log.write("".join(traceback.format_exception(exc)))
    return Path(name)


class Guarded(click.Group):
    """Turn Ctrl-C into exit 130 and an unexpected exception into one line plus a log path.

    Click's own handling prints "Aborted!" and exits 1 on Ctrl-C, and lets any other exception
    escape as a traceback; both are caught here, below click's usage-error handling. A closed
    stdout or stderr (output piped into ``head``) is not a bug: the command stops quietly with
    exit 141, as a program stopped by SIGPIPE would; a result folder still being written is
    left as it was (the run's context managers clean up while the error unwinds).
    """

    def invoke(self, ctx: click.Context):
        """Run the command; every way it can end goes through one of the exits above."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("\ninterrupted: stopped; no partial result was left behind", err=True)
            if not _in_test_runner():
                # The result folder is already cleaned up (its context manager ran while the
                # interruption unwound); exit now rather than join a worker pool's threads.
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(EXIT_INTERRUPTED)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if _is_closed_pipe(exc):
                _quiet_after_closed_pipe()
                sys.exit(EXIT_CLOSED_PIPE)
            try:
                where = f"full log: {_crash_log(exc)}"
            except OSError as log_exc:
                where = f"no log could be written ({log_exc})"
            what = " ".join(str(exc).split())[:300]
            click.echo(f"error: unexpected {type(exc).__name__}: {what} (a bug in "
                       f"Arsenal, please report it; {where})", err=True)
            sys.exit(EXIT_BUG)
