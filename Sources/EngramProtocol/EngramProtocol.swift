// The wire protocol target (issue 5): frames and messages.
