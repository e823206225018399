"""Converting legacy and OpenDocument files with LibreOffice (headless) into the
formats the pipeline reads natively: word-processor files (``.doc .rtf .odt .wpd``
...) to DOCX, spreadsheets (``.xls .ods`` ...) to XLSX.

Every conversion runs ``soffice --headless --convert-to`` in a fresh temporary
folder holding a private LibreOffice profile (``-env:UserInstallation``), a copy
of the input under a plain ASCII name and the output; the folder is removed
afterwards, whatever happened (or, when the worker was killed, by the next
conversion: :func:`remove_stale_folders`). So conversions never share or lock a profile
(two workers can convert at once) and leave nothing behind.

The conversion runs inside the batch's per-file worker process, in the worker's
process group: when the batch kills a worker (time-out, memory) LibreOffice dies
with it. The conversion also has a time-out of its own
(:attr:`ConvertSettings.timeout`, ``PRONGSAI_CONVERT_TIMEOUT`` seconds): when it
passes, LibreOffice and every process it started are killed and the file gets a
``CONVERSION_TIMEOUT`` error row, well before the batch's ``--timeout``.

Without LibreOffice the file gets an ``UNSUPPORTED_FORMAT`` error row naming the
Debian package to install (:data:`TARGETS`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from prongsai.batch.procs import descendants
from prongsai.diagnostics import WarningCode
from prongsai.model import ExtractError

#: target format -> (LibreOffice --convert-to argument, Debian package with the import filters)
TARGETS = {
    "docx": ("docx:MS Word 2007 XML", "libreoffice-writer-nogui"),
    "xlsx": ("xlsx:Calc MS Excel 2007 XML", "libreoffice-calc-nogui"),
}

#: where LibreOffice lives when it is not on PATH
_KNOWN_PROGRAMS = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

DEFAULT_TIMEOUT = 300.0


def _env_timeout() -> float:
    try:
        value = float(os.environ.get("PRONGSAI_CONVERT_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@dataclass
class ConvertSettings:
    """How LibreOffice is run. ``program`` None: ``PRONGSAI_SOFFICE``, else ``soffice``
    or ``libreoffice`` on PATH, else the usual install folders."""

    timeout: float = field(default_factory=_env_timeout)
    program: str | None = None


def find_soffice(settings: ConvertSettings | None = None) -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    wanted = (settings.program if settings else None) or os.environ.get("PRONGSAI_SOFFICE")
    if wanted:
        return shutil.which(wanted)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _KNOWN_PROGRAMS if os.access(p, os.X_OK)), None)


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill a process and everything it started (collected first, so none is orphaned
    to init before it is found)."""
    for pid in [*descendants(proc.pid), proc.pid]:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """Run LibreOffice; (exit status, its output), exit status None after a time-out."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        with contextlib.suppress(Exception):
            proc.communicate(timeout=5)
        return None, ""
    except BaseException:
        _kill_tree(proc)
        raise
    # soffice may leave helpers behind (a hung soffice.bin after oosplash exits)
    for pid in descendants(proc.pid):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return proc.returncode, out.decode("utf-8", "replace")


_PREFIX = "prongsai-convert-"


def remove_stale_folders(root: str | None = None) -> int:
    """Remove the temporary folders of conversions whose process is gone (a worker killed
    by the batch's time-out or memory limit cannot clean up after itself); the number
    removed. A folder is named ``prongsai-convert-<pid>-...`` after the process using it.
    """
    root = root or tempfile.gettempdir()
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(root):
            pid = entry.name[len(_PREFIX):].split("-", 1)[0]
            if not (entry.name.startswith(_PREFIX) and pid.isdigit() and entry.is_dir(follow_symlinks=False)):
                continue
            try:
                os.kill(int(pid), 0)
                continue  # still running (or another user's): not ours to remove
            except ProcessLookupError:
                pass
            except OSError:
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    return removed


@contextlib.contextmanager
def converted(path: Path, target: str, *, name: str, kind: str, infilter: str | None = None,
              settings: ConvertSettings | None = None) -> Iterator[Path]:
    """Convert ``path`` to ``target`` (``docx`` or ``xlsx``) with LibreOffice; yields the
    converted file, which lives until the ``with`` block ends.

    ``name`` is the plain file name the input is copied to (its suffix tells LibreOffice
    the format, e.g. ``input.doc``); ``kind`` names the format in messages ("Word 97-2003
    document"); ``infilter`` the LibreOffice import filter to use (without one, LibreOffice
    guesses, and reads a damaged file as plain text rather than failing). Raises
    :class:`ExtractError` (``UNSUPPORTED_FORMAT``, ``CONVERSION_TIMEOUT``,
    ``CONVERSION_FAILED``) when no converted file comes out.
    """
    settings = settings or ConvertSettings()
    arg, package = TARGETS[target]
    program = find_soffice(settings)
    if program is None:
        raise ExtractError(
            f"the {kind} must be converted by LibreOffice, which is not installed: install the Debian package "
            f"'{package}' (apt-get install {package}), or save the file as .{target}", code=WarningCode.UNSUPPORTED_FORMAT)
    remove_stale_folders()
    with tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-") as tmp:
        work = Path(tmp)
        src = work / name
        shutil.copyfile(path, src)
        outdir = work / "out"
        profile = work / "profile"
        env = dict(os.environ, HOME=str(work), TMPDIR=str(work), SAL_USE_VCLPLUGIN="svp")
        cmd = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", *([f"--infilter={infilter}"] if infilter else []),
               "--convert-to", arg, "--outdir", str(outdir), str(src)]
        try:
            status, output = _run(cmd, env, settings.timeout)
        except OSError as exc:
            raise ExtractError(f"LibreOffice ({program}) could not be started to convert the {kind}: {exc}",
                               code=WarningCode.UNSUPPORTED_FORMAT) from None
        if status is None:
            raise ExtractError(
                f"converting the {kind} with LibreOffice took longer than {settings.timeout:g} s and was stopped "
                f"(PRONGSAI_CONVERT_TIMEOUT); the file may be damaged, or save it as .{target} and run again",
                code=WarningCode.CONVERSION_TIMEOUT)
        result = outdir / (src.stem + "." + target)
        if not result.is_file() or result.stat().st_size == 0:
            said = " ".join(" ".join(ln.split()) for ln in output.splitlines()
                            if ln.strip() and "javaldx" not in ln)[-300:]
            raise ExtractError(
                f"LibreOffice could not convert the {kind} (exit status {status}"
                f"{'; it said: ' + said if said else ''}); the file may be damaged or protected by a password",
                code=WarningCode.CONVERSION_FAILED)
        yield result
