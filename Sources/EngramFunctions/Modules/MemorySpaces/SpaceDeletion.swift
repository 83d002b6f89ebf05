import EngramCore
import EngramStorage

/// `memorySpaces:deleteSpace`: the registry record goes in the system shard; with
/// `cascade`, the space's conversations, memories and facts go in the shard of its
/// memorySpaceId, as a durable cascade job.
///
/// The record is deleted in the same transaction that records the job, so from that
/// commit on the space is gone and its data is certain to follow: the job runs within
/// the call (which returns its counts) and, if the call is cut short, is completed by
/// ``CascadeRunner/resumePending()``.
enum SpaceDeletion {
    static func deleteSpace(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let id = try args.requiredString("memorySpaceId")
        if let confirm = args.string("confirmId"), confirm != id {
            throw EngramError.coded("CONFIRM_ID_MISMATCH")
        }
        let tenant = args.string("tenantId")
        let cascade = try args.requiredBool("cascade")
        let steps = cascade ? CascadePlans.spaceDeletion(memorySpaceId: id, in: context.database) : []
        let job = try await context.database.shards[0].write(now: context.now) { scope -> CascadeJob? in
            guard let space = try SpaceRecords.scoped(scope, id, tenantId: tenant) else {
                throw EngramError.coded(SpaceRecords.notFound)
            }
            try scope.delete(SpaceRecords.table, space.id)
            return cascade ? try CascadeJobs.record(kind: "deleteSpace", subject: id, steps: steps, in: scope) : nil
        }
        var counts = [0, 0, 0]
        if let job { counts = try await CascadeRunner(database: context.database).run(job) }
        return [
            "memorySpaceId": .string(id),
            "deleted": true,
            "cascade": [
                "conversationsDeleted": .double(Double(counts[0])),
                "memoriesDeleted": .double(Double(counts[1])),
                "factsDeleted": .double(Double(counts[2])),
                "totalBytes": 0.0,
            ],
            "reason": .string(try args.requiredString("reason")),
            "deletedAt": context.nowValue,
        ]
    }
}
