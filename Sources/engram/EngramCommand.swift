import ArgumentParser

/// The `engram` command: server, client and offline tools.
@main
struct EngramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engram",
        abstract: "Engram: a database server for the long-term memory of AI agents.",
        subcommands: [ServeCommand.self, CallCommand.self, KeysCommand.self, CheckCommand.self, CrashWriterCommand.self],
        defaultSubcommand: nil
    )
}
