using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>GET /admin/charges/{provider}</c>: at most <see cref="AdminApi.ChargesListedMax"/> charges, oldest first.</summary>
internal sealed record ChargeList(string Provider, string? Reference, IReadOnlyList<ChargeSummary> Charges);
