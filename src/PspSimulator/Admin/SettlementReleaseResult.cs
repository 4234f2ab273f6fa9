using Payments.Actors.PspSimulator.Settlement;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>POST /admin/settlement-files/{provider}/release</c>: the late files now written.</summary>
internal sealed record SettlementReleaseResult(string Provider, IReadOnlyList<SettlementFileResult> Released);
