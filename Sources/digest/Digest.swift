import ArgumentParser
import DigestKit
import Foundation

/// The `digest` command: builds and sends the weekly digest of the Dalarna business-support network.
@main
struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Build and send the weekly email digest of events and funding calls.",
        discussion: """
            Exit codes: 0 all delivered; 1 some deliveries failed; 2 bad config or input; 75 locked or \
            temporarily failed (try again later).
            """,
        subcommands: [
            Check.self, Collect.self, SourcesCommand.self, Preview.self, Send.self, Status.self, Subscribers.self,
            Inbox.self, Serve.self, Archive.self,
        ]
    )
}
