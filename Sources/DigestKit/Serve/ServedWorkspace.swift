import DigestSupport
import Foundation
import Logging
import Synchronization

/// The subscriber service `digest serve` answers from, read once and again only when a file it read changed.
///
/// A request looks at the files' stamps (names, sizes, modification times, inodes; no content) at most once per
/// `checkInterval`; when one changed, everything is read again while that request and the ones arriving meanwhile
/// wait for the one reload. An edit the service makes itself (an unsubscribe, saved preferences) is taken into the
/// loaded service at once, so the next request sees it without a reload. A broken subscriber file is logged once
/// per change and its readers get the not-found page; every other subscriber is served. A broken config or
/// template after the start is logged once and the last good reading kept.
public final class ServedWorkspace: Sendable {
    struct Loaded: Sendable {
        var service: SubscriberService
        var stamps: FileStamps
        /// The subscriber files whose problems were logged, as path and stamp.
        var problems: Set<String>
    }

    struct State: Sendable {
        var loaded: Loaded?
        var checkedAt: ContinuousClock.Instant?
        var refresh: Task<SubscriberService, any Error>?
        /// Counts the service's own edits, so a reload that began before one does not undo it.
        var edits = 0
        var lastFailure: String?
    }

    let configFile: URL
    let stateStore: StateStore
    let secret: Data
    let logger: Logger
    let checkInterval: Duration
    private let state = Mutex(State())

    /// Serving the workspace of `configFile`, recording unsubscribes in `stateStore`, tokens keyed by `secret`.
    public init(
        configFile: URL, stateStore: StateStore, secret: Data, logger: Logger, checkInterval: Duration = .seconds(1)
    ) {
        self.configFile = configFile
        self.stateStore = stateStore
        self.secret = secret
        self.logger = logger
        self.checkInterval = checkInterval
    }

    /// Reads everything for the first time; a broken config, topics file or template throws its diagnostics (a
    /// broken subscriber file does not: it is logged).
    public func start() throws(DiagnosticList) {
        let loaded = try load(previous: nil)
        state.withLock {
            $0.loaded = loaded
            $0.checkedAt = .now
        }
    }

    /// The service as of the files on disk (as of at most `checkInterval` ago).
    public func service() async throws -> SubscriberService {
        enum Step {
            case ready(SubscriberService)
            case wait(Task<SubscriberService, any Error>)
        }
        let interval = checkInterval
        let step: Step = state.withLock { state in
            if let loaded = state.loaded, let checked = state.checkedAt, ContinuousClock.now - checked < interval {
                return .ready(loaded.service)
            }
            if let refresh = state.refresh { return .wait(refresh) }
            let refresh = Task { try self.refresh() }
            state.refresh = refresh
            return .wait(refresh)
        }
        switch step {
        case .ready(let service): return service
        case .wait(let refresh): return try await refresh.value
        }
    }

    /// Takes `subscriber` (an edit the service just wrote to their file) into the loaded service and stamps the file
    /// anew, so the edit is seen by the next request and causes no reload.
    func adopt(_ subscriber: Subscriber) {
        state.withLock { state in
            guard var loaded = state.loaded else { return }
            loaded.service = loaded.service.replacing(subscriber)
            let name = URL(fileURLWithPath: subscriber.file).lastPathComponent
            let folder = loaded.service.workspace.config.subscribersFolder.path
            loaded.stamps.subscribers[name] = FileStamps.stamp(folder + "/" + name)
            state.loaded = loaded
            state.edits += 1
        }
    }

    /// Takes `subscriber` (just erased) out of the loaded service: their tokens find nobody from now on.
    func drop(_ subscriber: Subscriber) {
        state.withLock { state in
            guard var loaded = state.loaded else { return }
            loaded.service = loaded.service.removing(subscriber)
            let name = URL(fileURLWithPath: subscriber.file).lastPathComponent
            loaded.stamps.subscribers[name] = nil
            state.loaded = loaded
            state.edits += 1
        }
    }

