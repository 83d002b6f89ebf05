// The Swift client target (issue 5).
