import Foundation

/// Makes the transport the config names.
public enum TransportFactory {
    /// The transport for `config.delivery`, with paths resolved against the config file.
    public static func make(for config: DigestConfig, environment: [String: String]) throws -> any MessageTransport {
        let delivery = config.delivery
        switch delivery.transport {
        case .maildir(let path):
            return try MaildirTransport(folder: config.resolve(path))
        case .smtp(let url):
            return try SMTPDelivery(
                url: url,
                delivery: delivery,
                caFile: delivery.caFile.map { config.resolve($0).path },
                environment: environment
            )
        case .sendmail(let path):
            return SendmailTransport(path: path)
        }
    }
}
