namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>GET /admin/settlement-files/{provider}</c>: the provider's settlement files on disk, by name, and where they are.</summary>
internal sealed record SettlementFileList(string Provider, string Directory, IReadOnlyList<string> Files);
