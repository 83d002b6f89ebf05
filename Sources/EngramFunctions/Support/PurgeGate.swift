import EngramCore

extension FunctionContext {
    /// Throws `PURGE_DISABLED_IN_PRODUCTION` (with the reference's text) unless the
    /// server allows destructive purges (`settings.allowPurge`).
    public func requirePurgeAllowed() throws {
        guard settings.allowPurge else {
            throw EngramError(.purgeDisabled, "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
        }
    }
}
