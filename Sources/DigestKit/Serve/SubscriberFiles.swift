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

    /// Writes each value of `updated` that differs from `subscriber` into their file, one edit per value (a name left
    /// empty is removed from the file; a language left empty stays as it was).
    public func update(_ subscriber: Subscriber, to updated: Subscriber) throws -> Subscriber {
        var current = subscriber
        let email = subscriber.email
        if let name = updated.name, name != current.name {
            current = try editor.set(.name(name), for: email)
        } else if updated.name == nil, current.name != nil {
            current = try editor.removeName(for: email)
        }
        if let language = updated.language, language != current.language {
            current = try editor.set(.language(language), for: email)
        }
        if updated.interests != current.interests {
            current = try editor.replaceInterests(updated.interests, for: email)
        }
        if updated.exclude != current.exclude { current = try editor.replaceExclusions(updated.exclude, for: email) }
        if (updated.sendEmpty ?? false) != (current.sendEmpty ?? false) {
            current = try editor.set(.sendEmpty(updated.sendEmpty ?? false), for: email)
        }
        if updated.paused != current.paused { current = try editor.set(.paused(updated.paused), for: email) }
        return current
    }

    /// Writes `subscribers/<slug>.yaml` for `subscriber` through ``SubscriberFileEditor/add(_:)``.
    public func add(_ subscriber: Subscriber) throws -> Subscriber {
        let location = try editor.add(subscriber)
        var added = subscriber
        added.file = location.path
        return added
    }

    /// Everything kept about `subscriber`, as JSON.
    public func personalData(of subscriber: Subscriber, state: StateStore) throws -> String {
        try PersonalData.gather(
            subscriber.email, editor: editor,
            directory: SubscriberDirectory(subscribers: [subscriber], diagnostics: []), state: state
        ).json
    }

    /// Erases `subscriber`'s file (or entry) and state rows, keeping the salted hash.
    public func forget(_ subscriber: Subscriber, state: StateStore, at now: Date) throws {
        try SubscriberEraser(editor: editor, state: state).forget(subscriber.email, at: now)
    }
}