    /// Compares the stamps and reads everything again if one changed; keeps the last good reading when that fails.
    private func refresh() throws -> SubscriberService {
        let (previous, edits) = state.withLock { ($0.loaded, $0.edits) }
        var outcome: Result<Loaded, any Error>
        if let previous, FileStamps.take(of: previous.service.workspace.config) == previous.stamps {
            outcome = .success(previous)
        } else {
            do {
                outcome = .success(try load(previous: previous))
            } catch {
                outcome = .failure(error)
            }
        }
        return try state.withLock { state in
            defer { state.refresh = nil }
            switch outcome {
            case .success(let loaded):
                state.lastFailure = nil
                guard state.edits == edits else { break }  // an edit came in meanwhile: check again next time
                state.loaded = loaded
                state.checkedAt = .now
            case .failure(let error):
                let text = Self.printable("\(error)")
                if state.lastFailure != text {
                    state.lastFailure = text
                    logger.warning(
                        "The config or templates cannot be read; serving what was read before",
                        metadata: ["config.file": "\(Self.printable(configFile.path))", "config.problem": "\(text)"])
                }
                state.checkedAt = .now
                guard state.loaded != nil else { throw error }
            }
            guard let service = state.loaded?.service else { throw DiagnosticList([]) }
            return service
        }
    }

    /// Reads the config, topics, templates and subscribers, logging each broken subscriber file not logged before.
    private func load(previous: Loaded?) throws(DiagnosticList) -> Loaded {
        let config = try DigestConfig.load(from: configFile)
        let stamps = FileStamps.take(of: config)  // before reading: an edit during the reading shows next time
        let (workspace, problems) = try Workspace.loadForServing(configFile: configFile, state: stateStore)
        let files = AdoptingFiles(files: SubscriberFiles(workspace: workspace), served: self)
        var service = try SubscriberService(workspace: workspace, state: stateStore, secret: secret, files: files)
        service.logger = logger
        logger.info(
            "Subscribers read",
            metadata: [
                "subscribers.count": "\(workspace.subscribers.count)", "subscribers.problems": "\(problems.count)",
            ])
        var seen: Set<String> = []
        for problem in problems {
            // Once per file and version of it: a file with three mistakes is one line, an edit that leaves it broken
            // another.
            let place = Self.printable(problem.path)
            let name = URL(fileURLWithPath: problem.path).lastPathComponent
            let version = stamps.subscribers[name].map { "\($0.size) \($0.seconds).\($0.nanoseconds) \($0.inode)" }
            guard seen.insert(place + " " + (version ?? "")).inserted,
                previous?.problems.contains(place + " " + (version ?? "")) != true
            else { continue }
            // The message is not logged: it may quote the file, and so a reader's address.
            logger.warning(
                "A subscriber file has mistakes (digest check shows them); the readers it lists may get the not-found page until it is fixed",
                metadata: ["subscriber.file": "\(place)", "file.line": "\(problem.line.map(String.init) ?? "-")"])
        }
        return Loaded(service: service, stamps: stamps, problems: seen)
    }

    /// `text` with every control character (and U+2028/U+2029) written as `\u{…}`, so it keeps to one log line.
    static func printable(_ text: String) -> String { PrintableText.oneLine(text) }
}

/// Writes readers' edits through `SubscriberFiles`, then hands the edited subscriber to the served workspace.
struct AdoptingFiles: SubscriberFileUpdating {
    let files: SubscriberFiles
    let served: ServedWorkspace

    func pause(_ subscriber: Subscriber) throws {
        try files.pause(subscriber)
        var paused = subscriber
        paused.paused = true
        served.adopt(paused)
    }

    func update(_ subscriber: Subscriber, to updated: Subscriber) throws -> Subscriber {
        let written = try files.update(subscriber, to: updated)
        served.adopt(written)
        return written
    }

    /// A new file: seen at the next check of the files (at most a second later), which reads them again.
    func add(_ subscriber: Subscriber) throws -> Subscriber {
        try files.add(subscriber)
    }

    func personalData(of subscriber: Subscriber, state: StateStore) throws -> String {
        try files.personalData(of: subscriber, state: state)
    }

    /// The erased reader's links stop working at once, not at the next reading of the files.
    func forget(_ subscriber: Subscriber, state: StateStore, at now: Date) throws {
        try files.forget(subscriber, state: state, at: now)
        served.drop(subscriber)
    }
}
