import Foundation
import Logging
import MailMessage

/// Sends what `digest serve`'s signup asks for, after its page is answered (so the answer takes as long whatever
/// the address): the confirmation and "already subscribed" mails through the configured transport (the one
/// `digest send` uses, ``TransportFactory``), DKIM-signed like the digests, and a new subscriber's welcome message
/// through ``SendRun`` (its `welcome` option), which records it in the ledger.
///
/// Logs name readers by their log reference only.
public struct SignupMailer: Sendable {
    let environment: [String: String]
    let logger: Logger

    /// A mailer with the process's `environment` (the SMTP password, the secret).
    public init(environment: [String: String], logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    /// Signs `message` with the keys of `config.delivery.dkim` and delivers it; the outcome is logged.
    public func send(_ message: OutgoingMessage, config: DigestConfig) async {
        let reference = Subscriber.logReference(for: message.recipient)
        do {
            var signed = message
            let (signers, problems) = Workspace.loadSigners(of: config)
            if let problem = problems.first { throw DiagnosticList([problem]) }
            for signer in signers { signed.bytes = try signer.sign(signed.bytes) }
            let transport = try TransportFactory.make(for: config, environment: environment)
            let result = await transport.deliver(signed)
            await transport.close()
            switch result {
            case .delivered:
                logger.info("A signup mail was sent", metadata: ["subscriber.ref": "\(reference)"])
            case .failed(_, let detail):
                logger.error(
                    "A signup mail could not be sent",
                    metadata: ["subscriber.ref": "\(reference)", "delivery.reply": "\(Self.printable(detail))"])
            case .transportFailed(let failure):
                logger.error(
                    "A signup mail could not be sent",
                    metadata: ["subscriber.ref": "\(reference)", "delivery.reply": "\(Self.printable("\(failure)"))"])
            }
        } catch {
            logger.error(
                "A signup mail could not be sent",
                metadata: ["subscriber.ref": "\(reference)", "delivery.reply": "\(Self.printable("\(error)"))"])
        }
    }

    /// Sends `subscriber` (just confirmed, in `workspace`'s config) the welcome message of `now`: this week's items
    /// that match them, collected afresh, through a ``SendRun`` for them alone.
    public func welcome(_ subscriber: Subscriber, workspace: Workspace, state: StateStore, at now: Date) async {
        var workspace = workspace
        workspace.subscribers = [subscriber]
        let (signers, _) = Workspace.loadSigners(of: workspace.config)
        workspace.signers = signers
        var options = SendOptions(now: now)
        options.only = subscriber.email
        options.welcome = true
        let reference = subscriber.logReference
        do {
            let transport = try TransportFactory.make(for: workspace.config, environment: environment)
            let run = SendRun(workspace: workspace, options: options, logger: logger, environment: environment)
            let summary = try await run.run(state: state, transport: transport)
            logger.info(
                summary.delivered == 1 ? "A welcome message was sent" : "A welcome message was not sent",
                metadata: [
                    "subscriber.ref": "\(reference)", "issue": "\(summary.issue)",
                    "send.failed": "\(summary.failed)", "send.suppressed": "\(summary.suppressed)",
                ])
        } catch {
            logger.error(
                "A welcome message could not be sent",
                metadata: ["subscriber.ref": "\(reference)", "serve.error": "\(Self.printable("\(error)"))"])
        }
    }

    /// `text` with every control character written as a space, kept to one log line, and addresses never in it
    /// (the callers pass transport replies and errors, which may quote one).
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}
