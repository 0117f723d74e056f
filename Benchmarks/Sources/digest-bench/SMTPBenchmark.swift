import ArgumentParser
import Curl
import Foundation

/// `digest-bench smtp FOLDER --port P`: send prebuilt messages to a loopback SMTP sink.
struct SMTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Times Curl.SMTPTransport sending prebuilt messages to 127.0.0.1 without STARTTLS."
    )

    @Argument(help: "The folder of msg-*.eml files (CRLF), sent in turn (Benchmarks/gen_smtp.py writes them).")
    var folder: String

    @Option(help: "The port of the SMTP server on 127.0.0.1.")
    var port: Int

    @Option(help: "Parallel SMTP connections.")
    var connections = 1

    @Option(help: "How many messages to send.")
    var count = 5000

    func run() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("msg-") && $0.hasSuffix(".eml") }.sorted()
        guard !names.isEmpty else { throw BenchError(description: "\(folder) holds no msg-*.eml files") }
        let messages = try names.map { [UInt8](try readFile(folder + "/" + $0)) }
        guard let url = URL(string: "smtp://127.0.0.1:\(port)") else {
            throw BenchError(description: "\(port) is not a port")
        }
        let configuration = try SMTPConfiguration(
            url: url, starttls: .never, timeout: .seconds(30), connections: connections, retries: 0)
        let transport = try SMTPTransport(configuration: configuration)
        let count = max(0, count)
        let window = connections * 2
        let stopwatch = Stopwatch()
        let (delivered, bytes) = await withTaskGroup(of: (Bool, Int).self) { group in
            var next = 0
            var inFlight = 0
            var delivered = 0
            var bytes = 0
            while next < count || inFlight > 0 {
                while next < count && inFlight < window {
                    let message = messages[next % messages.count]
                    let envelope = SMTPEnvelope(from: "bounces@example.se", recipients: ["reader\(next)@example.com"])
                    group.addTask {
                        let outcome = await transport.send(message, envelope: envelope)
                        return (outcome.isDelivered, message.count)
                    }
                    next += 1
                    inFlight += 1
                }
                if let done = await group.next() {
                    inFlight -= 1
                    if done.0 {
                        delivered += 1
                        bytes += done.1
                    }
                }
            }
            return (delivered, bytes)
        }
        await transport.close()
        let measurement = stopwatch.elapsed()
        try BenchReport(
            benchmark: "smtp-\(connections)",
            measurement: measurement,
            details: [
                "messages": Double(count),
                "delivered": Double(delivered),
                "messagesPerSecond": Double(delivered) / measurement.seconds,
                "averageBytes": Double(bytes) / Double(max(1, delivered)),
                "connections": Double(connections),
                "connectionsOpened": Double(transport.connectionsOpened),
            ]
        ).emit()
        guard delivered == count else {
            throw BenchError(description: "only \(delivered) of \(count) messages were delivered")
        }
    }
}
