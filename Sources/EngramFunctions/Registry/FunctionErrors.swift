import EngramCore

/// Error codes of the function layer, and how errors map to the hosted backend's.
///
/// Every error a function raises is an `EngramError`. Three kinds reach clients:
/// - **Platform errors** (the codes below, plus `INVALID_ARGUMENT`, `LIMIT_EXCEEDED`,
///   `RATE_LIMITED` and the other engine codes): the hosted backend's non-application
///   errors. They carry no data payload.
/// - **Plain errors** (`FUNCTION_ERROR`): the hosted backend's `throw new Error(text)`;
///   the message is the exact text, with no data payload.
/// - **Coded errors**: every other code, e.g. `MEMORYSPACE_NOT_FOUND`; the hosted
///   backend's `ConvexError("CODE")`, whose data payload is the code string.
extension EngramError.Code {
    /// No function has the requested name.
    public static let functionNotFound: Self = "FUNCTION_NOT_FOUND"
    /// A plain (uncoded) application error; the message is its text.
    public static let functionError: Self = "FUNCTION_ERROR"
    /// The caller's key may not do this (role or tenant).
    public static let forbidden: Self = "FORBIDDEN"
    /// A destructive purge on a server started without `--allow-purge`. The contract
    /// throws it as a plain error (no data payload), so it is listed with the platform codes.
    public static let purgeDisabled: Self = "PURGE_DISABLED_IN_PRODUCTION"

    /// Codes that are not application errors (they carry no data payload).
    public static let platformCodes: Set<EngramError.Code> = [
        .functionNotFound, .functionError, .purgeDisabled, .argumentValidation, .forbidden, .invalidArgument, .malformedMessagePack,
        .invalidDocumentID, .documentNotFound, .collectionNotFound, .indexNotFound, .shardKeyImmutable, .invalidCursor,
        .limitExceeded, .databaseLocked, .schemaMismatch, .storage, .closed, .notImplemented, .internal,
    ]
}

extension EngramError {
    /// A coded application error: `ConvexError("CODE")` on the hosted backend.
    public static func coded(_ code: String, _ message: String? = nil) -> EngramError {
        EngramError(Code(rawValue: code), message ?? code)
    }

    /// A plain application error with exactly this text.
    public static func plain(_ text: String) -> EngramError {
        EngramError(.functionError, text)
    }

    /// Whether this is a coded application error (its data payload is ``code``).
    public var isCoded: Bool { !Code.platformCodes.contains(code) }

    /// The hosted platform's error for a "take first n" with a bad n.
    public static func takeArgument() -> EngramError {
        .plain("Arg 1 `n` to `take` must be a non-negative integer")
    }
}
