// The server target (issue 5): connections, auth, dispatch, metrics.
