import Foundation
import Testing

@testable import DigestKit

@Suite("The cache of checked subscriber files")
struct SubscriberFileCacheTests {
    let taxonomy = Taxonomy(
        topics: [.init(id: "finansiering", labels: [.sv: "Finansiering"], synonyms: ["Lån"])],
        organizers: ["Almi"]
    )

    func load(_ folder: URL, state: StateStore, taxonomy: Taxonomy? = nil) throws -> (SubscriberDirectory, Int) {
        let cache = try SubscriberFileCache(
            state: state, taxonomy: taxonomy ?? self.taxonomy, extraOrganizers: [], limit: .subscriberFiles(),
            checksNames: true)
        let directory = SubscriberDirectory.load(
            folder: folder.appendingPathComponent("subscribers"), displayBase: folder,
            taxonomy: taxonomy ?? self.taxonomy, cache: cache)
        return (directory, cache.reusedFiles)
    }

    @Test("unchanged files come from the cache with what reading them gave; changed ones are read again")
    func reuse() throws {
        let folder = try TestSupport.temporaryFolder()
        let state = try StateStore.open(at: folder.appendingPathComponent("state.sqlite"))
        try TestSupport.write(
            "# Anna\nemail: anna@example.com\nname: Anna\nlanguage: en\ninterests:\n  topics: [Lån]\n"
                + "  regions: [rattvik]\n  organizers: [almi]\n  kinds: [funding]\nexclude:\n  keywords: [lantbruk]\n"
                + "consent:\n  at: 2026-11-20T09:30:00Z\n  how: web-form\n  textVersion: 3f2a\n  client: 9c1e\n",
            to: "subscribers/anna.yaml", in: folder)
        try TestSupport.write(
            "- email: b@example.com\n  paused: true\n- email: c@example.com\n  sendEmpty: true\n",
            to: "subscribers/lista.yml", in: folder)
        let (first, firstReused) = try load(folder, state: state)
        #expect(first.diagnostics.isEmpty, "\(first.diagnostics)")
        #expect(firstReused == 0)
        let (second, secondReused) = try load(folder, state: state)
        #expect(secondReused == 2)
        #expect(second.subscribers == first.subscribers)
        #expect(second.subscribers.first?.interests.regions == ["Rättvik"])
        #expect(second.subscribers.first?.consent?.how == .webForm)

        // An edit (another size or time) is read again, and its mistake reported as without a cache.
        try TestSupport.write(
            "email: anna@example.com\ninterests:\n  topics: [lan, export]\n", to: "subscribers/anna.yaml", in: folder)
        let (edited, editedReused) = try load(folder, state: state)
        #expect(editedReused == 1)
        #expect(
            edited.diagnostics.map(\.description) == [
                "subscribers/anna.yaml:3:17: unknown topic 'export'."
            ])
        let uncached = SubscriberDirectory.load(
            folder: folder.appendingPathComponent("subscribers"), displayBase: folder, taxonomy: taxonomy)
        #expect(edited.diagnostics == uncached.diagnostics)
        // The broken file is not kept: the next run reports it again.
        let (again, _) = try load(folder, state: state)
        #expect(again.diagnostics == uncached.diagnostics)
    }

    @Test("other topics make every file be checked again; a removed file is forgotten")
    func rulesAndRemovals() throws {
        let folder = try TestSupport.temporaryFolder()
        let state = try StateStore.open(at: folder.appendingPathComponent("state.sqlite"))
        try TestSupport.write(
            "email: a@example.com\ninterests:\n  topics: [Lån]\n", to: "subscribers/a.yaml", in: folder)
        try TestSupport.write("email: b@example.com\n", to: "subscribers/b.yaml", in: folder)
        _ = try load(folder, state: state)
        let renamed = Taxonomy(topics: [.init(id: "pengar", labels: [.sv: "Pengar"], synonyms: [])], organizers: [])
        let (checked, reused) = try load(folder, state: state, taxonomy: renamed)
        #expect(reused == 0)
        #expect(checked.diagnostics.map(\.description) == ["subscribers/a.yaml:3:12: unknown topic 'Lån'."])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("subscribers/b.yaml"))
        let (left, _) = try load(folder, state: state, taxonomy: renamed)
        #expect(left.subscribers.isEmpty)
        #expect(try state.subscriberFilePaths(context: SubscriberFileCache.context(for: renamed)).isEmpty)
    }

    @Test("more files than one batch: the same subscribers in address order, a duplicate found across batches")
    func severalBatches() throws {
        let folder = try TestSupport.temporaryFolder()
        let state = try StateStore.open(at: folder.appendingPathComponent("state.sqlite"))
        let count = SubscriberDirectory.batchSize + 100
        for number in 0..<count {
            // File names in one order, addresses in the reverse one, so sorting by address is seen to happen; the last
            // file repeats the second one's address.
            let address = "reader\(9_999 - (number == count - 1 ? 1 : number))@example.com"
            try TestSupport.write(
                "email: \(address)\n", to: "subscribers/\(String(format: "%05d", number)).yaml", in: folder)
        }
        let (first, firstReused) = try load(folder, state: state)
        #expect(firstReused == 0)
        #expect(first.subscribers.count == count - 1)
        #expect(first.subscribers.map(\.email) == first.subscribers.map(\.email).sorted())
        let duplicate = "subscribers/\(String(format: "%05d", count - 1)).yaml:1:1: reader9998@example.com is already "
        #expect(
            first.diagnostics.map(\.description) == [
                duplicate + "subscribed in subscribers/00001.yaml; keep one of them."
            ])
        let (second, secondReused) = try load(folder, state: state)
        #expect(secondReused == count)  // each file is right alone: the duplicate is found across files, each time
        #expect(second.subscribers == first.subscribers)
        #expect(second.diagnostics == first.diagnostics)
    }
}
