import Foundation

/// One benchmark's result, printed as a single JSON line with the same keys as the Python peers' (`benchlib.py`).
struct BenchReport: Encodable {
    /// The benchmark's name, such as `icalendar`.
    var benchmark: String
    /// Wall-clock seconds of the timed part.
    var seconds: Double
    /// User plus system CPU seconds of the timed part, every thread counted.
    var cpuSeconds: Double
    /// The process's peak resident set (VmHWM), in MB, read when the report is made.
    var peakMemoryMB: Double
    /// Counts and rates that say what was done.
    var details: [String: Double]

    /// A report of `measurement`, reading the peak memory now.
    init(benchmark: String, measurement: Timing, details: [String: Double]) {
        self.benchmark = benchmark
        self.seconds = measurement.seconds
        self.cpuSeconds = measurement.cpuSeconds
        self.peakMemoryMB = (ProcessMemory.peakMegabytes() * 10).rounded() / 10
        self.details = details
    }

    /// Prints the report as one line of JSON on standard output.
    func emit() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}

/// Wall and CPU time of one timed part.
struct Timing {
    /// Wall-clock seconds.
    var seconds: Double
    /// CPU seconds (user and system).
    var cpuSeconds: Double

    /// Times `body`.
    static func of<T>(_ body: () throws -> T) rethrows -> (T, Timing) {
        let start = Stopwatch()
        let value = try body()
        return (value, start.elapsed())
    }

}

/// A started clock, wall and CPU.
struct Stopwatch {
    private let wall = ContinuousClock.now
    private let cpu = ProcessMemory.cpuSeconds()

    /// The time since the stopwatch was made.
    func elapsed() -> Timing {
        let duration = ContinuousClock.now - wall
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return Timing(seconds: seconds, cpuSeconds: ProcessMemory.cpuSeconds() - cpu)
    }
}

/// What the kernel says about this process: its peak memory and CPU time.
enum ProcessMemory {
    /// The peak resident set size (`VmHWM` in `/proc/self/status`) in MB, or 0 where there is no such file.
    static func peakMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Double(fields[1]) { return kilobytes / 1024 }
        }
        return 0
    }

    /// User plus system CPU seconds used by every thread of the process so far.
    static func cpuSeconds() -> Double {
        var now = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now) == 0 else { return 0 }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// A failure of a benchmark's setup, with what to do about it.
struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String
}

/// Reads the whole file at `path`, saying which file failed.
func readFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw BenchError(
            description: "\(path): cannot read: \(error.localizedDescription); run Benchmarks/run.sh first")
    }
}
