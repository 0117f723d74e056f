import Foundation

/// Erases a person (GDPR Art. 17): their file, or their entry in a list file (the rest of the file and its comments
/// stay, through ``SubscriberFileEditor``), and every state row keyed by the address; a salted hash of it is left
/// in the suppression table unless asked not to, so that a later import or file does not mail them again.
/// `digest subscribers forget` runs it; the preferences page offers it as "Radera mig".
public struct SubscriberEraser: Sendable {
    /// What was erased.
    public struct Report: Sendable, Hashable {
        /// What happened to the file, or nil when no file named the address.
        public var file: SubscriberFileEditor.Removal?
        /// The state rows removed; nil when there is no state file.
        public var rows: ErasedRows?
    }

    /// The editor of the subscriber files.
    public let editor: SubscriberFileEditor
    /// The state, or nil when there is no state file yet.
    public let state: StateStore?

    /// An eraser over `editor`'s folder and `state`.
    public init(editor: SubscriberFileEditor, state: StateStore?) {
        self.editor = editor
        self.state = state
    }

    /// Removes `email` everywhere: the file (or entry) first, then the state rows; with `keepingSuppression` a
    /// salted hash stays in the suppression table. A file that cannot be edited leaves everything as it was.
    @discardableResult
    public func forget(_ email: String, keepingSuppression: Bool = true, at now: Date) throws(PersonalDataError)
        -> Report
    {
        var report = Report()
        if !editor.locate(email).isEmpty {
            do {
                report.file = try editor.remove(email)
            } catch {
                throw PersonalDataError(
                    path: error.path,
                    message: error.description.dropPrefix(error.path + ": ")
                        + " Nothing was erased.")
            }
        }
        if let state {
            do {
                report.rows = try state.erase(email, keepingSuppression: keepingSuppression, at: now)
            } catch {
                let done = report.file == nil ? "" : " The subscriber file was already changed; run forget again."
                throw PersonalDataError(path: state.path, message: "cannot be changed: \(error).\(done)")
            }
        }
        return report
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
