namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>POST /admin/disputes/{provider}/{id}/close</c>: <c>won</c> or <c>lost</c>.</summary>
internal sealed record DisputeCloseRequest(string? Outcome);
