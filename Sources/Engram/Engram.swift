@_exported import EngramCore
@_exported import EngramFunctions
@_exported import EngramStorage
@_exported import EngramText
@_exported import EngramVector
