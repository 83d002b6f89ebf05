@_exported import EngramCore
@_exported import EngramStorage
