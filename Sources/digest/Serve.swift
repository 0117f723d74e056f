import ArgumentParser
import DigestKit
import DigestWeb
import Foundation

/// `digest serve`: the readers' endpoint for one-click unsubscribe and preferences.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve one-click unsubscribe (RFC 8058) and the preferences pages, behind a reverse proxy.",
        discussion: """
            Routes: GET|POST /unsubscribe/<token>, GET|POST /preferences/<token>, where the token is the one in \
            every digest's List-Unsubscribe (keyed by DIGEST_UNSUBSCRIBE_SECRET). Listens on 127.0.0.1 unless \
            --host says otherwise; put it behind a proxy that terminates HTTPS for newsletter.baseURL.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The TCP port.")
    var port: Int = 8080

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Requests a client may make per minute.")
    var rateLimit: Int = 30

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        if rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
    }

    func run() async throws {
        let logger = global.makeLogger()
        let environment = ProcessInfo.processInfo.environment
        guard let secret = SendRun.secret(environment) else {
            printError("DIGEST_UNSUBSCRIBE_SECRET is not set: the tokens in List-Unsubscribe cannot be checked.")
            throw ExitCode(2)
        }
        let workspace = try await global.loadWorkspace()
        let state: StateStore
        do {
            state = try StateStore.open(at: workspace.config.stateFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let configURL = global.configURL
        let server = SubscriberServer(
            host: host,
            port: port,
            limiter: RequestRateLimiter(limit: rateLimit, window: 60),
            logger: logger
        ) {
            let current = try await Workspace.load(configFile: configURL)
            return try SubscriberService(
                workspace: current,
                state: state,
                secret: secret,
                files: SubscriberFiles(workspace: current)
            )
        }
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
