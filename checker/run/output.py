"""Where a report goes: stdout, or the file named by --output, without harming what is there.

- A regular file (or a new path) is written atomically: a temporary file in the same directory
  as the file's real location, then renamed over it, so a reader never sees half a report and a
  symbolic link stays a link to the new report.
- Anything else (a device node such as /dev/null, a FIFO, a terminal, /dev/stdout) is written in
  place: renaming over it would turn /dev/null into a regular file for everyone on the machine.
- A file that is also an input of the run (a hall, a rule, the waivers, the baseline) is refused:
  the report must never replace what the user wrote.
- Every failure to write (a directory, an empty name, a full disk, a closed pipe) is a located
  problem, exit 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from ..problems import InputError, Location, Problem

STDOUT = "stdout"


def write_report(text: str | bytes, output: Path | None, display=str, inputs: Iterable[Path] = ()) -> None:
    """`text` to stdout (output None) or to `output`; InputError when it cannot be written."""
    if output is None:
        write_stdout(text)
        return
    name = check_target(output, display, inputs)
    status = _target_status(output, name)
    if status is not None and _same_as_stdout(status):
        write_stdout(text)
    elif status is None or stat.S_ISREG(status.st_mode):
        _replace_atomically(text, output, name)
    else:
        _write_in_place(text, output, name)


def _target_status(output: Path, name: str):
    """What is at the output path (None for a new file); unwritable when it cannot be looked at."""
    try:
        return os.stat(output)
    except FileNotFoundError:
        return None
    except OSError as err:
        _unwritable(name, err)


@contextlib.contextmanager
def report_stream(output: Path | None, display=str, inputs: Iterable[Path] = ()):
    """A text stream for a report written a piece at a time (the text report, JSON lines), under
    the same rules as write_report: stdout; a regular file replaced atomically once the report is
    whole (a failed run leaves the old one); a device or FIFO written in place."""
    if output is None:
        yield from _guarded(sys.stdout, STDOUT)
        return
    name = check_target(output, display, inputs)
    status = _target_status(output, name)
    if status is not None and _same_as_stdout(status):
        yield from _guarded(sys.stdout, STDOUT)
    elif status is None or stat.S_ISREG(status.st_mode):
        with _atomic_file(output, name, binary=False) as stream:
            yield stream
    else:
        try:
            fd = os.open(output, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as err:
            if err.errno == errno.ENXIO:
                _refuse(name, "file.fifo_no_reader")
            _unwritable(name, err)
        os.set_blocking(fd, True)
        yield from _guarded(os.fdopen(fd, "w", encoding="utf-8"), name, close=True)


def _guarded(stream, name: str, close: bool = False):
    """Yield `stream`; a write the system refuses is a located problem, not a traceback."""
    try:
        yield stream
        stream.flush()
    except OSError as err:
        if stream is sys.stdout:
            silence_stdout()
        _unwritable(name, err)
    finally:
        if close:
            stream.close()


def check_target(output: Path, display=str, inputs: Iterable[Path] = ()) -> str:
    """The name to show for `output`, or InputError when no report may be written there: no name,
    a directory, or an input of the run. Checked before the audit, and again before writing."""
    name = display(output) if str(output) else '""'
    if not str(output):
        _refuse(name, "file.output_empty")
    if str(output).endswith(os.sep) or os.path.isdir(output):
        _refuse(name, "file.is_directory")
    _refuse_input(output, inputs, name, display)
    return name


def write_stdout(text: str | bytes) -> None:
    """`text` to stdout; a full disk or a closed pipe is exit 2 with a message, not a traceback."""
    try:
        if isinstance(text, bytes):  # a PDF or a workbook
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as err:
        silence_stdout()
        _unwritable(STDOUT, err)


def silence_stdout() -> None:
    """After stdout failed: point it at /dev/null, so that Python's flush at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (a test's capture)
        pass


def is_output_error(err: BaseException) -> bool:
    """A write to stdout or stderr that the system refused: the disk is full or the reader left."""
    return isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EPIPE, errno.EDQUOT, errno.EIO, errno.EFBIG)


def create_new(path: Path, text: str, display=str) -> None:
    """Write a new file; InputError when `path` exists (a dangling link too: it is never followed
    to create its target) or cannot be created (a missing directory, a file where a directory
    should be)."""
    name = display(path)
    try:
        with open(path, "x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
            stream.write(text)
    except FileExistsError:
        _refuse(name, "cli.exists", path=name)
    except IsADirectoryError:
        _refuse(name, "file.is_directory")
    except OSError as err:
        _refuse(name, "file.cannot_create", reason=err.strerror or str(err))


def make_directory(path: Path, display=str) -> None:
    """`path` and its parents; InputError when a file stands where a directory must be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        name = display(path)
        if path.exists() and not path.is_dir():
            _refuse(name, "file.not_directory")
        _refuse(name, "file.cannot_create", reason=err.strerror or str(err))


def _same_as_stdout(status: os.stat_result) -> bool:
    """-o /dev/stdout, or a file that stdout is already redirected to: write through stdout, or the
    shell's open file and ours would each hold half of it."""
    try:
        mine = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (mine.st_dev, mine.st_ino) == (status.st_dev, status.st_ino)


def _refuse_input(output: Path, inputs: Iterable[Path], name: str, display) -> None:
    try:
        target = os.stat(output)
    except OSError:
        return  # a path that does not exist is nobody's input
    for candidate in inputs:
        try:
            if os.path.isdir(candidate):
                # a directory named as input: the output may not be one of the YAML files it holds
                resolved = Path(os.path.realpath(output))
                if resolved.suffix in (".yaml", ".yml") and Path(os.path.realpath(candidate)) in resolved.parents:
                    _refuse(name, "file.output_is_input", input=display(Path(candidate)))
                continue
            other = os.stat(candidate)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (target.st_dev, target.st_ino):
            _refuse(name, "file.output_is_input", input=display(Path(candidate)))


def _opened(fd: int, text: str | bytes):
    return os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")


def _replace_atomically(text: str | bytes, output: Path, name: str) -> None:
    with _atomic_file(output, name, binary=isinstance(text, bytes)) as stream:
        stream.write(text)


@contextlib.contextmanager
def _atomic_file(output: Path, name: str, binary: bool):
    """A stream to a temp file beside the real target (through a symbolic link), which replaces
    the target only once everything is written; on any failure the old file stays."""
    real = Path(os.path.realpath(output))
    temp = None
    try:
        handle, temp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
        os.chmod(temp, _new_file_mode())  # mkstemp makes it private; a report is an ordinary file
        os.replace(temp, real)
        temp = None
    except OSError as err:
        _unwritable(name, err)
    finally:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)


def _write_in_place(text: str | bytes, output: Path, name: str) -> None:
    """A device or FIFO: opened for writing as it is. O_NONBLOCK first, so that a FIFO nobody
    reads is an error at once instead of a hang."""
    try:
        fd = os.open(output, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ENXIO:  # a FIFO without a reader
            _refuse(name, "file.fifo_no_reader")
        _unwritable(name, err)
    try:
        os.set_blocking(fd, True)
        with _opened(fd, text) as stream:
            stream.write(text)
    except OSError as err:
        _unwritable(name, err)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _unwritable(name: str, err: OSError):
    raise InputError([Problem("file.unwritable", Location(name), {"reason": err.strerror or str(err)})]) from None


def _refuse(name: str, code: str, **params):
    raise InputError([Problem(code, Location(name), params)])
