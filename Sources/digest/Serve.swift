import ArgumentParser
import DigestKit
import DigestWeb
import Foundation

/// `digest serve`: the readers' endpoint for one-click unsubscribe and preferences.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve one-click unsubscribe (RFC 8058), the preferences pages and the signup form, behind a reverse proxy.",
        discussion: """
            Routes: GET|POST /unsubscribe/<token>, GET|POST /preferences/<token>, where the token is the one in \
            every digest's List-Unsubscribe (keyed by DIGEST_UNSUBSCRIBE_SECRET); GET|POST /subscribe (?lang=en) and \
            GET|POST /confirm/<token>, the double opt-in, whose mails go through delivery.transport. Listens on 127.0.0.1 unless \
            --host says otherwise; put it behind a proxy that terminates HTTPS for newsletter.baseURL, and name that \
            proxy in serve.trustedProxies so that X-Forwarded-For is believed from it (and only from it). The files \
            are read once and again when one changes; timeouts and the connection cap are serve.* in the config.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: "Start the clock at this time, e.g. 2026-12-01T08:00:00+01:00; it runs on from there (signups, welcomes)."
    )
    var now: String?

    @Option(name: .long, help: "The TCP port.")
    var port: Int = 8080

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(
        name: .long,
        help: "Failed requests (unknown tokens or paths) a client may make per minute before it gets 429.")
    var rateLimit: Int = 30

    @Option(
        name: .long,
        help: "Requests of any kind a client may make per minute (valid one-click unsubscribes count per reader).")
    var requestLimit: Int = 300

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        if rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
        if requestLimit < 1 { throw ValidationError("--request-limit must be at least 1.") }
    }

    func run() async throws {
        let logger = global.makeLogger()
        let environment = ProcessInfo.processInfo.environment
        guard let secret = SendRun.secret(environment) else {
            printError("DIGEST_UNSUBSCRIBE_SECRET is not set: the tokens in List-Unsubscribe cannot be checked.")
            throw ExitCode(2)
        }
        let config: DigestConfig
        let state: StateStore
        do {
            config = try DigestConfig.load(from: global.configURL)
        } catch {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
        do {
            state = try StateStore.open(at: config.stateFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        // A pinned start runs on with the real clock, so links still expire and rate limits still pass.
        let start = try GlobalOptions.time(now, option: "--now", timeZone: config.newsletter.timeZone)
        let origin = Date()
        let clock: @Sendable () -> Date = {
            start.map { $0.addingTimeInterval(Date().timeIntervalSince(origin)) } ?? Date()
        }
        let served = ServedWorkspace(configFile: global.configURL, stateStore: state, secret: secret, logger: logger)
        do {
            try served.start()
        } catch {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
        let server = SubscriberServer(
            host: host,
            port: port,
            failures: RequestRateLimiter(limit: rateLimit, window: 60),
            requests: RequestRateLimiter(limit: requestLimit, window: 60),
            settings: config.serve,
            logger: logger,
            mailer: SignupMailer(environment: environment, logger: logger),
            clock: clock,
            service: { try await served.service() }
        )
        do {
            try await server.run {
                FileHandle.standardOutput.write(Data("digest serve: http://\(host):\(port)/ (Ctrl-C stops it)\n".utf8))
            }
        } catch {
            printError("cannot serve on \(host):\(port): \(error)")
            throw ExitCode(75)
        }
    }
}
