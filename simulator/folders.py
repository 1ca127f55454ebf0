"""Result folders that appear whole or not at all, one writer at a time.

A run writes into a hidden temporary sibling of its output folder (``.NAME.partial-PID``) and
renames it into place only when every file is written. An existing result folder is swapped out
in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``), so a run killed at any moment —
Ctrl-C, SIGKILL, a full disk — leaves either the complete new folder or the untouched old one,
never a mixture. A lock file (``.NAME.lock``, held with ``flock`` so the kernel releases it when
its process dies) refuses a second writer of the same folder; leftovers of killed runs are
removed by the next run that takes the lock.

Everything is checked before any simulation starts: that the parent can be created and written,
that nothing but an earlier result (or an empty folder) is in the way, and that the lock is free.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

MANIFEST = "manifest.json"
"""Every result folder has one; a folder without it is never replaced, even with ``--force``."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
MAX_NAME = 80


class FolderError(Exception):
    """The output folder cannot be used: in the way, not writable, or locked by another run."""


def safe_name(name: str) -> str:
    """``name`` as one harmless file-name component: no separators, no ``..``, no leading dot.

    >>> safe_name("../../etc/x"), safe_name("/abs/path"), safe_name("indo_pacific")
    ('etc_x', 'abs_path', 'indo_pacific')
    """
    clean = _UNSAFE.sub("_", name).strip("._-")
    clean = re.sub(r"\.{2,}", ".", clean)[:MAX_NAME].strip("._-")
    return clean or "scenario"


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the system cannot (not Linux, old libc, NFS...)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _no_sigint() -> Iterator[None]:
    """Hold Ctrl-C back for the few system calls that put a finished folder in place."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class ResultFolder:
    """One run's output folder: :meth:`open` before simulating, :meth:`commit` when written.

    Use as a context manager; leaving it without :meth:`commit` (an error, Ctrl-C) removes the
    temporary folder and leaves any earlier result untouched.
    """

    def __init__(self, final: Path, force: bool = False) -> None:
        self.shown = Path(final)
        """The folder as the user gave it (for messages)."""
        self.final = Path(os.path.abspath(final))
        if self.final.name in ("", ".", ".."):
            raise FolderError(f"{final}: cannot be an output folder (it has no name of its own); "
                              "choose a folder below it")
        self.force = force
        parent, name = self.final.parent, self.final.name
        self.lock_path = parent / f".{name}.lock"
        self.tmp = parent / f".{name}.partial-{os.getpid()}"
        self._lock_fd: int | None = None
        self.committed = False

    def __enter__(self) -> ResultFolder:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> Path:
        """Take the lock, check the target, clean old leftovers; return the temporary folder."""
        final = self.final
        if final.exists() and not final.is_dir():
            raise FolderError(f"{self.shown} exists and is not a folder; choose another --out")
        blocker = next((p for p in final.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise FolderError(f"cannot write results to {self.shown}: {blocker} is a file, not "
                              "a folder; choose another --out")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._check_target()
            self._clean_leftovers()
            self.tmp.mkdir()
        except FolderError:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise FolderError(f"cannot write results to {self.shown}: "
                              f"{exc.strerror or exc}") from None
        except BaseException:  # Ctrl-C while taking the lock: leave no lock file behind
            self.close()
            raise
        return self.tmp

    def _check_target(self) -> None:
        final = self.final
        if final.exists() and not final.is_dir():
            raise FolderError(f"{self.shown} exists and is not a folder; choose another --out")
        if final.is_dir() and any(final.iterdir()):
            if not (final / MANIFEST).is_file():
                raise FolderError(f"{self.shown} is a folder that holds something other than an "
                                  "Arsenal result (no manifest.json); choose another --out")
            if not self.force:
                raise FolderError(f"{self.shown} already holds a result; use --force to replace it "
                                  "(it is replaced only once the new result is complete) or "
                                  "choose another --out")

    def _lock(self) -> None:
        for _ in range(10):
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise FolderError(f"another arsenal run is writing {self.shown} (lock file "
                                  f"{self.lock_path}); wait for it to finish or choose "
                                  "another --out") from None
            try:
                same = os.stat(self.lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its last holder unlinked while we opened it
                self._lock_fd = fd
                return
            os.close(fd)
        raise FolderError(f"cannot lock {self.lock_path}: it keeps changing")

    def _clean_leftovers(self) -> None:
        """Partial folders of runs that were killed (their lock died with them)."""
        for old in self.final.parent.glob(f".{self.final.name}.partial-*"):
            shutil.rmtree(old, ignore_errors=True)

    def commit(self) -> Path:
        """Put the finished temporary folder in place of ``final``, atomically."""
        with _no_sigint():
            if self.final.is_dir() and _renameat2_exchange(self.tmp, self.final):
                pass  # tmp now holds the old result; close() removes it
            else:
                if self.final.is_dir():
                    shutil.rmtree(self.final)  # no atomic swap here: replace in two steps
                os.rename(self.tmp, self.final)
            self.committed = True
        return self.final

    def close(self) -> None:
        """Remove the temporary folder (or the swapped-out old result) and release the lock.

        Ctrl-C is held back meanwhile, so a second one cannot leave the lock file behind.
        """
        with _no_sigint():
            shutil.rmtree(self.tmp, ignore_errors=True)
            if self._lock_fd is not None:
                with contextlib.suppress(OSError):
                    self.lock_path.unlink()
                os.close(self._lock_fd)
                self._lock_fd = None


@contextlib.contextmanager
def result_folder(out: str | Path | None, default: str, force: bool,
                  fail: Callable[[str], object]) -> Iterator[ResultFolder]:
    """The output folder of a command, checked and locked before anything is simulated.

    ``out`` is the user's ``--out``; without it the folder is ``results/<default>``, with
    ``default`` made a single harmless name (:func:`safe_name`), so a scenario named
    ``../../x`` still writes below ``results/``. Write into ``folder.tmp`` and call
    ``folder.commit()``; a folder problem or a write error calls ``fail`` (which exits).
    Every command that writes a result goes through here, so all get the same guarantees.
    """
    try:
        folder = ResultFolder(Path(out) if out else Path("results") / safe_name(default), force)
        folder.open()
    except FolderError as exc:
        fail(str(exc))
        raise  # fail exits; this only runs if it returned
    try:
        yield folder
    except BrokenPipeError:
        raise  # our reader went away (`| head`): not a problem with the folder
    except OSError as exc:
        fail(f"cannot write results to {folder.shown}: {exc.strerror or exc}")
        raise
    finally:
        folder.close()
