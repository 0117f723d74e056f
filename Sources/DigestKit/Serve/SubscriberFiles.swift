import Foundation

/// Writes readers' requests (unsubscribe, new interests) into their subscriber files through `SubscriberFileEditor`,
/// keeping their comments and order.
public struct SubscriberFiles: SubscriberFileUpdating {
    let editor: SubscriberFileEditor

    /// Editing the subscriber files of `workspace`.
    public init(workspace: Workspace) {
        editor = SubscriberFileEditor(
            folder: workspace.config.subscribersFolder,
            displayBase: workspace.config.baseFolder,
            taxonomy: workspace.taxonomy,
            extraOrganizers: workspace.config.sources.compactMap(\.organizer)
        )
    }

    /// Sets `paused: true` in `subscriber`'s file.
    public func pause(_ subscriber: Subscriber) throws {
        _ = try editor.set(.paused(true), for: subscriber.email)
    }

    /// Replaces `subscriber`'s interests in their file.
    public func updateInterests(of subscriber: Subscriber, to interests: Subscriber.Interests) throws {
        _ = try editor.replaceInterests(interests, for: subscriber.email)
    }
}
