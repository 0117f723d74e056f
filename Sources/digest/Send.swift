import ArgumentParser
import DigestKit
import Foundation

/// `digest send`: the weekly run.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Build this week's digests and deliver each subscriber's exactly once.",
        discussion: """
            Quiet on success except a one-line summary. Re-running the same issue sends only what is not yet \
            delivered. SIGTERM or SIGINT stops the run after the deliveries in flight (a second one at once). \
            Exit codes: 0 all delivered, 1 some failed, 2 bad config or input, 75 try again later: another run \
            holds the lock, the SMTP server refused the login or TLS (or no OAuth2 token could be had), or a signal \
            stopped the run; what was not sent is sent by the next run.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Show who would get what; send and record nothing.")
    var dryRun = false

    @Option(name: .long, help: "Send only this subscriber's digest, outside the issue's ledger.")
    var only: String?

    @Option(name: .long, help: "With --only: deliver to this address instead (an editor's).")
    var to: String?

    @Flag(name: .long, help: "Retry deliveries of this issue that failed permanently.")
    var retryFailed = false

    @OptionGroup var clock: ClockOption

    @OptionGroup var issueOptions: IssueOptions

    @Option(name: .long, help: "Send only shard K of N (e.g. 2/4) of the subscribers, by address hash.")
    var shard: String?

    func validate() throws {
        if to != nil && only == nil { throw ValidationError("--to needs --only.") }
        if let shard, Self.parseShard(shard) == nil {
            throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, such as 2/4.")
        }
    }

    static func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }

    func run() async throws {
        let logger = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        let environment = ProcessInfo.processInfo.environment
        var options = SendOptions(now: try clock.time(in: workspace))
        options.issueID = issueOptions.issue
        options.dryRun = dryRun
        options.only = only
        options.to = to
        options.retryFailed = retryFailed
        options.shard = shard.flatMap(Self.parseShard).map { (index: $0.0, count: $0.1) }
        options.editorNote = issueOptions.noteURL
        if isatty(STDERR_FILENO) == 1 && !dryRun {
            options.progress = { handled, total in
                let line = handled == total ? "\r\u{1B}[K" : "\r[\(handled)/\(total)] "
                FileHandle.standardError.write(Data(line.utf8))
            }
        }

        let stateFile = workspace.config.stateFile
        var lock: RunLock?
        if !dryRun {
            lock = try RunLock.acquire(for: stateFile)
            guard lock != nil else {
                printError("another digest send is running against \(stateFile.path); try again when it has finished.")
                throw ExitCode(75)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        let signals = dryRun ? nil : StopSignals()
        options.cancellation = signals?.cancellation
        defer { withExtendedLifetime(signals) {} }
        let state: StateStore
        let transport: (any MessageTransport)?
        do {
            state =
                dryRun && !FileManager.default.fileExists(atPath: stateFile.path)
                ? try StateStore.inMemory() : try StateStore.open(at: stateFile)
            transport = dryRun ? nil : try TransportFactory.make(for: workspace.config, environment: environment)
        } catch let error as StateError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        } catch {
            printError("cannot start delivery: \(error)")
            throw ExitCode(75)
        }
        let summary: SendSummary
        do {
            summary = try await SendRun(
                workspace: workspace, options: options, logger: logger, environment: environment
            )
            .run(state: state, transport: transport)
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
        if dryRun {
            for line in summary.planned {
                let counts = line.counts
                print(
                    "\(line.email): \(counts.newFunding) nya utlysningar, \(counts.closingSoon) sista dag snart, "
                        + "\(counts.events) evenemang, \(counts.changed) ändrade"
                        + (line.wouldSend ? "" : " – skickas inte (tomt)")
                )
            }
        }
        if let problem = summary.archiveProblem { printError("archive not written: \(problem)") }
        for source in summary.failedSources {
            printError("source \(source.name) failed: \(source.failure ?? "")")
        }
        let language = workspace.config.newsletter.language
        print((dryRun ? "(torrkörning) " : "") + summary.line(language: language))
        switch summary.stop {
        case .transport(let failure):
            printError(
                "digest send stopped: \(failure); \(summary.notSent) deliveries were left unsent, and the next run "
                    + "sends them once this is fixed.")
            throw ExitCode(75)
        case .signal(let number):
            printError(
                "digest send stopped by \(StopSignals.name(number)): the deliveries in flight were finished and "
                    + "recorded; \(summary.notSent) were not sent, and the next run sends them.")
            throw ExitCode(75)
        case nil:
            break
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
