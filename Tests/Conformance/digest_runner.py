"""Runs the built `digest collect --json` on one local file, as a new user would: a config with one source whose
`url` is the file's path (the format is detected, as when `format:` is left out)."""
import dataclasses
import os
import pathlib
import signal
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclasses.dataclass
class Run:
    """What one `digest collect` did: `outcome` is ok, failed (exit status not 0: the source was refused), crash
    (killed by a signal) or hang (still running at the timeout)."""
    outcome: str
    stdout: str = ""
    stderr: str = ""
    detail: str = ""


def config_text(paths, kind, max_occurrences):
    # JSON strings are YAML strings: any path is quoted safely.
    import json

    sources = "".join(
        f"  - name: corpus{index}\n"
        f"    kind: {kind}\n"
        f"    url: {json.dumps(str(path))}\n"
        f"    maxOccurrencesPerEvent: {max_occurrences}\n"
        for index, path in enumerate(paths))
    return (
        "newsletter:\n"
        "  title: Conformance\n"
        "  from: \"Conformance <conformance@example.invalid>\"\n"
        "  timeZone: Europe/Stockholm\n"
        f"sources:\n{sources}"
        f"topics: {json.dumps(str(ROOT / 'topics.yaml'))}\n"
        "state: state.sqlite\n"
    )


def collect(binary, paths, kind, window, timeout, max_occurrences=200_000):
    """Runs `digest collect --json` over `window` (two RFC 3339 strings) with one source per file of `paths`.

    One file per run when its items are compared (digest merges the same event or call found in two sources);
    many per run when only crashes and hangs are looked for.
    """
    with tempfile.TemporaryDirectory(prefix="digest-conformance-") as folder:
        config = pathlib.Path(folder) / "digest.yaml"
        config.write_text(config_text(paths, kind, max_occurrences), encoding="utf-8")
        command = [str(pathlib.Path(binary).resolve()), "collect", "--json", "--config", str(config), "--from", window[0],
                   "--until", window[1], "--now", window[0]]
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Run("hang", detail=f"still running after {timeout} s")
        out = stdout.decode("utf-8", "replace")
        err = stderr.decode("utf-8", "replace")
        if process.returncode < 0:
            name = signal.Signals(-process.returncode).name
            return Run("crash", out, err, f"killed by {name}: {last_line(err)}")
        if process.returncode != 0:
            return Run("failed", out, err, f"exit {process.returncode}: {last_line(err)}")
        return Run("ok", out, err)


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"
