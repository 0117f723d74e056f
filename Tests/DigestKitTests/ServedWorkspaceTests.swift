import DigestTesting
import Foundation
import Logging
import MailMessage
import Synchronization
import Testing

@testable import DigestKit

/// Keeps every log message, for tests that count them.
final class RecordedLog: Sendable {
    let messages = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    func count(_ text: String) -> Int {
        messages.withLock { $0.filter { $0.contains(text) }.count }
    }

    struct Handler: LogHandler {
        let log: RecordedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.messages.withLock { $0.append(([event.message.description] + fields).joined(separator: " ")) }
        }
    }
}

@Suite("digest serve's workspace: read once, again only after a change")
struct ServedWorkspaceTests {
    let secret = Data("served-test-secret".utf8)

    func token(_ address: String) -> String {
        UnsubscribeToken.make(address: address, listID: "veckodigest.example.se", secret: secret)
    }

    func served(_ builder: WorkspaceBuilder, _ log: RecordedLog) throws -> ServedWorkspace {
        let config = try builder.write()
        let served = ServedWorkspace(
            configFile: config, stateStore: try StateStore.inMemory(), secret: secret, logger: log.logger,
            checkInterval: .zero)
        try served.start()
        return served
    }

    @Test("requests read nothing until a file changes; then the change is served")
    func readOnce() async throws {
        let log = RecordedLog()
        let builder = try WorkspaceBuilder().subscriber("anna@example.se")
        let served = try served(builder, log)
        for _ in 0..<5 { #expect(try await served.service().knows(token: token("anna@example.se"))) }
        #expect(log.count("Subscribers read") == 1)
        let new = builder.folder.appendingPathComponent("subscribers/bo.yaml")
        try Data("email: bo@example.se\n".utf8).write(to: new)
        #expect(try await served.service().knows(token: token("bo@example.se")))
        try FileManager.default.removeItem(at: new)
        #expect(!(try await served.service().knows(token: token("bo@example.se"))))
        #expect(log.count("Subscribers read") == 3)
    }

    @Test("the service's own edit is served by the next request without a reading")
    func ownEdits() async throws {
        let log = RecordedLog()
        let served = try served(try WorkspaceBuilder().subscriber("anna@example.se"), log)
        let anna = token("anna@example.se")
        let saved = try await served.service().savePreferences(
            token: anna, form: FormBody("topic=energi&region=Mora"), at: WorkspaceBuilder.demoNow)
        #expect(saved.status == 200)
        let page = try await served.service().preferencesPage(token: anna).body
        #expect(page.contains("value=\"energi\" checked") && !page.contains("value=\"export\" checked"))
        #expect(page.contains("value=\"Mora\" checked") && !page.contains("value=\"Falun\" checked"))
        #expect(try await served.service().unsubscribe(token: anna, form: FormBody(""), at: .now).status == 200)
        #expect(try await served.service().knows(token: anna))
        #expect(log.count("Subscribers read") == 1)
    }

    @Test("a broken subscriber file is logged once, by its path, and nobody else's page is lost")
    func brokenFile() async throws {
        let log = RecordedLog()
        let builder = try WorkspaceBuilder().subscriber("anna@example.se")
        let broken = builder.folder.appendingPathComponent("subscribers/eve.yaml")
        try Data("email: eve@example.se\nlanguage: xx\nintrests: []\n".utf8).write(to: broken)
        let served = try served(builder, log)
        for _ in 0..<3 {
            #expect(try await served.service().knows(token: token("anna@example.se")))
            #expect(!(try await served.service().knows(token: token("eve@example.se"))))
        }
        #expect(log.count("A subscriber file has mistakes") == 1)
        #expect(log.count("subscriber.file=subscribers/eve.yaml") == 1)
        #expect(log.count("eve@example.se") == 0, "the log never names a reader")
        try Data("email: eve@example.se\n".utf8).write(to: broken)
        #expect(try await served.service().knows(token: token("eve@example.se")))
        #expect(log.count("A subscriber file has mistakes") == 1)
    }

    @Test("a config broken after the start keeps the last good reading, logged once")
    func brokenConfigLater() async throws {
        let log = RecordedLog()
        let builder = try WorkspaceBuilder().subscriber("anna@example.se")
        let served = try served(builder, log)
        let config = builder.folder.appendingPathComponent("digest.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try Data((text + "serve:\n  maxConnections: 0\n").utf8).write(to: config)
        for _ in 0..<3 { #expect(try await served.service().knows(token: token("anna@example.se"))) }
        #expect(log.count("The config or templates cannot be read") == 1)
        #expect(log.count("maxConnections must be between 1 and 100000.") == 1)
    }

    @Test("a broken config at the start is thrown, located")
    func brokenAtStart() throws {
        let builder = try WorkspaceBuilder()
        let config = try builder.write()
        let text = try String(contentsOf: config, encoding: .utf8)
        try Data((text + "serve:\n  trustedProxies: [10.0.0.1/8]\n").utf8).write(to: config)
        let served = ServedWorkspace(
            configFile: config, stateStore: try StateStore.inMemory(), secret: secret, logger: RecordedLog().logger)
        let error = #expect(throws: DiagnosticList.self) { try served.start() }
        #expect(
            error?.diagnostics.first?.message == "'10.0.0.1/8' has bits set after its prefix; did you mean 10.0.0.0/8?")
    }
}
