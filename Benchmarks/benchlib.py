"""Shared helpers of the Python peers: peak memory and the JSON line every benchmark prints."""
import json
import resource
import sys


def peak_memory_mb():
    """The process's peak resident set (VmHWM in /proc/self/status), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds():
    """User plus system CPU time this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(benchmark, seconds, cpu=None, **details):
    """Prints one JSON object like digest-bench's: benchmark, seconds (wall), cpuSeconds, peakMemoryMB, details."""
    print(json.dumps({"benchmark": benchmark, "seconds": seconds, "cpuSeconds": cpu,
                      "peakMemoryMB": round(peak_memory_mb(), 1), "details": details}, sort_keys=True))
    sys.stdout.flush()
