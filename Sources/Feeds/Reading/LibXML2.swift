import CLibXML2

/// libxml2 made ready once per process, before the first use on any thread.
///
/// libxml2 sets itself up lazily on first use, and that set-up is not thread-safe: two workers reading their first
/// HTML fragment at once both built the dictionary lock and then waited on it for ever (`digest collect` on a JSON
/// API hung about one run in ten). Every path into libxml2 calls ``prepare()`` first; Swift runs the set-up once,
/// and any other thread that asks meanwhile waits for it.
enum LibXML2 {
    private static let prepared: Void = digest_xml_initialize()

    /// Sets libxml2 up, unless that is done; returns once it is.
    static func prepare() {
        _ = prepared
    }
}
