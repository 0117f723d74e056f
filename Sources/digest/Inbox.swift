import ArgumentParser
import DigestKit
import Foundation

/// `digest inbox`: unsubscribe mails and bounces flow back into the state.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract:
            "Read the Maildir of the unsubscribe and bounce addresses: suppress unsubscribers and bouncing addresses.",
        discussion: """
            Unsubscribe mails are matched by the reader's token (in the subject or in unsubscribe+TOKEN@…), so \
            DIGEST_UNSUBSCRIBE_SECRET must be set. Delivery status notifications (RFC 3464) are counted: hard \
            bounces (5.x.x) suppress an address after --hard-bounce-limit of them, soft bounces are recorded. \
            Processed messages move to cur/ with the Seen flag; nothing is deleted. Meant for cron, next to send.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The Maildir that receives the unsubscribe and bounce addresses.")
    var maildir: String

    @Option(name: .long, help: "Hard bounces after which an address is suppressed.")
    var hardBounceLimit: Int = 2

    @OptionGroup var clock: ClockOption

    func run() async throws {
        _ = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        let now = try clock.time(in: workspace)
        let environment = ProcessInfo.processInfo.environment
        do {
            let state = try StateStore.open(at: workspace.config.stateFile)
            let summary = try InboxRun(workspace: workspace, state: state, secret: SendRun.secret(environment))
                .run(maildir: URL(fileURLWithPath: maildir), now: now, hardBounceLimit: max(1, hardBounceLimit))
            for address in summary.unsubscribed { print("unsubscribed: \(address)") }
            for line in summary.hardBounces { print("hard bounce: \(line)") }
            for line in summary.softBounces { print("soft bounce: \(line)") }
            for address in summary.suppressed { print("suppressed after bouncing: \(address)") }
            print(
                "inbox: \(summary.unsubscribed.count) unsubscribed, \(summary.hardBounces.count) hard and "
                    + "\(summary.softBounces.count) soft bounces, \(summary.leftAlone) left for a person"
            )
        } catch let error as StateError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
    }
}
