namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>POST /admin/settle/{provider}</c>: how many captured charges settled.</summary>
internal sealed record SettlementResult(string Provider, int Settled);
